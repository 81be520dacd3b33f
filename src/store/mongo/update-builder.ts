import { trusted } from 'mongoose';

export interface SetUnset {
  $set?: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

/**
 * Turns a core patch into `$set` / `$unset`: only `allowed` keys are written; a key present with the
 * value `undefined` clears the field when it is `optional` (required fields are never cleared).
 */
export function setUnset(patch: object, allowed: readonly string[], optional: readonly string[]): SetUnset {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (!allowed.includes(key)) continue;
    if (value === undefined) {
      if (optional.includes(key)) $unset[key] = '';
    } else {
      $set[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
  }
  return {
    ...(Object.keys($set).length > 0 ? { $set } : {}),
    ...(Object.keys($unset).length > 0 ? { $unset } : {}),
  };
}

export function isEmptyUpdate(update: SetUnset): boolean {
  return update.$set === undefined && update.$unset === undefined;
}

/**
 * A query operator written by this code (not user input). The connection sanitizes filters, which
 * wraps any object with `$` keys in `$eq`; operators built here are marked as trusted to pass.
 */
export function op<T extends object>(operator: T): T {
  return trusted(operator) as T;
}

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
