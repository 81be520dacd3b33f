export const OFFBOARD_MODES = ['suspend', 'disable', 'remove'] as const;
export type OffboardMode = (typeof OFFBOARD_MODES)[number];

/**
 * pending: previewed, waiting for confirmation; running: confirmed and being carried out
 * (resumed after a crash); done: finished; cancelled / expired: never carried out.
 * A done offboarding becomes `reinstating` when the agent returns (resumed after a crash like
 * `running`), then `reinstated`.
 */
export const OFFBOARDING_STATES = ['pending', 'running', 'done', 'cancelled', 'expired', 'reinstating', 'reinstated'] as const;
export type OffboardingState = (typeof OFFBOARDING_STATES)[number];

export interface PlannedMove {
  conversation: number;
  inbox: string;
  /** Receiving agent, or null: the conversation is queued. */
  to: string | null;
}

export interface Offboarding {
  id: string;
  /** Confirmation code typed as `/offboard confirm CODE`. */
  code: string;
  agent: string;
  supervisor: string;
  mode: OffboardMode;
  /** Suspensions only: when the agent returns. */
  until?: Date | undefined;
  /** The command as typed, for the record. */
  command: string;
  plan: PlannedMove[];
  /** Inboxes the agent was a member of when the plan was made (rejoined on reinstatement). */
  inboxes: string[];
  state: OffboardingState;
  createdAt: Date;
  /** Confirmation deadline. */
  expiresAt: Date;
  confirmedAt?: Date | undefined;
  finishedAt?: Date | undefined;
  reinstatedAt?: Date | undefined;
  summary?: string | undefined;
}
