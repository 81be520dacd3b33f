import type { Page, PageRequest } from '../../core/index.js';

/** Page over items already sorted by `key`; `after` is the key of the last item of the previous page. */
export function pageBy<T>(sorted: readonly T[], key: (item: T) => string | number, page: PageRequest): Page<T> {
  let start = 0;
  if (page.after !== undefined) {
    const after = page.after;
    start = sorted.findIndex((item) => compareKeys(key(item), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + page.limit);
  const last = items[items.length - 1];
  const more = start + page.limit < sorted.length;
  return { items, next: more && last !== undefined ? String(key(last)) : null };
}

function compareKeys(a: string | number, after: string): number {
  if (typeof a === 'number') return a - Number(after);
  return a < after ? -1 : a > after ? 1 : 0;
}
