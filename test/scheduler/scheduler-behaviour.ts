// What the scheduler does with real Agenda over a given backend; each backend's test file runs
// this suite with its own factory.
import { afterEach, expect, it } from 'vitest';
import type { AgendaBackend } from 'agenda';
import type { JobDataMap } from '../../src/core/index.js';
import { AgendaScheduler, type AgendaSchedulerOptions } from '../../src/scheduler/agenda-scheduler.js';
import { inMs, recordingHandler, recordingLogger, sleep, timeout, waitFor } from './helpers.js';

export interface BackendFactory {
  /** A backend over a fresh, empty job store. */
  create(): Promise<AgendaBackend>;
  /** Another backend over the same job store, as a second process would have. */
  peer(first: AgendaBackend): Promise<AgendaBackend>;
}

/** Both connected (scheduling connects; no start needed to write jobs). */
async function s0(...schedulers: AgendaScheduler[]): Promise<void> {
  await Promise.all(schedulers.map((s) => s.pending('response-timeout', { conversation: -1 })));
}

export function schedulerBehaviour(factory: BackendFactory): void {
  const started: AgendaScheduler[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  function scheduler(options: Partial<AgendaSchedulerOptions> & Pick<AgendaSchedulerOptions, 'backend' | 'handler'>) {
    const s = new AgendaScheduler({ processEveryMs: 100, retry: { maxRetries: 0, delayMs: 100 }, ...options });
    started.push(s);
    return s;
  }

  it('runs a job scheduled 200 ms ahead once, with its data, not before its time', async () => {
    const { runs, handler } = recordingHandler();
    const s = scheduler({ backend: await factory.create(), handler });
    await s.start();
    const runAt = inMs(200);
    await s.schedule('response-timeout', runAt, timeout(12));

    await waitFor('the job to run', () => runs.length === 1);
    expect(runs[0]?.name).toBe('response-timeout');
    expect(runs[0]?.data).toEqual(timeout(12));
    expect(runs[0]?.at).toBeGreaterThanOrEqual(runAt.getTime());
    await sleep(400);
    expect(runs).toHaveLength(1);
    expect(await s.pending('response-timeout', { conversation: 12 })).toEqual([]);
  });

  it('cancels by a data field, so only the other conversation is redirected', async () => {
    const { runs, handler } = recordingHandler();
    const s = scheduler({ backend: await factory.create(), handler });
    await s.start();
    await s.schedule('response-timeout', inMs(200), timeout(12));
    await s.schedule('response-timeout', inMs(200), timeout(13));

    expect(await s.cancel('response-timeout', { conversation: 12 })).toBe(1);
    expect(await s.cancel('response-timeout', { conversation: 12 })).toBe(0);
    await waitFor('conversation 13 to run', () => runs.length === 1);
    await sleep(300);
    expect(runs.map((r) => r.data)).toEqual([timeout(13)]);
  });

  it('lists pending jobs matched by data fields, soonest first', async () => {
    const { handler } = recordingHandler();
    const s = scheduler({ backend: await factory.create(), handler });
    const later = inMs(60_000);
    const sooner = inMs(30_000);
    await s.schedule('response-timeout', later, timeout(1, 'amanda'));
    await s.schedule('response-timeout', sooner, timeout(2, 'amanda'));
    await s.schedule('response-timeout', sooner, timeout(3, 'bob'));
    await s.schedule('reinstate-agent', later, { handle: 'amanda', offboarding: 'off-1' });

    const amanda = await s.pending('response-timeout', { assignee: 'amanda' });
    expect(amanda).toEqual([
      { name: 'response-timeout', runAt: sooner, data: timeout(2, 'amanda') },
      { name: 'response-timeout', runAt: later, data: timeout(1, 'amanda') },
    ]);
    expect(await s.pending('response-timeout', { conversation: 3 })).toHaveLength(1);
    expect(await s.pending('response-timeout', { conversation: 3, assignee: 'amanda' })).toEqual([]);
    expect(await s.pending('reinstate-agent', { handle: 'amanda' })).toEqual([
      { name: 'reinstate-agent', runAt: later, data: { handle: 'amanda', offboarding: 'off-1' } },
    ]);
    expect(await s.pending('response-timeout', {})).toHaveLength(3);
  });

  it("replaces a conversation's pending timer: 30 schedules at once, from two processes, leave exactly one", async () => {
    const { handler } = recordingHandler();
    const first = await factory.create();
    const a = scheduler({ backend: first, handler });
    const b = scheduler({ backend: await factory.peer(first), handler });
    await s0(a, b);
    const runAt = inMs(60_000);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).schedule('response-timeout', runAt, { ...timeout(7), waitingSince: new Date(i * 1000).toISOString() })),
    );
    expect(await a.pending('response-timeout', { conversation: 7 })).toHaveLength(1);
    await a.schedule('response-timeout', inMs(90_000), timeout(7, 'bob'));
    expect((await b.pending('response-timeout', { conversation: 7 })).map((j) => j.data.assignee)).toEqual(['bob']);
    await a.schedule('reinstate-agent', runAt, { handle: 'amanda', offboarding: 'off-1' });
    await b.schedule('reinstate-agent', runAt, { handle: 'amanda', offboarding: 'off-2' });
    expect((await a.pending('reinstate-agent', { handle: 'amanda' })).map((j) => j.data.offboarding)).toEqual(['off-2']);
  });

  it('keeps a timer scheduled by a running job for the same conversation (the next one)', async () => {
    const runs: number[] = [];
    const self: { s?: AgendaScheduler } = {};
    const handler: AgendaSchedulerOptions['handler'] = async (name, data) => {
      runs.push(Date.now());
      if (name === 'response-timeout' && runs.length === 1) await self.s!.schedule('response-timeout', inMs(150), data as JobDataMap['response-timeout']);
    };
    const s = (self.s = scheduler({ backend: await factory.create(), handler }));
    await s.start();
    await s.schedule('response-timeout', inMs(100), timeout(8));
    await waitFor('the rescheduled job to run', () => runs.length === 2);
    expect(await s.pending('response-timeout', { conversation: 8 })).toEqual([]);
  });

  it('refuses a match that is not plain field equality', async () => {
    const { handler } = recordingHandler();
    const s = scheduler({ backend: await factory.create(), handler });
    const operator = { assignee: { $ne: 'x' } } as unknown as { assignee: string };
    await expect(s.pending('response-timeout', operator)).rejects.toThrow(/assignee/);
    await expect(s.cancel('response-timeout', operator)).rejects.toThrow(/assignee/);
  });

  it('logs a job that throws and keeps running later jobs', async () => {
    const { runs, handler } = recordingHandler((run) => run.data && 'conversation' in run.data && run.data.conversation === 1);
    const logger = recordingLogger();
    const s = scheduler({ backend: await factory.create(), handler, logger });
    await s.start();
    await s.schedule('response-timeout', inMs(100), timeout(1));
    await s.schedule('response-timeout', inMs(300), timeout(2));

    await waitFor('the later job to run', () => runs.some((r) => r.at && 'conversation' in r.data && r.data.conversation === 2));
    await sleep(200);
    expect(runs).toHaveLength(2);
    const failures = logger.lines.filter((l) => l.level === 'error');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toBe('scheduled job failed');
    expect(failures[0]?.fields).toMatchObject({ job: 'response-timeout', conversation: 1, agent: 'amanda', jobId: runs[0]?.id });
  });

  it('retries a job whose handler threw, under the same job id', async () => {
    let calls = 0;
    const { runs, handler } = recordingHandler(() => ++calls === 1);
    const s = scheduler({ backend: await factory.create(), handler, retry: { maxRetries: 2, delayMs: 100 } });
    await s.start();
    await s.schedule('reinstate-agent', inMs(100), { handle: 'bob', offboarding: 'off-2' });

    await waitFor('the retry', () => runs.length === 2);
    expect(runs[1]?.id).toBe(runs[0]?.id);
    await sleep(400);
    expect(runs).toHaveLength(2);
    expect(await s.pending('reinstate-agent', { handle: 'bob' })).toEqual([]);
  });

  it('runs each job exactly once with two schedulers on one job store', async () => {
    const first = await factory.create();
    const one = recordingHandler(undefined, 30);
    const two = recordingHandler(undefined, 30);
    // Different scan intervals make the two instances' scans drift across each other.
    const a = scheduler({ backend: first, handler: one.handler, name: 'a', processEveryMs: 100 });
    const b = scheduler({ backend: await factory.peer(first), handler: two.handler, name: 'b', processEveryMs: 70 });
    await Promise.all([a.start(), b.start()]);
    for (let i = 0; i < 40; i++) {
      await (i % 2 ? a : b).schedule('response-timeout', inMs(150 + (i % 8) * 60), timeout(100 + i));
    }

    const all = () => [...one.runs, ...two.runs];
    await waitFor('all 40 jobs to run', () => all().length >= 40, 5000);
    await sleep(400);
    const perId = new Map<string, number>();
    for (const run of all()) perId.set(run.id, (perId.get(run.id) ?? 0) + 1);
    expect(perId.size).toBe(40);
    expect([...perId].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('runs after stop and start a job that had been taken but not yet run', async () => {
    const { runs, handler } = recordingHandler();
    // A scan every 300 ms takes the job due in 150 ms at once and waits for its time.
    const s = scheduler({ backend: await factory.create(), handler, processEveryMs: 300 });
    await s.schedule('response-timeout', inMs(150), timeout(7));
    await s.start();
    await sleep(50);
    await s.stop();

    await sleep(400);
    expect(runs).toHaveLength(0);
    expect(await s.pending('response-timeout', { conversation: 7 })).toHaveLength(1);
    await s.start();
    await waitFor('the job to run after the restart', () => runs.length === 1);
    await sleep(300);
    expect(runs).toHaveLength(1);
  });

  it('lets a running job finish before stop resolves, and reports readiness', async () => {
    let startedRun = false;
    let finished = false;
    const handler = async () => {
      startedRun = true;
      await sleep(300);
      finished = true;
    };
    const s = scheduler({ backend: await factory.create(), handler });
    expect(s.ready()).toBe(false);
    await s.start();
    expect(s.ready()).toBe(true);
    expect(await s.ping()).toBe(true);
    await s.schedule('response-timeout', inMs(0), timeout(5));
    await waitFor('the job to start', () => startedRun);

    await s.stop();
    expect(finished).toBe(true);
    expect(s.ready()).toBe(false);
    expect(await s.ping()).toBe(false);
  });
}
