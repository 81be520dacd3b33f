import { afterAll, describe, expect, it } from 'vitest';
import type { JobParameters } from 'agenda';
import { MemoryJobRepository } from '../../src/scheduler/memory-job-repository.js';
import { openDataDir, type DataDir } from '../../src/store/embedded/data-dir.js';
import { tempDir } from '../store/data-dir-support.js';

const at = (ms: number) => new Date(Date.now() + ms);
const FAR = at(3_600_000);
const LONG_AGO = new Date(Date.now() - 3_600_000);

function job(fields: Partial<JobParameters> = {}): JobParameters {
  return { name: 'response-timeout', priority: 0, nextRunAt: at(-10), type: 'normal', data: { conversation: 1 }, ...fields };
}

const opened: Array<{ data: DataDir; remove(): void }> = [];
afterAll(async () => {
  for (const { data, remove } of opened.splice(0)) {
    await data.close();
    remove();
  }
});

/** The jobs of a data directory: every call that changes a job resolves once it is written. */
async function dataDirRepository(): Promise<MemoryJobRepository> {
  const temp = tempDir('switchboard-jobs-');
  const data = await openDataDir(temp.dir);
  opened.push({ data, remove: temp.remove });
  return data.jobs;
}

describe.each([
  { name: 'MemoryJobRepository', make: async () => new MemoryJobRepository() },
  { name: 'MemoryJobRepository in a data directory', make: dataDirRepository },
])('$name', ({ make }) => {
  it('hands a due job to one caller only, even when several ask at once', async () => {
    const repo = await make();
    await repo.saveJob(job(), undefined);

    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => repo.getNextJobToRun('response-timeout', at(100), LONG_AGO, undefined, { lastModifiedBy: name })),
    );
    const taken = results.filter((r) => r !== undefined);
    expect(taken).toHaveLength(1);
    expect(taken[0]?.lockedAt).toBeInstanceOf(Date);
    expect(await repo.getNextJobToRun('response-timeout', at(100), LONG_AGO, undefined, undefined)).toBeUndefined();
  });

  it('takes the soonest job first, then the higher priority, and leaves jobs beyond the scan', async () => {
    const repo = await make();
    const soon = at(50);
    await repo.saveJob(job({ nextRunAt: FAR, data: { conversation: 1 } }), undefined);
    await repo.saveJob(job({ nextRunAt: soon, priority: 0, data: { conversation: 2 } }), undefined);
    await repo.saveJob(job({ nextRunAt: soon, priority: 10, data: { conversation: 3 } }), undefined);
    await repo.saveJob(job({ name: 'reinstate-agent', data: { handle: 'bob' } }), undefined);

    const next = () => repo.getNextJobToRun('response-timeout', at(100), LONG_AGO, undefined, undefined);
    expect((await next())?.data).toEqual({ conversation: 3 });
    expect((await next())?.data).toEqual({ conversation: 2 });
    expect(await next()).toBeUndefined();
  });

  it('gives a job whose lock has expired to another caller', async () => {
    const repo = await make();
    await repo.saveJob(job(), undefined);
    const lockedAt = new Date(Date.now() - 120_000);
    await repo.getNextJobToRun('response-timeout', at(100), LONG_AGO, lockedAt, undefined);

    expect(await repo.getNextJobToRun('response-timeout', at(100), LONG_AGO, undefined, undefined)).toBeUndefined();
    const deadline = new Date(Date.now() - 60_000);
    expect(await repo.getNextJobToRun('response-timeout', at(100), deadline, undefined, undefined)).toBeDefined();
  });

  it('locks a job only while it is unlocked and still due at the time the caller saw', async () => {
    const repo = await make();
    const saved = await repo.saveJob(job({ nextRunAt: at(20) }), undefined);

    expect(await repo.lockJob({ ...saved, nextRunAt: at(5000) }, undefined)).toBeUndefined();
    expect(await repo.lockJob(saved, undefined)).toBeDefined();
    expect(await repo.lockJob(saved, undefined)).toBeUndefined();
    await repo.unlockJob(saved);
    expect(await repo.lockJob(saved, undefined)).toBeDefined();
  });

  it('refuses to record a run of a job that was cancelled meanwhile', async () => {
    const repo = await make();
    const saved = await repo.saveJob(job(), undefined);
    expect(await repo.removeJobs({ name: 'response-timeout', data: { conversation: 1 } })).toBe(1);

    await expect(repo.saveJobState({ ...saved, lastRunAt: new Date() }, undefined)).rejects.toThrow(/does not exist/);
  });

  it('removes and lists jobs by name and partial data, and removes nothing without criteria', async () => {
    const repo = await make();
    await repo.saveJob(job({ data: { conversation: 1, assignee: 'amanda' } }), undefined);
    await repo.saveJob(job({ data: { conversation: 2, assignee: 'amanda' } }), undefined);
    await repo.saveJob(job({ name: 'reinstate-agent', data: { handle: 'amanda' } }), undefined);

    expect(await repo.removeJobs({})).toBe(0);
    expect((await repo.queryJobs({ name: 'response-timeout', data: { assignee: 'amanda' } })).total).toBe(2);
    expect((await repo.queryJobs({ data: { assignee: 'bob' } })).total).toBe(0);
    expect(await repo.removeJobs({ name: 'response-timeout', data: { assignee: 'amanda' } })).toBe(2);
    expect(await repo.getDistinctJobNames()).toEqual(['reinstate-agent']);
  });

  it('keeps one recurring job per name, and keeps its due run time when saved again', async () => {
    const repo = await make();
    const first = await repo.saveJob(job({ type: 'single', nextRunAt: FAR }), undefined);
    const due = at(-1000);
    await repo.saveJob(job({ type: 'single', nextRunAt: at(-10) }), undefined);
    const again = await repo.saveJob(job({ type: 'single', nextRunAt: due }), undefined);

    expect(again._id).toBe(first._id);
    expect((await repo.queryJobs({})).total).toBe(1);
    expect(again.nextRunAt).toEqual(FAR);
  });

  it('keeps the first of unique jobs saved insert-only', async () => {
    const repo = await make();
    const unique = { 'data.conversation': 1 };
    const first = await repo.saveJob(job({ unique, uniqueOpts: { insertOnly: true }, nextRunAt: FAR }), undefined);
    const second = await repo.saveJob(job({ unique, uniqueOpts: { insertOnly: true }, nextRunAt: at(10) }), undefined);

    expect(second._id).toBe(first._id);
    expect(second.nextRunAt).toEqual(FAR);
    expect((await repo.queryJobs({})).total).toBe(1);
  });

  it('returns copies, so a caller changing a job does not change the stored one', async () => {
    const repo = await make();
    const saved = await repo.saveJob(job(), undefined);
    (saved.data as { conversation: number }).conversation = 99;
    saved.nextRunAt?.setTime(0);

    const stored = await repo.getJobById(String(saved._id));
    expect(stored?.data).toEqual({ conversation: 1 });
    expect(stored?.nextRunAt?.getTime()).not.toBe(0);
  });
});
