import { describe, expect, it } from 'vitest';
import { MemoryJobRepository } from '../../src/scheduler/memory-job-repository.js';

const job = (conversation: number, assignee: string) => ({
  name: 'response-timeout',
  type: 'normal' as const,
  priority: 0,
  nextRunAt: new Date(Date.now() + 60_000),
  data: { conversation, assignee, waitingSince: '2026-01-01T00:00:00.000Z' },
});

describe('in-process job repository data lookups', () => {
  it('cancels and lists by data field among many jobs, also after a job’s data changed', async () => {
    const repo = new MemoryJobRepository();
    const saved = [];
    for (let i = 0; i < 2000; i++) saved.push(await repo.saveJob(job(i, `a${i % 7}`), undefined));
    expect((await repo.queryJobs({ name: 'response-timeout', data: { assignee: 'a3' } })).total).toBe(286);
    expect(await repo.removeJobs({ name: 'response-timeout', data: { conversation: 5 } })).toBe(1);
    expect(await repo.removeJobs({ name: 'response-timeout', data: { conversation: 5 } })).toBe(0);
    // job 6 moves to another agent
    await repo.saveJob({ ...saved[6]!, data: { ...saved[6]!.data, assignee: 'zed' } }, undefined);
    expect((await repo.queryJobs({ data: { assignee: 'zed' } })).jobs.map((j) => (j.data as { conversation: number }).conversation)).toEqual([6]);
    expect((await repo.queryJobs({ data: { assignee: 'a6', conversation: 6 } })).total).toBe(0);
    expect(await repo.removeJobs({ data: { assignee: 'a0' } })).toBe(286);
    expect((await repo.queryJobs({})).total).toBe(2000 - 1 - 286);
    expect(await repo.purgeAllJobs()).toBe(1713);
    expect((await repo.queryJobs({ data: { assignee: 'a1' } })).total).toBe(0);
  });
});
