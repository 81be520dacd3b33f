import { JOB_KEYS, type Clock, type JobDataMap, type JobName, type PendingJob, type Scheduler, type SwitchboardApi } from '../../src/core/index.js';

interface Job {
  id: number;
  name: JobName;
  runAt: Date;
  data: Record<string, unknown>;
}

/**
 * The scheduler port for core tests: jobs wait until the test moves the clock and calls runDue.
 * (Agenda itself is exercised in test/scheduler and the end-to-end tests.)
 */
export class ManualScheduler implements Scheduler {
  jobs: Job[] = [];
  private seq = 0;
  ran = 0;

  async schedule<N extends JobName>(name: N, runAt: Date, data: JobDataMap[N]): Promise<void> {
    const key = (JOB_KEYS as Partial<Record<JobName, string>>)[name];
    const fields = { ...data } as Record<string, unknown>;
    const existing = key === undefined ? undefined : this.jobs.find((j) => j.name === name && j.data[key] === fields[key]);
    if (existing) Object.assign(existing, { runAt, data: fields });
    else this.jobs.push({ id: ++this.seq, name, runAt, data: fields });
  }

  async cancel<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<number> {
    const before = this.jobs.length;
    this.jobs = this.jobs.filter((j) => !(j.name === name && matches(j.data, match)));
    return before - this.jobs.length;
  }

  async pending<N extends JobName>(name: N, match: Partial<JobDataMap[N]>): Promise<PendingJob<N>[]> {
    return this.jobs
      .filter((j) => j.name === name && matches(j.data, match))
      .map((j) => ({ name: j.name as N, runAt: j.runAt, data: j.data as unknown as JobDataMap[N] }));
  }

  /** Run every job due at the clock's time, oldest first (jobs scheduled meanwhile wait for the next call). */
  async runDue(core: SwitchboardApi, clock: Clock): Promise<number> {
    const now = clock.now().getTime();
    const due = this.jobs.filter((j) => j.runAt.getTime() <= now).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
    this.jobs = this.jobs.filter((j) => !due.includes(j));
    for (const j of due) {
      this.ran++;
      await core.runJob(j.name, j.data as never);
    }
    return due.length;
  }
}

function matches(data: Record<string, unknown>, match: object): boolean {
  return Object.entries(match).every(([k, v]) => v === undefined || data[k] === v);
}
