// Agenda's JobRepository kept in process memory. Every operation reads and writes the map
// without awaiting in between, so a find-and-lock is atomic across all Agenda instances that
// share this repository, the way MongoDB's findOneAndUpdate is atomic across processes.
import { randomUUID } from 'node:crypto';
import { computeJobState, toJobId } from 'agenda';
import type {
  JobParameters,
  JobRepository,
  JobRepositoryOptions,
  JobsOverview,
  JobsQueryOptions,
  JobsResult,
  RemoveJobsOptions,
  SortDirection,
} from 'agenda';
import { byFields, matchesData, matchesUnique, selectionFilter, type StoredJob } from './memory-job-query.js';
import { DataIndex } from './memory-data-index.js';
import type { RecordListener } from '../store/memory/record-changes.js';

const PROCESSOR_STATE_FIELDS = [
  'lockedAt',
  'nextRunAt',
  'lastRunAt',
  'progress',
  'failReason',
  'failCount',
  'failedAt',
  'lastFinishedAt',
] as const;

/** Fields that a save sets to null in MongoDB when the job leaves them out. */
const CLEARED_BY_SAVE = [
  'lockedAt', 'lastFinishedAt', 'failedAt', 'failCount', 'failReason', 'repeatTimezone', 'lastRunAt',
  'repeatInterval', 'repeatAt', 'disabled', 'progress', 'debounceStartedAt', 'fork', 'startDate', 'endDate', 'skipDays',
] as const;

/** A copy the caller may change freely, with the JobId brand on its id. */
function copyOut<DATA>(job: StoredJob): JobParameters<DATA> {
  const copy = structuredClone(job);
  return { ...copy, _id: toJobId(copy._id) } as JobParameters<DATA>;
}

function withoutUndefined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

export class MemoryJobRepository implements JobRepository {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly byData = new DataIndex();
  private readonly lockOrder: Partial<Record<string, SortDirection>>;
  private changed: RecordListener = () => {};

  constructor(options: { sort?: Partial<Record<string, SortDirection>> } = {}) {
    this.lockOrder = options.sort ?? { nextRunAt: 'asc', priority: 'desc' };
  }

  async connect(): Promise<void> {}

  /** Tell `listener` of every job change from now on (collection 'job', key the job id). */
  onRecordChange(listener: RecordListener): void {
    this.changed = listener;
  }

  /**
   * Put back a job as it was told to the listener, at a start. The process that held a lock is
   * gone, so the lock is dropped; a job that had started runs again (handlers are idempotent).
   */
  restoreJob(stored: StoredJob): void {
    const job = { ...stored };
    if (job.lockedAt != null) {
      delete job.lockedAt;
      if (job.nextRunAt == null) job.nextRunAt = new Date();
    }
    this.jobs.set(job._id, job);
    this.byData.add(job._id, job.data);
  }

  private jobChanged(id: string): void {
    this.changed('job', id, () => this.jobs.get(id));
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const { name, names, state, id, ids, search, data, includeDisabled = true, sort, skip = 0, limit = 0 } = options;
    const now = new Date();
    let nameTest: ((n: string) => boolean) | undefined;
    if (name && typeof name === 'string') nameTest = (n) => n === name;
    else if (Array.isArray(names) && names.length > 0) nameTest = (n) => names.includes(n);
    if (search && typeof search === 'string') nameTest = (n) => n.toLowerCase().includes(search.toLowerCase());
    const idSet = id ? new Set([String(id)]) : Array.isArray(ids) && ids.length > 0 ? new Set(ids.map(String)) : undefined;

    const matching = this.jobsMatchingData(data)
      .filter((job) => !nameTest || nameTest(job.name))
      .filter((job) => !idSet || idSet.has(job._id))
      .filter((job) => data === undefined || matchesData(job.data, data))
      .filter((job) => includeDisabled || job.disabled !== true)
      .sort(byFields(sort && Object.keys(sort).length > 0 ? sort : { nextRunAt: 'desc', lastRunAt: 'desc' }))
      .map((job) => ({ ...copyOut(job), _id: toJobId(job._id), state: computeJobState(job, now) }))
      .filter((job) => !state || (state === 'paused' ? job.disabled === true : job.state === state));
    const page = matching.slice(skip, limit > 0 ? skip + limit : undefined);
    return { jobs: page, total: matching.length };
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const now = new Date();
    return (await this.getDistinctJobNames()).map((name) => {
      const overview: JobsOverview = {
        name, total: 0, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0,
      };
      for (const job of this.jobs.values()) {
        if (job.name !== name) continue;
        overview.total++;
        overview[computeJobState(job, now)]++;
        if (job.disabled === true) overview.paused++;
      }
      return overview;
    });
  }

  async getDistinctJobNames(): Promise<string[]> {
    return [...new Set([...this.jobs.values()].map((job) => job.name))];
  }

  async getJobById(id: string): Promise<JobParameters | null> {
    const job = this.jobs.get(String(id));
    return job ? copyOut(job) : null;
  }

  async getQueueSize(): Promise<number> {
    const now = Date.now();
    return [...this.jobs.values()].filter((job) => job.nextRunAt != null && job.nextRunAt.getTime() < now).length;
  }

  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    const selected = selectionFilter(options);
    if (!selected) return 0;
    let removed = 0;
    for (const job of this.selectionCandidates(options)) {
      if (selected(job) && this.jobs.delete(job._id)) {
        this.byData.remove(job._id, job.data);
        this.jobChanged(job._id);
        removed++;
      }
    }
    return removed;
  }

  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, true);
  }

  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, false);
  }

  private setDisabled(options: RemoveJobsOptions, disabled: boolean): number {
    const selected = selectionFilter(options);
    if (!selected) return 0;
    let changed = 0;
    for (const job of this.jobs.values()) {
      if (selected(job) && job.disabled !== disabled) {
        job.disabled = disabled;
        this.jobChanged(job._id);
        changed++;
      }
    }
    return changed;
  }

  async purgeAllJobs(): Promise<number> {
    const count = this.jobs.size;
    const ids = [...this.jobs.keys()];
    this.jobs.clear();
    for (const id of ids) this.jobChanged(id);
    this.byData.clear();
    return count;
  }

  async saveJob<DATA = unknown>(job: JobParameters<DATA>, options: JobRepositoryOptions | undefined): Promise<JobParameters<DATA>> {
    const { _id, unique, uniqueOpts, ...props } = structuredClone(job);
    // Like MongoDB's $set of every property: fields the caller leaves out are cleared.
    const cleared = Object.fromEntries(CLEARED_BY_SAVE.map((field) => [field, undefined]));
    const fields = { ...cleared, ...props, lastModifiedBy: options?.lastModifiedBy } as Omit<StoredJob, '_id'>;
    const now = new Date();

    if (_id) {
      const existing = this.jobs.get(String(_id));
      if (!existing || existing.name !== props.name) return job; // removed meanwhile
      return copyOut(this.replaceFields(existing, fields));
    }
    if (props.type === 'single') {
      const existing = [...this.jobs.values()].find((j) => j.name === props.name && j.type === 'single');
      if (!existing) return copyOut(this.insert(fields));
      // A due run time of a recurring job is kept: only a new job takes it.
      const protectRunAt = props.nextRunAt != null && props.nextRunAt <= now;
      return copyOut(this.replaceFields(existing, protectRunAt ? { ...fields, nextRunAt: existing.nextRunAt } : fields));
    }
    if (unique) {
      const query = { ...unique, name: props.name };
      const existing = this.uniqueCandidates(unique).find((j) => matchesUnique(j, query));
      const debounce = uniqueOpts?.debounce;
      if (debounce) {
        const startedAt = existing?.debounceStartedAt ?? now;
        if (debounce.strategy === 'leading') {
          // Runs on the first save's schedule; later saves only update the data.
          fields.nextRunAt = existing ? existing.nextRunAt : fields.nextRunAt;
          fields.debounceStartedAt = startedAt;
        } else if (existing && debounce.maxWait && now.getTime() - startedAt.getTime() >= debounce.maxWait) {
          fields.nextRunAt = now;
          fields.debounceStartedAt = undefined;
        } else {
          fields.nextRunAt = new Date(now.getTime() + debounce.delay);
          fields.debounceStartedAt = startedAt;
        }
      } else if (existing && uniqueOpts?.insertOnly) {
        return copyOut(existing);
      }
      return copyOut(existing ? this.replaceFields(existing, fields) : this.insert(fields));
    }
    return copyOut(this.insert(fields));
  }

  /** Jobs a unique() constraint may match: by the data index when it names data fields by equality. */
  private uniqueCandidates(unique: Record<string, unknown>): StoredJob[] {
    const data: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(unique)) {
      const field = /^data\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path)?.[1];
      if (field !== undefined && (typeof value === 'string' || typeof value === 'number')) data[field] = value;
    }
    return Object.keys(data).length > 0 ? this.jobsMatchingData(data) : [...this.jobs.values()];
  }

  private insert(fields: Omit<StoredJob, '_id'>): StoredJob {
    const job = { ...withoutUndefined(fields), _id: randomUUID() } as StoredJob;
    this.jobs.set(job._id, job);
    this.byData.add(job._id, job.data);
    this.jobChanged(job._id);
    return job;
  }

  /** Jobs that may match a data filter: looked up in the index when the filter has a scalar field. */
  /** Jobs a removal may touch: by id when ids are given, else by the data index, else all. */
  private selectionCandidates(options: RemoveJobsOptions): StoredJob[] {
    const ids = options.id ? [String(options.id)] : Array.isArray(options.ids) && options.ids.length > 0 ? options.ids.map(String) : null;
    if (ids) return ids.map((id) => this.jobs.get(id)).filter((job): job is StoredJob => job !== undefined);
    return this.jobsMatchingData(options.data);
  }

  private jobsMatchingData(data: unknown): StoredJob[] {
    const ids = data === undefined ? undefined : this.byData.candidates(data);
    if (!ids) return [...this.jobs.values()];
    return [...ids].map((id) => this.jobs.get(id)).filter((job): job is StoredJob => job !== undefined);
  }

  private replaceFields(existing: StoredJob, fields: Partial<StoredJob>): StoredJob {
    const reindex = 'data' in fields;
    if (reindex) this.byData.remove(existing._id, existing.data);
    this.setFields(existing, fields);
    if (reindex) this.byData.add(existing._id, existing.data);
    return existing;
  }

  private setFields(existing: StoredJob, fields: Partial<StoredJob>): StoredJob {
    for (const [key, value] of Object.entries(fields)) {
      if (key === '_id') continue;
      const record = existing as unknown as Record<string, unknown>;
      if (value === undefined) delete record[key];
      else record[key] = value;
    }
    if (existing.nextRunAt === undefined) existing.nextRunAt = null;
    this.jobChanged(existing._id);
    return existing;
  }

  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    const existing = job._id ? this.jobs.get(String(job._id)) : undefined;
    if (!job._id) throw new Error('Cannot save job state without job ID');
    if (!existing || existing.name !== job.name) {
      throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated, maybe it does not exist anymore?`);
    }
    const state: Partial<StoredJob> = { lastModifiedBy: options?.lastModifiedBy };
    for (const field of PROCESSOR_STATE_FIELDS) {
      const value = job[field];
      (state as Record<string, unknown>)[field] = value instanceof Date ? new Date(value) : (value ?? undefined);
    }
    this.replaceFields(existing, state);
  }

  async lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    const existing = job._id ? this.jobs.get(String(job._id)) : undefined;
    if (!existing || existing.name !== job.name || existing.lockedAt != null || existing.disabled === true) return undefined;
    const sameRunAt = existing.nextRunAt == null
      ? job.nextRunAt == null
      : job.nextRunAt != null && existing.nextRunAt.getTime() === new Date(job.nextRunAt).getTime();
    if (!sameRunAt) return undefined;
    existing.lockedAt = new Date();
    existing.lastModifiedBy = options?.lastModifiedBy;
    this.jobChanged(existing._id);
    return copyOut(existing);
  }

  async unlockJob(job: JobParameters): Promise<void> {
    const existing = job._id ? this.jobs.get(String(job._id)) : undefined;
    // A one-time job that has started (nextRunAt null) keeps its lock, as with MongoDB.
    if (existing && existing.nextRunAt != null) {
      delete existing.lockedAt;
      this.jobChanged(existing._id);
    }
  }

  async unlockJobs(jobIds: string[]): Promise<void> {
    for (const id of jobIds) {
      const job = this.jobs.get(String(id));
      if (!job) continue;
      delete job.lockedAt;
      this.jobChanged(job._id);
    }
  }

  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const candidates = [...this.jobs.values()].filter(
      (job) =>
        job.name === jobName &&
        job.disabled !== true &&
        (job.lockedAt == null
          ? job.nextRunAt != null && job.nextRunAt <= nextScanAt
          : job.lockedAt <= lockDeadline),
    );
    const next = candidates.sort(byFields(this.lockOrder))[0];
    if (!next) return undefined;
    next.lockedAt = now ?? new Date();
    next.lastModifiedBy = options?.lastModifiedBy;
    this.jobChanged(next._id);
    return copyOut(next);
  }
}
