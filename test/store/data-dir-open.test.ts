// Opening DATA_DIR: created when missing, refused (and left as it was) when it is in use, not a
// directory, someone else's, unreadable or damaged.
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/core/index.js';
import { openDataDir } from '../../src/store/embedded/data-dir.js';
import { DataDirError } from '../../src/store/embedded/data-dir-error.js';
import { decodeRecord } from '../../src/store/embedded/journal.js';
import { ClassicLevel } from 'classic-level';
import { serialize } from 'node:v8';
import { tempDir } from './data-dir-support.js';
import { throughDiskWrites } from '../support/disk-writes.js';

const temps: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});
function scratch(): string {
  const t = tempDir();
  temps.push(t);
  return t.dir;
}

const agent = (handle: string): Agent => ({
  handle,
  name: `${handle} ${'x'.repeat(200)}`,
  role: 'agent',
  status: 'active',
  availability: 'online',
  capacity: 10,
  openCount: 0,
  homePlatform: 'telegram',
  createdAt: new Date('2026-01-01T00:00:00Z'),
});

/** A data directory with `count` agents, closed; opened once more so that it has a table and a log. */
async function populated(count: number): Promise<string> {
  const dir = join(scratch(), 'data');
  const data = await openDataDir(dir);
  for (let i = 0; i < count; i++) await data.store.createAgent(agent(`a${i}`));
  await data.close();
  await (await openDataDir(dir)).close();
  const data2 = await openDataDir(dir);
  for (let i = 0; i < 300; i++) await data2.store.createAgent(agent(`late${i}`));
  await data2.close();
  return dir;
}

/** The data files and their bytes (LevelDB's own text log LOG/LOG.old and LOCK left out). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (!/^(LOG|LOG\.old|LOCK)$/.test(name)) out[name] = readFileSync(join(dir, name)).toString('base64');
  return out;
}

function snapshotNames(dir: string): string[] {
  return readdirSync(dir).filter((name) => !/^(LOG|LOG\.old|LOCK)$/.test(name)).sort();
}

function damage(path: string, from: number): void {
  const bytes = readFileSync(path);
  for (let i = from; i < Math.min(bytes.length, from + 64); i++) bytes[i] = (bytes[i]! * 31 + 7) & 255;
  writeFileSync(path, bytes);
}

async function openError(dir: string): Promise<DataDirError> {
  const error = await openDataDir(dir).then(
    async (d) => {
      await d.close();
      throw new Error('opened');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataDirError);
  expect((error as Error).message).not.toContain('\n');
  return error as DataDirError;
}

describe('opening a data directory', () => {
  it('creates a missing directory, says it is new, and finds its records after a restart', async () => {
    const dir = join(scratch(), 'nested', 'data');
    const first = await openDataDir(dir);
    expect(first.created).toBe(true);
    await first.store.createAgent(agent('amanda'));
    await first.close();
    const second = await openDataDir(dir);
    expect({ created: second.created, agents: second.counts.agent }).toEqual({ created: false, agents: 1 });
    expect((await second.store.getAgent('amanda'))?.name).toContain('amanda');
    await second.close();
  });

  it('refuses a directory another store has open, naming it, and the first keeps working', async () => {
    const dir = scratch();
    const first = await openDataDir(dir);
    try {
      const error = await openError(dir);
      expect(error.message).toBe(`DATA_DIR=${dir} is in use by another Switchboard process; stop it first, or give this one another DATA_DIR`);
      await first.store.createAgent(agent('amanda'));
      expect(await first.store.ping()).toBe(true);
    } finally {
      await first.close();
    }
  });

  it('refuses a path that is a file', async () => {
    const file = join(scratch(), 'data');
    writeFileSync(file, 'not a directory');
    expect((await openError(file)).message).toBe(`DATA_DIR=${file} is not a directory; give the path of a directory (it is created when missing)`);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('refuses a path under a file', async () => {
    const file = join(scratch(), 'data');
    writeFileSync(file, 'x');
    expect((await openError(join(file, 'inner'))).message).toMatch(/^DATA_DIR=.*\/data\/inner cannot be used \(.*\); give a directory this process may write$/);
  });

  it('refuses a directory that holds other files, and writes nothing into it', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect((await openError(dir)).message).toBe(
      `DATA_DIR=${dir} is not empty and holds no Switchboard data (no CURRENT file); Switchboard changed nothing. Give an empty or new directory, or restore the data directory from a backup.`,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a directory it may not read (skipped as root, who may read anything)', async () => {
    const dir = await populated(10);
    chmodSync(dir, 0o000);
    try {
      expect((await openError(dir)).message).toMatch(/^DATA_DIR=.* cannot be used/);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('refuses a directory whose files cannot be read, and leaves them as they were', async () => {
    const dir = await populated(10);
    rmSync(join(dir, 'CURRENT'));
    mkdirSync(join(dir, 'CURRENT'));
    const before = snapshotNames(dir);
    expect((await openError(dir)).message).toMatch(new RegExp(`^DATA_DIR=${dir} cannot be read \\(.*EISDIR.*\\); Switchboard changed nothing\\.$`));
    expect(snapshotNames(dir)).toEqual(before);
  });

  it.each([
    ['the write-ahead log', /^\d+\.log$/, /is damaged: its write-ahead log has records that cannot be read \(\d+\.log: dropping \d+ bytes; Corruption: checksum mismatch\)/],
    ['a table', /^\d+\.ldb$/, /is damaged: Corruption: /],
    ['the manifest', /^MANIFEST-\d+$/, /is damaged \(Corruption: /],
  ])('stops on damage in %s, with one line, and leaves every file as it was', async (_what, file, message) => {
    const dir = await populated(3000);
    const victim = readdirSync(dir).find((name) => file.test(name));
    expect(victim).toBeDefined();
    damage(join(dir, victim!), Math.floor(readFileSync(join(dir, victim!)).length / 2));
    const before = snapshot(dir);
    const error = await openError(dir);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`DATA_DIR=${dir} is damaged`)).toBe(true);
    expect(snapshot(dir)).toEqual(before);
    // and it stays refused: nothing was "repaired" away
    expect((await openError(dir)).message).toMatch(message);
  });

  it('counts each agent\'s open conversations at start: a slot taken for a move that never happened is free again', async () => {
    const dir = scratch();
    const data = await openDataDir(dir);
    const at = new Date();
    await data.store.createAgent({ ...agent('amanda'), capacity: 2 });
    await data.store.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: at });
    await data.store.addMember('support', 'amanda', at);
    const { conversation } = await data.store.openConversation('support', { platform: 'telegram', id: '1', name: 'C', chatId: '1' }, at);
    expect((await data.store.pickAgent('support', []))?.agent.handle).toBe('amanda');
    await data.store.updateConversation(conversation.number, {}, { status: 'assigned', assignee: 'amanda' });
    // then the process stopped right after taking her second slot for a move
    expect(await data.store.reserveSlot('amanda', { requireOnline: false, ignoreCapacity: false })).not.toBeNull();
    expect((await data.store.getAgent('amanda'))!.openCount).toBe(2);
    expect(await data.store.pickAgent('support', [])).toBeNull(); // full
    await data.close();

    const reopened = await openDataDir(dir);
    expect((await reopened.store.getAgent('amanda'))!.openCount).toBe(1);
    expect((await reopened.store.pickAgent('support', []))?.agent).toMatchObject({ handle: 'amanda', openCount: 2 });
    await reopened.close();
  });

  it('forgets handled update ids older than a day at start, like the MongoDB TTL index', async () => {
    const dir = scratch();
    const first = await openDataDir(dir);
    await first.store.recordDelivery('telegram:1', new Date(Date.now() - 25 * 3600_000));
    await first.store.recordDelivery('telegram:2', new Date());
    await first.close();
    const second = await openDataDir(dir);
    expect(second.counts.delivery).toBe(1);
    expect(await second.store.recordDelivery('telegram:2', new Date())).toBe(false);
    expect(await second.store.recordDelivery('telegram:1', new Date())).toBe(true);
    await second.close();
  });

  it('answers a store call only once the change is on disk: a copy taken right after has it', async () => {
    const dir = scratch();
    const data = await openDataDir(dir);
    try {
      await data.store.createAgent(agent('amanda'));
      // a message is added after a look at the conversation's last messages (an await inside the call)
      await data.store.addMessage({ conversation: 1, from: 'customer', text: 'Hello', at: new Date(), key: 'u1' });
      // What LevelDB holds is in its log; another process opening a copy sees the record.
      const copy = join(scratch(), 'copy');
      mkdirSync(copy);
      for (const name of readdirSync(dir)) if (name !== 'LOCK') writeFileSync(join(copy, name), readFileSync(join(dir, name)));
      const other = await openDataDir(copy);
      expect([other.counts.agent, other.counts.message]).toEqual([1, 1]);
      await other.close();
    } finally {
      await data.close();
    }
  });

  it('reads records an earlier version wrote in Node serialization, and writes new ones in MessagePack', async () => {
    const dir = scratch();
    const data = await openDataDir(dir);
    await data.store.createAgent(agent('amanda'));
    await data.close();
    // as an earlier version stored it
    const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const stored = decodeRecord((await db.get('agent!amanda'))!);
    await db.put('agent!amanda', serialize(stored));
    await db.close();

    const reopened = await openDataDir(dir);
    expect(await reopened.store.getAgent('amanda')).toEqual(stored);
    await reopened.store.updateAgent('amanda', { capacity: 7 });
    await reopened.close();
    const raw = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const value = (await raw.get('agent!amanda'))!;
    await raw.close();
    expect(value[0]).toBe(0x01);
    expect(decodeRecord(value)).toMatchObject({ handle: 'amanda', capacity: 7, createdAt: expect.any(Date) });
  });

  it('keeps a sent message as its key and time only, and still knows the key after a restart, also as an earlier version stored it', async () => {
    const dir = scratch();
    const data = await openDataDir(dir);
    const at = new Date('2026-01-01T09:00:00Z');
    const message = (key: string) => ({
      key,
      lane: 'telegram:700',
      message: { to: { platform: 'telegram' as const, chatId: '700' }, text: `New conversation ${key} ${'x'.repeat(300)}` },
      createdAt: at,
      attempts: 0,
      nextAt: at,
    });
    await data.store.addOutbox(message('u1>telegram:700#1'));
    await data.store.addOutbox(message('u2>telegram:700#1'));
    await data.store.updateOutbox('u1>telegram:700#1', { state: 'sent', sentAt: at, attempts: 1 });
    await data.store.updateOutbox('u2>telegram:700#1', { state: 'sent', sentAt: at, attempts: 1 });
    await data.close();
    const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    expect(decodeRecord((await db.get('outbox!u1>telegram:700#1'))!)).toEqual({ key: 'u1>telegram:700#1', state: 'sent', sentAt: at });
    // u2 as an earlier version stored a sent message: the whole record, its text emptied
    await db.put('outbox!u2>telegram:700#1', serialize({ ...message('u2>telegram:700#1'), message: { to: { platform: 'telegram', chatId: '700' }, text: '' }, seq: 2, state: 'sent', sentAt: at, attempts: 1 }));
    await db.close();

    const reopened = await openDataDir(dir, { now: at });
    // the same messages are not written (nor sent) again; nothing waits
    expect(await reopened.store.addOutbox({ ...message('u1>telegram:700#1'), createdAt: at })).toBeNull();
    expect(await reopened.store.addOutbox({ ...message('u2>telegram:700#1'), createdAt: at })).toBeNull();
    expect(await reopened.store.countOutbox()).toBe(0);
    expect((await reopened.store.addOutbox({ ...message('u3>telegram:700#1'), createdAt: at }))?.seq).toBe(3);
    await reopened.close();
  });

  it('a deferred write the disk refuses shows at the flush, is kept, and reaches the disk once it takes writes again', async () => {
    const dir = scratch();
    const data = await openDataDir(dir);
    let refusing = true;
    // the disk refuses every batch, chained or not, while `refusing`
    const undo = throughDiskWrites((write) => (refusing ? Promise.reject(new Error('No space left on device')) : write()));
    try {
      await data.store.deferred().createAgent(agent('amanda')); // does not wait for the disk
      await expect(data.store.flush()).rejects.toThrow(/No space left/);
      expect(await data.store.ping()).toBe(false);
      expect((await data.store.getAgent('amanda'))?.handle).toBe('amanda');
      refusing = false;
      await data.store.flush();
      expect(await data.store.ping()).toBe(true);
    } finally {
      undo();
    }
    await data.close();
    const reopened = await openDataDir(dir);
    expect((await reopened.store.getAgent('amanda'))?.handle).toBe('amanda');
    await reopened.close();
  });
});
