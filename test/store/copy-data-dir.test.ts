// Moving a data directory to another store: everything copied with the same numbers, order and
// loads, counts checked; a target that holds anything is refused. Into MongoDB when a server is
// available, else into the in-process store, which takes the same store calls.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryJobRepository } from '../../src/scheduler/memory-job-repository.js';
import { createMongoAgendaBackend } from '../../src/scheduler/mongo-backend.js';
import { connectMongoStore } from '../../src/store/mongo/mongo-store.js';
import { openDataDir, type DataDir } from '../../src/store/embedded/data-dir.js';
import { DataDirError } from '../../src/store/embedded/data-dir-error.js';
import { copyDataDir, countStore, CopyRefused } from '../../src/store/embedded/copy-data-dir.js';
import { migrate, parseMigrateArgs, UsageError } from '../../src/migrate.js';
import { makeCore } from '../support/core-harness.js';
import { tempDir } from './data-dir-support.js';
import { findTestServer } from './mongo-server.js';

const temps: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

/** A data directory that a core has worked on: agents, an inbox, conversations, a transfer, a close, timers. */
async function populatedDataDir(): Promise<DataDir> {
  const temp = tempDir();
  temps.push(temp);
  const data = await openDataDir(join(temp.dir, 'data'));
  const h = makeCore({ store: data.store });
  for (const a of ['amanda', 'bob', 'carl']) await h.agent(a, { capacity: 5 });
  await h.agent('sup', { role: 'supervisor' });
  await h.inbox('support', ['amanda', 'bob', 'carl'], { responseTimeoutSec: 60 });
  await h.store.removeMember('support', 'carl'); // a gap in the rotation
  for (let i = 1; i <= 6; i++) await h.customerSays(`c${i}`, `question ${i}`);
  await h.command('sup', '/transfer #1 @bob please take this');
  await h.command('sup', '/close #2');
  await h.store.createInvite({ code: 'INVITE123456', handle: 'amanda', expiresAt: new Date(Date.now() + 3600_000) });
  await data.jobs.saveJob({ name: 'response-timeout', priority: 0, nextRunAt: new Date(Date.now() + 60_000), type: 'normal', data: { conversation: 3, assignee: 'amanda' } }, undefined);
  return data;
}

async function expectSameContent(from: Store, to: Store): Promise<void> {
  const { items: conversations } = await from.listConversations({}, { limit: 1000 });
  for (const c of conversations) {
    expect(await to.getConversation(c.number)).toEqual(c);
    expect(await to.listMessages(c.number)).toEqual(await from.listMessages(c.number));
  }
  expect((await to.listHistory({}, { limit: 1000 })).items).toEqual((await from.listHistory({}, { limit: 1000 })).items);
  expect((await to.listAgents({ limit: 1000 })).items).toEqual((await from.listAgents({ limit: 1000 })).items);
  const handles = async (s: Store) => (await s.listMembers('support')).map((m) => m.handle);
  expect(await handles(to)).toEqual(await handles(from));
  expect(await to.consumeInvite('INVITE123456', new Date())).toBe('amanda');
  expect(await to.recordDelivery([...(await deliveryKeys(from))][0]!, new Date())).toBe(false);
}

async function deliveryKeys(store: Store): Promise<Set<string>> {
  // the harness's deliveries: recorded once, so recording again reports a duplicate
  const keys = new Set<string>();
  for (const [k] of (store as unknown as { deliveries: Map<string, number> }).deliveries) keys.add(k);
  return keys;
}

describe('copying a data directory into another store', () => {
  it('copies everything with the same numbers, order, loads and history, and counts it all again', async () => {
    const data = await populatedDataDir();
    try {
      const target = { store: new MemoryStore(), jobs: new MemoryJobRepository() };
      const counts = await copyDataDir(data, target);
      expect(counts).toEqual(await countStore({ store: data.store, jobs: data.jobs }));
      expect(counts).toMatchObject({ agents: 4, inboxes: 1, memberships: 2, conversations: 6, jobs: 1 });
      await expectSameContent(data.store, target.store);
      // the rotation carries on where it was: the next pick is the same agent in both
      const cursor = async (s: Store) => {
        const inbox = (await s.getInbox('support'))!;
        return (await s.membersAfter('support', inbox.cursor, 1))[0]?.handle ?? (await s.listMembers('support'))[0]?.handle;
      };
      expect(await cursor(target.store)).toBe(await cursor(data.store));
    } finally {
      await data.close();
    }
  });

  it('refuses a target that holds anything, and copies nothing', async () => {
    const data = await populatedDataDir();
    try {
      const store = new MemoryStore();
      await store.createInbox({ name: 'sales', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: new Date() });
      const target = { store, jobs: new MemoryJobRepository() };
      await expect(copyDataDir(data, target)).rejects.toThrow(new CopyRefused('the target already holds data (0 agents, 1 inboxes, 0 memberships, 0 conversations, 0 messages, 0 history, 0 offboardings, 0 jobs); migrate into an empty database'));
      expect((await store.listAgents({ limit: 10 })).items).toEqual([]);
    } finally {
      await data.close();
    }
  });
});

describe('npm run migrate', () => {
  it.each([
    [[], /^--from-data-dir is missing: the data directory to copy \(DATA_DIR\); usage: npm run migrate -- --from-data-dir \.\/data --to "mongodb:\/\/host:27017\/switchboard"$/],
    [['--from-data-dir', './data'], /^--to is missing: the MongoDB connection string/],
    [['--from-data-dir', './data', '--to', 'postgres://x'], /^--to must start with mongodb:\/\/ or mongodb\+srv:\/\/ \(it was "postgres:\/\/x"\)/],
    [['--from-data-dir', ':memory:', '--to', 'mongodb://h/db'], /^--from-data-dir :memory: keeps nothing to copy/],
    [['--from', './data', '--to', 'mongodb://h/db'], /^Unknown option '--from'.*; usage: npm run migrate/],
  ])('refuses %j in one line that says what to type', (argv, message) => {
    const error = (() => {
      try {
        parseMigrateArgs(argv);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes the two arguments', () => {
    expect(parseMigrateArgs(['--from-data-dir', './data', '--to', 'mongodb://localhost:27017/switchboard'])).toEqual({ from: './data', to: 'mongodb://localhost:27017/switchboard' });
  });

  it('refuses a directory that holds no data, and creates nothing', async () => {
    const temp = tempDir();
    temps.push(temp);
    const missing = join(temp.dir, 'nothing-here');
    await expect(migrate({ from: missing, to: 'mongodb://127.0.0.1:9/x' }, () => {})).rejects.toThrow(DataDirError);
    await expect(openDataDir(missing, { create: false })).rejects.toThrow(`${missing} holds no Switchboard data directory`);
  });

  it('refuses a directory that a running Switchboard holds, before it touches MongoDB', async () => {
    const data = await populatedDataDir();
    try {
      await expect(migrate({ from: data.dir, to: 'mongodb://127.0.0.1:9/x' }, () => {})).rejects.toThrow(`DATA_DIR=${data.dir} is in use by another Switchboard process`);
    } finally {
      await data.close();
    }
  });
});

const server = await findTestServer();
afterAll(async () => {
  if ('uri' in server) await server.stop();
});

describe.skipIf('reason' in server)(`migrating into MongoDB${'reason' in server ? ` (skipped: ${server.reason})` : ''}`, () => {
  it('round-trips a populated directory with equal counts, and refuses to run a second time', async () => {
    if (!('uri' in server)) return;
    const data = await populatedDataDir();
    const expected = await countStore({ store: data.store, jobs: data.jobs });
    await data.close();
    const dbName = `switchboard_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = new URL(server.uri);
    url.pathname = `/${dbName}`;
    const uri = url.toString();
    const lines: string[] = [];
    await migrate({ from: data.dir, to: uri }, (l) => lines.push(l));
    expect(lines.at(-1)).toMatch(/^done: /);
    const mongo = await connectMongoStore(uri);
    try {
      const backend = createMongoAgendaBackend(mongo.db());
      await backend.connect();
      expect(await countStore({ store: mongo, jobs: backend.repository })).toEqual(expected);
      const reopened = await openDataDir(data.dir);
      await expectSameContent(reopened.store, mongo);
      await reopened.close();
      await backend.disconnect();
      await expect(migrate({ from: data.dir, to: uri }, () => {})).rejects.toThrow(CopyRefused);
    } finally {
      await (mongo.db() as Db).dropDatabase();
      await mongo.close();
    }
  });
});
