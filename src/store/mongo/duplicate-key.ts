/** What a duplicate-key error (E11000) says about the unique index it hit. */
export interface DuplicateKey {
  /** Index name, when the server's message names it. */
  index: string | undefined;
  /** Fields of the index's key, when the server reports them. */
  fields: string[];
}

/** The duplicate-key details of `error`, or null when it is any other error. */
export function duplicateKey(error: unknown): DuplicateKey | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; message?: unknown; keyPattern?: unknown; keyValue?: unknown };
  if (e.code !== 11000 && e.code !== 11001) return null;
  const message = typeof e.message === 'string' ? e.message : '';
  const index = / index: (\S+)/.exec(message)?.[1];
  const pattern = isRecord(e.keyPattern) ? e.keyPattern : isRecord(e.keyValue) ? e.keyValue : {};
  return { index, fields: Object.keys(pattern) };
}

/**
 * True when `error` is a duplicate key on the index with this name or on exactly these fields. A
 * duplicate-key error that names neither (some MongoDB-compatible servers) counts as a match:
 * callers use this where only that one unique index can be hit.
 */
export function isDuplicateOn(error: unknown, index: string, fields: readonly string[]): boolean {
  const dup = duplicateKey(error);
  if (!dup) return false;
  if (dup.index !== undefined) return dup.index === index;
  if (dup.fields.length === 0) return true;
  return dup.fields.length === fields.length && fields.every((f) => dup.fields.includes(f));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
