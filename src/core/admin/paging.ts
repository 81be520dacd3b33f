import { err, ok, type Result } from '../errors.js';
import type { ListQuery } from '../api.js';
import type { PageRequest } from '../ports/store.js';
import { HANDLE_PATTERN } from '../model/agent.js';
import { INBOX_NAME_PATTERN } from '../model/inbox.js';
import { HINTS } from './hints.js';
import { positiveInt, queryText } from './validate.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** What a list's `next` is: an agent's handle, an inbox's name, or a number (conversations, history, jobs). */
export type CursorKind = 'handle' | 'inbox' | 'number';

/** Could `after` be a `next` this kind of list hands out? */
function isCursor(after: string, kind: CursorKind): boolean {
  if (after.length > 64 && kind !== 'number') return false;
  switch (kind) {
    case 'handle':
      return HANDLE_PATTERN.test(after);
    case 'inbox':
      return INBOX_NAME_PATTERN.test(after);
    case 'number':
      return /^[1-9][0-9]{0,14}$/.test(after);
  }
}

/**
 * `?limit` (default 100, 1..1000) and `?after` (the `next` of the previous page). An `after` that no
 * page of this list could have handed out is refused, so a mangled cursor never reads as an empty page.
 */
export function parsePage(query: ListQuery, afterKind: CursorKind): Result<PageRequest> {
  const limitText = queryText(query.limit, 'limit', HINTS.limit!);
  if (!limitText.ok) return limitText;
  let limit = DEFAULT_LIMIT;
  if (limitText.value !== undefined) {
    const n = positiveInt(limitText.value);
    if (n === null || n > MAX_LIMIT || limitText.value.startsWith('#')) {
      return err('invalid_argument', `limit is invalid: ${HINTS.limit}.`, 'limit');
    }
    limit = n;
  }
  const after = queryText(query.after, 'after', HINTS.after!);
  if (!after.ok) return after;
  if (after.value === undefined) return ok({ limit });
  if (after.value.length > 200 || !isCursor(after.value, afterKind)) {
    return err('invalid_argument', `after is invalid: ${HINTS.after}.`, 'after');
  }
  return ok({ limit, after: afterKind === 'number' ? String(positiveInt(after.value)) : after.value });
}
