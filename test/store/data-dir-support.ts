import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDataDir, type DataDir } from '../../src/store/embedded/data-dir.js';

/** A fresh temporary directory (never ./data), removed by the returned function. */
export function tempDir(prefix = 'switchboard-data-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Every record and index the store and the job repository hold (not their listeners or journal),
 * as plain values: maps and sets as entries in key order, empty index entries left out.
 */
export function stateOf(data: Pick<DataDir, 'store' | 'jobs'>): unknown {
  return normalize({ store: data.store, jobs: data.jobs });
}

const isEmpty = (v: unknown): boolean => (Array.isArray(v) && v.length === 0) || (v instanceof Map && v.size === 0) || (v instanceof Set && v.size === 0);
const byKey = (a: [unknown, unknown], b: [unknown, unknown]): number => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0);

function normalize(v: unknown): unknown {
  if (v instanceof Map) return [...v].filter(([, x]) => !isEmpty(x)).map(([k, x]) => [k, normalize(x)] as [unknown, unknown]).sort(byKey);
  if (v instanceof Set) return [...v].map(normalize).sort();
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Date || v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      // lane leases belong to the running process: a restart starts with none
      .filter(([k, x]) => typeof x !== 'function' && k !== 'journal' && k !== 'lanes')
      .map(([k, x]) => [k, normalize(x)]),
  );
}

/**
 * Close the directory, open it again, and expect the reopened store to hold exactly what the
 * closed one held: every record the store keeps reached the disk.
 */
export async function expectSameAfterReopen(data: DataDir): Promise<DataDir> {
  // writes still on their way (a handling does not wait for them) are written first
  await data.store.flush();
  // open-conversation counts are counted from the conversations at open, not written as they change
  data.store.recountOpen();
  const before = stateOf(data);
  await data.close();
  const reopened = await openDataDir(data.dir, { now: new Date(0) });
  expect(stateOf(reopened)).toEqual(before);
  return reopened;
}
