export const HISTORY_REASONS = [
  'route',
  'transfer',
  'unassign',
  'claim',
  'timeout',
  'offboard',
  'suspend',
  'reinstate',
  'close',
] as const;
export type HistoryReason = (typeof HISTORY_REASONS)[number];

/** One assignment change. History is append-only and never deleted. */
export interface HistoryEvent {
  conversation: number;
  reason: HistoryReason;
  from: string | null;
  to: string | null;
  actor: string | null;
  note?: string | undefined;
  at: Date;
  /** Offboarding run that caused this event, if any. */
  offboarding?: string | undefined;
}
