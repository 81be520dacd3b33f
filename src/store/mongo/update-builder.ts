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
