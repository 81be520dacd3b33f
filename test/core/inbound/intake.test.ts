import { afterEach, describe, expect, it } from 'vitest';
import { Intake, noMetrics, silentLogger, systemClock } from '../../../src/core/index.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';

const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Intake lanes', () => {
  const intakes: Intake[] = [];
  afterEach(async () => {
    for (const intake of intakes.splice(0)) await intake.stop(1_000);
  });
  const make = (store: MemoryStore) => {
    const intake = new Intake({ store, clock: systemClock, logger: silentLogger, metrics: noMetrics, leaseMs: LEASE_MS, sweepMs: 60_000 });
    intakes.push(intake);
    return intake;
  };
  const update = (n: number, lane = 'telegram:1') => ({ key: `telegram:${n}`, platform: 'telegram' as const, lane, order: n, payload: n });

  it('keeps holding a lane while a handling takes longer than the lease, and lets it go after', async () => {
    const store = new MemoryStore();
    const intake = make(store);
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const handled: unknown[] = [];
    intake.register('telegram', async (payload) => {
      handled.push(payload);
      await slow;
    });
    await intake.start();
    await intake.accept(update(1));
    await sleep(LEASE_MS * 3);
    // another process may not take the chat while this one still works on it
    const later = new Date(Date.now() + 10);
    expect(await store.acquireLane('telegram:1', 'other-process', later, new Date(later.getTime() + LEASE_MS))).toBe(false);
    release();
    await intake.idle();
    expect(handled).toEqual([1]);
    expect(await store.acquireLane('telegram:1', 'other-process', new Date(), new Date(Date.now() + LEASE_MS))).toBe(true);
  });

  it('handles one chat in order and other chats alongside', async () => {
    const store = new MemoryStore();
    const intake = make(store);
    const handled: unknown[] = [];
    intake.register('telegram', async (payload) => {
      await sleep(payload === 1 ? 30 : 1);
      handled.push(payload);
    });
    await intake.start();
    await Promise.all([intake.accept(update(1)), intake.accept(update(2)), intake.accept(update(3, 'telegram:2'))]);
    await expect.poll(() => handled.length).toBe(3);
    await intake.idle();
    expect(handled.indexOf(1)).toBeLessThan(handled.indexOf(2));
    expect(handled.indexOf(3)).toBeLessThan(handled.indexOf(1));
    expect(await store.countIntake()).toBe(0);
  });
});
