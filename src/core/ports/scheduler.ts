export const JOB_NAMES = ['response-timeout', 'reinstate-agent', 'reconcile'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface ResponseTimeoutJob {
  conversation: number;
  assignee: string;
  /** waitingSince of the conversation when scheduled, ISO; a job for an older wait is stale. */
  waitingSince: string;
}
export interface ReinstateAgentJob {
  handle: string;
  offboarding: string;
}
/** The periodic repair (every few minutes and at start): load counts and response timers. */
export type ReconcileJob = Record<string, never>;
export interface JobDataMap {
  'response-timeout': ResponseTimeoutJob;
  'reinstate-agent': ReinstateAgentJob;
  reconcile: ReconcileJob;
}

export interface PendingJob<N extends JobName = JobName> {
  name: N;
  runAt: Date;
  data: JobDataMap[N];
}

/**
 * Delayed work (Agenda). Jobs are persisted; the handler (`Switchboard.runJob`) is idempotent,
 * and each job is delivered to one process at a time.
 */
/**
 * The field that identifies a job among those of its name: a pending job is replaced, not added
 * to, when one with the same key is scheduled (a conversation has one response timer).
 */
export const JOB_KEYS = {
  'response-timeout': 'conversation',
  'reinstate-agent': 'handle',
} as const satisfies Partial<{ [N in JobName]: keyof JobDataMap[N] }>;

export interface Scheduler {
  /**
   * Schedule a job; for a name with a key (JOB_KEYS) this replaces the pending job with the same
   * key in one atomic write, so concurrent calls leave exactly one. A job that is already running
   * is not pending: scheduling from inside it adds the next one.
   */
  schedule<N extends JobName>(name: N, runAt: Date, data: JobDataMap[N]): Promise<void>;
  /** Cancel pending jobs of `name` whose data has all fields of `match`; returns how many. */
  cancel<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<number>;
  pending<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<PendingJob<N>[]>;
}
