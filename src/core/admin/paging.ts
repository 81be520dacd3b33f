import { err, ok, type Result } from '../errors.js';
import type { ListQuery } from '../api.js';
import type { PageRequest } from '../ports/store.js';
import { HINTS } from './hints.js';
import { positiveInt, queryText } from './validate.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/**
 * `?limit` (default 100, 1..1000) and `?after` (the `next` of the previous page). Lists keyed by
 * number (conversations, history) need a numeric `after`.
 */
export function parsePage(query: ListQuery, afterKind: 'text' | 'number'): Result<PageRequest> {
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
  if (after.value.length > 200 || (afterKind === 'number' && positiveInt(after.value) === null)) {
    return err('invalid_argument', `after is invalid: ${HINTS.after}.`, 'after');
  }
  return ok({ limit, after: afterKind === 'number' ? String(positiveInt(after.value)) : after.value });
}
