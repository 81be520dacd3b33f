// The journal writes the data directory's changes in atomic batches, one after the other. Callers
// that wait together are served in turns: a batch is cut once half of them wait, and the rest of
// the changes go in the next one, written as soon as the first is on disk. Whatever happens to a
// batch, the disk never holds a later change without an earlier one.
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/store/embedded/journal.js';
import { tempDir } from './data-dir-support.js';
import { throughDiskWrites } from '../support/disk-writes.js';

const temps: Array<{ remove(): void }> = [];
const restores: Array<() => void> = [];
afterEach(() => {
  for (const r of restores.splice(0)) r();
  for (const t of temps.splice(0)) t.remove();
});

/** Every batch's write waits for `release()`, then succeeds or fails as told. */
function heldWrites() {
  const pending: Array<{ go(fail?: Error): void; size: number }> = [];
  restores.push(
    throughDiskWrites(
      (write, size) =>
        new Promise<void>((resolve, reject) => {
          pending.push({ size, go: (fail) => (fail ? reject(fail) : write().then(resolve, reject)) });
        }),
    ),
  );
  return {
    pending,
    /** Let the oldest held write go (or fail), and wait until its callers heard. */
    async release(fail?: Error) {
      await expect.poll(() => pending.length).toBeGreaterThan(0);
      pending.shift()!.go(fail);
      await new Promise((r) => setTimeout(r, 20));
    },
  };
}

async function openJournal() {
  const t = tempDir();
  temps.push(t);
  return { dir: t.dir, journal: await Journal.open(t.dir, true) };
}

async function valuesOf(journal: Journal): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const records of journal.records('agent')) for (const { key, value } of records) out[key] = value;
  return out;
}

function records(journal: Journal) {
  const state: Record<string, unknown> = {};
  return {
    set(key: string, value: unknown) {
      state[key] = value;
      journal.change('agent', key, () => state[key]);
    },
  };
}

/** Four callers change a record each and wait for one batch, written: the journal now expects four. */
async function fourWaitTogether(journal: Journal, set: (key: string, value: unknown) => void, disk: ReturnType<typeof heldWrites>) {
  for (const key of ['a', 'b', 'c', 'd']) set(key, 1);
  const waits = ['a', 'b', 'c', 'd'].map(() => journal.durable());
  await disk.release();
  await Promise.all(waits);
}

const settledState = (p: Promise<void>) => p.then(() => 'written', (e: Error) => `failed: ${e.message}`);

describe('the journal', () => {
  it('writes what comes while a batch is written right after it, in one batch, never two at once', async () => {
    const disk = heldWrites();
    const { journal } = await openJournal();
    const { set } = records(journal);
    // one caller alone: its batch is cut at the end of this moment
    set('a', 1);
    const first = settledState(journal.durable());
    await expect.poll(() => disk.pending.length).toBe(1);
    // two more while that batch is on its way: they wait for it, then go together
    set('b', 1);
    const second = settledState(journal.durable());
    set('a', 2);
    const third = settledState(journal.durable());
    await new Promise((r) => setTimeout(r, 20));
    expect(disk.pending).toHaveLength(1);
    await disk.release();
    expect(await first).toBe('written');
    expect(disk.pending.map((w) => w.size)).toEqual([2]);
    await disk.release();
    expect([await second, await third]).toEqual(['written', 'written']);
    expect(await valuesOf(journal)).toEqual({ a: 2, b: 1 });
    await journal.close();
  });

  it('cuts a batch once half of the callers that waited last time wait again, so one half works while the other is written', async () => {
    const disk = heldWrites();
    const { journal } = await openJournal();
    const { set } = records(journal);
    await fourWaitTogether(journal, set, disk);
    // they come back one by one: the first two are cut into one batch, the next two into another
    const next: Array<Promise<string>> = [];
    for (const key of ['a', 'b', 'c', 'd']) {
      set(key, 2);
      next.push(settledState(journal.durable()));
    }
    expect(disk.pending.map((w) => w.size)).toEqual([2]);
    // no more than one batch waits behind the one being written: what comes now goes in one later batch
    const later: Array<Promise<string>> = [];
    for (const key of ['e', 'f', 'g', 'h', 'i', 'j']) {
      set(key, 1);
      later.push(settledState(journal.durable()));
    }
    await disk.release();
    expect(await Promise.race([Promise.all(next.slice(0, 2)), new Promise((r) => setTimeout(() => r('waiting'), 50))])).toEqual(['written', 'written']);
    expect(disk.pending.map((w) => w.size)).toEqual([2]);
    await disk.release();
    expect(await Promise.all(next)).toEqual(['written', 'written', 'written', 'written']);
    expect(disk.pending.map((w) => w.size)).toEqual([6]);
    await disk.release();
    expect(new Set(await Promise.all(later))).toEqual(new Set(['written']));
    expect(await valuesOf(journal)).toEqual({ a: 2, b: 2, c: 2, d: 2, e: 1, f: 1, g: 1, h: 1, i: 1, j: 1 });
    await journal.close();
  });

  it('a failed batch fails its callers; the batch cut after it is not written before it, and its callers are served by the next write, latest values winning', async () => {
    const disk = heldWrites();
    const { dir, journal } = await openJournal();
    const { set } = records(journal);
    await fourWaitTogether(journal, set, disk);
    set('a', 2);
    set('b', 2);
    const first = [settledState(journal.durable()), settledState(journal.durable())];
    set('c', 2);
    set('a', 3);
    const second = [settledState(journal.durable()), settledState(journal.durable())];
    expect(disk.pending.map((w) => w.size)).toEqual([2]); // the second batch waits its turn
    await disk.release(new Error('No space left on device'));
    expect(await Promise.all(first)).toEqual(['failed: No space left on device', 'failed: No space left on device']);
    expect(journal.healthy()).toBe(false);
    // the second batch was not written: its records and the failed one's go, with their latest values, in one new batch
    expect(disk.pending.map((w) => w.size)).toEqual([3]);
    await disk.release();
    expect(await Promise.all(second)).toEqual(['written', 'written']);
    expect(journal.healthy()).toBe(true);
    await journal.close();
    const reopened = await Journal.open(dir, false);
    expect(await valuesOf(reopened)).toEqual({ a: 3, b: 2, c: 2, d: 1 });
    await reopened.close();
  });

  it('a record that cannot be encoded fails the batch it is in, and nothing after it is written first', async () => {
    const { journal } = await openJournal();
    const state: Record<string, unknown> = { a: 1, bad: Symbol('no record') };
    journal.change('agent', 'a', () => state.a);
    journal.change('agent', 'bad', () => state.bad);
    await expect(journal.durable()).rejects.toThrow();
    expect(journal.healthy()).toBe(false);
    state.bad = 'fixed';
    journal.change('agent', 'bad', () => state.bad);
    await journal.durable();
    expect(await valuesOf(journal)).toEqual({ a: 1, bad: 'fixed' });
    await journal.close();
  });
});
