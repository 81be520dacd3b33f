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
export interface Scheduler {
  schedule<N extends JobName>(name: N, runAt: Date, data: JobDataMap[N]): Promise<void>;
  /** Cancel pending jobs of `name` whose data has all fields of `match`; returns how many. */
  cancel<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<number>;
  pending<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<PendingJob<N>[]>;
}
