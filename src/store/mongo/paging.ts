/** Parses a page cursor that is a number; anything else starts from the beginning. */
export function numericAfter(after: string | undefined): number | undefined {
  if (after === undefined) return undefined;
  const n = Number(after);
  return Number.isFinite(n) ? n : undefined;
}

/** Fetch `limit + 1` to know whether another page follows; `next` is the key of the last item shown. */
export function toPage<D, T>(docs: D[], limit: number, map: (doc: D) => T, key: (item: T) => string | number): { items: T[]; next: string | null } {
  const items = docs.slice(0, limit).map(map);
  const last = items[items.length - 1];
  return { items, next: docs.length > limit && last !== undefined ? String(key(last)) : null };
}
