import { describe, expect, it } from 'vitest';
import { AgendaScheduler } from '../../src/scheduler/agenda-scheduler.js';
import { createMemoryAgendaBackend, MemoryAgendaBackend } from '../../src/scheduler/memory-backend.js';
import { inMs, recordingHandler, timeout, waitFor } from './helpers.js';
import { schedulerBehaviour } from './scheduler-behaviour.js';

describe('AgendaScheduler with the in-process backend', () => {
  schedulerBehaviour({
    create: async () => createMemoryAgendaBackend(),
    peer: async (first) => first,
  });
});

/** A backend whose storage is unreachable until `reachable` is set. */
class FlakyBackend extends MemoryAgendaBackend {
  reachable = false;
  override async connect(): Promise<void> {
    if (!this.reachable) throw new Error('job storage unreachable');
  }
}

describe('AgendaScheduler when its backend cannot connect', () => {
  it('fails start and schedule with the cause, then works once the backend is reachable', async () => {
    const backend = new FlakyBackend();
    const { runs, handler } = recordingHandler();
    const s = new AgendaScheduler({ backend, handler, processEveryMs: 100 });

    await expect(s.start()).rejects.toThrow('job storage unreachable');
    await expect(s.schedule('response-timeout', inMs(100), timeout(3))).rejects.toThrow('job storage unreachable');
    expect(s.ready()).toBe(false);
    expect(await s.ping()).toBe(false);

    backend.reachable = true;
    await s.start();
    try {
      expect(s.ready()).toBe(true);
      await s.schedule('response-timeout', inMs(100), timeout(3));
      await waitFor('the job to run', () => runs.length === 1);
    } finally {
      await s.stop();
    }
  });
});
