// The core's Scheduler port over Agenda 6. Agenda persists, locks and runs the jobs; the handler
// (the core's runJob) decides what a job still means when it runs.
import { hostname } from 'node:os';
import { Agenda, exponential, type AgendaBackend, type Job } from 'agenda';
import { JOB_KEYS, JOB_NAMES, silentLogger } from '../core/index.js';
import type { JobDataMap, JobName, Logger, PendingJob, Scheduler } from '../core/index.js';

export interface JobRunInfo {
  /** Agenda's job id, stable across retries. */
  id: string;
}

/** Runs one job; `(name, data) => api.runJob(name, data)` fits. */
export type JobHandler = <N extends JobName>(name: N, data: JobDataMap[N], job: JobRunInfo) => Promise<void>;

export interface AgendaSchedulerOptions {
  backend: AgendaBackend;
  handler: JobHandler;
  /** How often Agenda looks for due jobs, in milliseconds; default 1000. */
  processEveryMs?: number;
  logger?: Logger;
  /** Recorded on jobs this instance locks; default `<hostname>:<pid>`. */
  name?: string;
  /** Retries of a job whose handler threw, with exponential backoff; default 3 retries from 10 s. */
  retry?: { maxRetries: number; delayMs: number };
  /** A locked job not finished within this time is given to another instance; default 60 s. */
  lockLifetimeMs?: number;
  /** How long stop() waits for running jobs to finish; default 10 s. */
  stopTimeoutMs?: number;
  /** How often the `reconcile` job runs (one recurring job for all processes); default 5 minutes, 0 = never. */
  reconcileEveryMs?: number;
}

const PING_TIMEOUT_MS = 2000;

type MatchValue = string | number | boolean;

/** Only plain field equality reaches the backend: no operators, no nested paths. */
function dataMatch(match: object): Record<string, MatchValue> {
  const fields: Record<string, MatchValue> = {};
  for (const [field, value] of Object.entries(match)) {
    if (value === undefined) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new TypeError(`invalid job data field ${JSON.stringify(field)}`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TypeError(`job data field ${field} must be matched by a string, number or boolean`);
    }
    fields[field] = value;
  }
  return fields;
}

/** Operator log fields of a job (conversation, agent), never message text. */
function logFields(name: JobName, data: unknown): Record<string, unknown> {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (name === 'reconcile') return {};
  return name === 'response-timeout' ? { conversation: d.conversation, agent: d.assignee } : { agent: d.handle };
}

/**
 * Saves a job. Two upserts of the same unique job at once can both miss and both insert; the
 * unique index refuses the second (duplicate key), which then finds the first and replaces it.
 */
async function saveRetryingDuplicate(job: Job<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await job.save();
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 11000 || attempt >= 2) throw error;
    }
  }
}

export class AgendaScheduler implements Scheduler {
  private readonly agenda: Agenda;
  private readonly backend: AgendaBackend;
  private readonly handler: JobHandler;
  private readonly logger: Logger;
  private readonly processEveryMs: number;
  private readonly stopTimeoutMs: number;
  private readonly reconcileEveryMs: number;
  private readonly running = new Set<Promise<unknown>>();
  private connection: Promise<void> | undefined;
  private connected = false;
  private started = false;
  private markConnected: () => void = () => {};
  /** Settles at the first successful connection; Agenda waits for it before using the storage. */
  private readonly firstConnection = new Promise<void>((resolve) => {
    this.markConnected = resolve;
  });

  constructor(options: AgendaSchedulerOptions) {
    this.backend = options.backend;
    this.handler = options.handler;
    this.logger = options.logger ?? silentLogger;
    this.processEveryMs = options.processEveryMs ?? 1000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.reconcileEveryMs = options.reconcileEveryMs ?? 5 * 60_000;
    void this.ensureConnected().catch(() => {});
    const retry = options.retry ?? { maxRetries: 3, delayMs: 10_000 };

    this.agenda = new Agenda({
      backend: this.gate(),
      name: options.name ?? `${hostname()}:${process.pid}`,
      processEvery: this.processEveryMs,
      defaultLockLifetime: options.lockLifetimeMs ?? 60_000,
      removeOnComplete: true,
    });
    this.agenda.on('error', (err: Error) => this.logger.warn({ err }, 'scheduler error'));
    for (const name of JOB_NAMES) {
      this.agenda.define(name, (job: Job<unknown>) => this.run(name, job), {
        ...(retry.maxRetries > 0 ? { backoff: exponential({ delay: retry.delayMs, maxRetries: retry.maxRetries }) } : {}),
      });
    }
  }

  /**
   * Connects the backend once; a failure surfaces in the call that needed the connection
   * (start, schedule, cancel, pending), and the next such call tries again.
   */
  private ensureConnected(): Promise<void> {
    this.connection ??= this.backend.connect().then(
      () => {
        this.connected = true;
        this.markConnected();
      },
      (err: unknown) => {
        this.connection = undefined;
        throw err;
      },
    );
    return this.connection;
  }

  /**
   * The backend as Agenda sees it: Agenda connects in its constructor without handling failure,
   * so it waits for the connection this class manages, and never closes it.
   */
  private gate(): AgendaBackend {
    const { backend } = this;
    return {
      name: backend.name,
      repository: backend.repository,
      notificationChannel: backend.notificationChannel,
      logger: backend.logger,
      ownsConnection: false,
      connect: () => this.firstConnection,
      disconnect: async () => {},
    };
  }

  private run(name: JobName, job: Job<unknown>): Promise<void> {
    const run = this.runHandler(name, job);
    const tracked = run.catch(() => {}).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return run;
  }

  private async runHandler(name: JobName, job: Job<unknown>): Promise<void> {
    const id = String(job.attrs._id);
    const data = job.attrs.data as JobDataMap[JobName];
    try {
      await this.handler(name, data, { id });
      this.logger.debug({ job: name, jobId: id, ...logFields(name, data) }, 'scheduled job ran');
    } catch (err) {
      const attempt = (job.attrs.failCount ?? 0) + 1;
      this.logger.error({ job: name, jobId: id, attempt, err, ...logFields(name, data) }, 'scheduled job failed');
      throw err; // Agenda records the failure on the job and schedules a retry if any is left
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.ensureConnected();
    await this.agenda.start();
    // a 'single' job: every process saves the same one, so the repair runs once per interval in all
    if (this.reconcileEveryMs > 0) await this.agenda.every(this.reconcileEveryMs, 'reconcile', undefined, { skipImmediate: true });
    this.started = true;
    this.logger.info({ backend: this.backend.name, processEveryMs: this.processEveryMs }, 'scheduler started');
  }

  /**
   * Stops taking jobs: jobs locked but not started are unlocked for the next start or another
   * process, and jobs already running are given up to `stopTimeoutMs` to finish.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.agenda.stop(false);
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.stopTimeoutMs);
      });
      const outcome = await Promise.race([Promise.all(this.running).then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') this.logger.warn({ running: this.running.size }, 'scheduler stopped with jobs still running');
    }
    if (this.backend.ownsConnection ?? true) {
      await this.backend.disconnect();
      this.connection = undefined;
      this.connected = false;
    }
    this.logger.info({ backend: this.backend.name }, 'scheduler stopped');
  }

  /** Started and connected. */
  ready(): boolean {
    return this.started && this.connected;
  }

  /** Ready, and the job storage answers within 2 s (for /readyz). */
  async ping(): Promise<boolean> {
    if (!this.ready()) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const probe = this.backend.repository.getQueueSize().then(() => true, () => false);
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The Agenda instance, for its dashboard (Agendash) only: jobs are scheduled through this class. */
  get agendaForDashboard(): Agenda {
    return this.agenda;
  }

  async schedule<N extends JobName>(name: N, runAt: Date, data: JobDataMap[N]): Promise<void> {
    await this.ensureConnected();
    const key = (JOB_KEYS as Partial<Record<JobName, string>>)[name];
    const job = this.agenda.create(name, data).schedule(runAt);
    if (key !== undefined) {
      // One upsert on the pending job with the same key (not one that is running: its nextRunAt is null).
      job.unique({ [`data.${key}`]: (data as unknown as Record<string, unknown>)[key], nextRunAt: { $ne: null } });
    }
    await saveRetryingDuplicate(job);
    this.logger.debug({ job: name, jobId: String(job.attrs._id), runAt: runAt.toISOString(), ...logFields(name, data) }, 'job scheduled');
  }

  async cancel<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<number> {
    const ids = (await this.pendingJobs(name, match)).map((job) => String(job._id));
    if (ids.length === 0) return 0;
    return this.agenda.cancel({ name, ids });
  }

  async pending<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<PendingJob<N>[]> {
    const jobs = await this.pendingJobs(name, match);
    return jobs.map((job) => ({ name, runAt: new Date(job.nextRunAt as Date), data: job.data as JobDataMap[N] }));
  }

  /** Jobs of `name` still to run (a job that has started has no next run time), soonest first. */
  private async pendingJobs(name: JobName, match: object) {
    const data = dataMatch(match);
    await this.ensureConnected();
    const { jobs } = await this.agenda.queryJobs({
      name,
      data,
      includeDisabled: false,
      sort: { nextRunAt: 'asc' },
    });
    return jobs.filter((job) => job.nextRunAt != null);
  }
}
