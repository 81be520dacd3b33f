/**
 * What the in-process stores tell about the records they keep, so that the data directory can
 * hold the same records: the collection, the record's key, and how to read its value at the
 * moment it is written (undefined once the record is gone).
 */
export type RecordListener = (collection: string, key: string, read: () => unknown) => void;

/**
 * The kept collections in the order they are restored: a record is restored after those it
 * refers to (memberships after agents and inboxes). A new collection is added here and told
 * through the store's listener at every change; `restoreRecord` learns to put it back.
 */
export const RECORD_COLLECTIONS = [
  'counter',
  'agent',
  'inbox',
  'member',
  'conversation',
  'message',
  'history',
  'delivery',
  'link',
  'thread',
  'invite',
  'offboarding',
  'intake',
  'outbox',
] as const;

/** Numbers as a key that sorts like the numbers (12 digits each, joined by ':'). */
export function orderedKey(...numbers: number[]): string {
  return numbers.map((n) => String(n).padStart(12, '0')).join(':');
}
