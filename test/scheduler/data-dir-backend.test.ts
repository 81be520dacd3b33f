// The scheduler over the in-process backend whose jobs live in a data directory: the same
// behaviour as in memory, and jobs that outlive the process.
import { afterAll, describe, expect, it } from 'vitest';
import { AgendaScheduler } from '../../src/scheduler/agenda-scheduler.js';
import { createMemoryAgendaBackend } from '../../src/scheduler/memory-backend.js';
import { openDataDir, type DataDir } from '../../src/store/embedded/data-dir.js';
import { tempDir } from '../store/data-dir-support.js';
import { inMs, recordingHandler, sleep, timeout, waitFor } from './helpers.js';
import { schedulerBehaviour } from './scheduler-behaviour.js';

const opened: Array<{ data: DataDir; remove(): void }> = [];
afterAll(async () => {
  for (const { data, remove } of opened.splice(0)) {
    await data.close();
    remove();
  }
});

async function freshDataDir(): Promise<{ data: DataDir; dir: string; remove(): void }> {
  const temp = tempDir('switchboard-jobs-');
  const data = await openDataDir(temp.dir);
  opened.push({ data, remove: temp.remove });
  return { data, dir: temp.dir, remove: temp.remove };
}

describe('AgendaScheduler with the in-process backend in a data directory', () => {
  schedulerBehaviour({
    create: async () => createMemoryAgendaBackend((await freshDataDir()).data.jobs),
    peer: async (first) => first,
  });
});

describe('scheduled jobs in a data directory', () => {
  const start = (data: DataDir, handler: ReturnType<typeof recordingHandler>['handler']) =>
    new AgendaScheduler({ backend: createMemoryAgendaBackend(data.jobs), handler, processEveryMs: 100, retry: { maxRetries: 0, delayMs: 100 }, reconcileEveryMs: 0 });

  it('runs at the next start a timer that fell due while the process was down, once', async () => {
    const temp = tempDir('switchboard-jobs-');
    try {
      const first = await openDataDir(temp.dir);
      const before = recordingHandler();
      const s1 = start(first, before.handler);
      await s1.start();
      await s1.schedule('response-timeout', inMs(300), timeout(7));
      await s1.schedule('response-timeout', inMs(60_000), timeout(8));
      await s1.stop();
      await first.close();
      await sleep(400); // the first timer falls due while nothing runs

      const second = await openDataDir(temp.dir);
      expect(second.counts.job).toBe(2);
      const after = recordingHandler();
      const s2 = start(second, after.handler);
      await s2.start();
      try {
        await waitFor('the overdue timer to run', () => after.runs.length === 1);
        expect(after.runs[0]?.data).toEqual(timeout(7));
        expect(before.runs).toEqual([]);
        expect((await s2.pending('response-timeout', { conversation: 8 })).length).toBe(1);
      } finally {
        await s2.stop();
        await second.close();
      }
    } finally {
      temp.remove();
    }
  });

  it('runs again a job whose process died while it held the lock', async () => {
    const temp = tempDir('switchboard-jobs-');
    try {
      const first = await openDataDir(temp.dir);
      await first.jobs.saveJob({ name: 'response-timeout', priority: 0, nextRunAt: new Date(Date.now() - 10), type: 'normal', data: timeout(9) }, undefined);
      // Taken by a process that is then killed: the lock is on disk, the job never finished.
      const taken = await first.jobs.getNextJobToRun('response-timeout', new Date(), new Date(0), undefined, undefined);
      expect(taken?.lockedAt).toBeInstanceOf(Date);
      await first.close();

      const second = await openDataDir(temp.dir);
      const after = recordingHandler();
      const s2 = start(second, after.handler);
      await s2.start();
      try {
        await waitFor('the job to run at start', () => after.runs.length === 1);
        expect(after.runs[0]?.data).toEqual(timeout(9));
      } finally {
        await s2.stop();
        await second.close();
      }
    } finally {
      temp.remove();
    }
  });
});
