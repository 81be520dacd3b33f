import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { connectMongoStore, type MongoStore } from '../../src/store/mongo/mongo-store.js';
import { storeContract } from '../contract/store-contract.js';
import { findTestServer } from './mongo-server.js';

const server = await findTestServer();
afterAll(async () => {
  if ('uri' in server) await server.stop();
});

/** A store on a throwaway database of its own, dropped in cleanup. */
async function throwawayStore(uri: string, options: { monitorCommands?: boolean; dbName?: string } = {}): Promise<MongoStore> {
  const dbName = options.dbName ?? `switchboard_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return connectMongoStore(uri, { serverSelectionTimeoutMS: 5_000, ...options, dbName });
}

async function dropAndClose(store: MongoStore): Promise<void> {
  await (store.db() as Db).dropDatabase();
  await store.close();
}

storeContract('MongoStore', async () => {
  if ('reason' in server) return { skip: server.reason };
  const store = await throwawayStore(server.uri, { monitorCommands: true });
  let sent = 0;
  (store.db() as Db).client.on('commandStarted', () => void sent++);
  // another process: its own connection to the same database
  let other: MongoStore | undefined;
  const peer = async () => (other ??= await throwawayStore(server.uri, { dbName: (store.db() as Db).databaseName }));
  const cleanup = async () => {
    await other?.close();
    await dropAndClose(store);
  };
  return { store, cleanup, commands: () => sent, peer };
});

describe('connectMongoStore', () => {
  it('fails within its server selection timeout when no server answers', async () => {
    const started = Date.now();
    await expect(connectMongoStore('mongodb://127.0.0.1:9/switchboard', { serverSelectionTimeoutMS: 300 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says in one line that MONGODB_URI did not answer, without the password, and which database it meant', async () => {
    const error = await connectMongoStore('mongodb://app:s3cret@127.0.0.1:9', { serverSelectionTimeoutMS: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const { message, stack } = error as Error;
    expect(message).toMatch(/^could not connect to MongoDB at MONGODB_URI=mongodb:\/\/app:\*\*\*\*@127\.0\.0\.1:9 \(database "switchboard"\): \S/);
    expect(message).not.toContain('s3cret');
    expect(stack).not.toContain('\n');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('uses the database named in the URI, or the one given', async () => {
    const named = await connectMongoStore('mongodb://127.0.0.1:9/support', { serverSelectionTimeoutMS: 300 }).catch((e: unknown) => e);
    expect((named as Error).message).toContain('(database "support")');
    const given = await connectMongoStore('mongodb://127.0.0.1:9/support', { dbName: 'other', serverSelectionTimeoutMS: 300 }).catch((e: unknown) => e);
    expect((given as Error).message).toContain('(database "other")');
  });

  it('refuses a string that is no MongoDB connection string, naming MONGODB_URI', async () => {
    await expect(connectMongoStore('http://127.0.0.1:9/x', { serverSelectionTimeoutMS: 300 })).rejects.toThrow(/MONGODB_URI=http:\/\/127\.0\.0\.1:9\/x/);
  });
});

/** The server's URI inside a test (the tests below are listed as skipped when there is none). */
function uri(): string {
  if ('reason' in server) throw new Error(server.reason);
  return server.uri;
}

const onServer = (): void => {
  it('creates the unique, partial and TTL indexes at connect', async () => {
    const store = await throwawayStore(uri());
    try {
      const db = store.db() as Db;
      const conversations = await db.collection('conversations').indexes();
      const open = conversations.find((i) => i.name === 'conversation_open_customer');
      expect(open).toMatchObject({ unique: true, partialFilterExpression: { open: true } });
      const deliveries = await db.collection('deliveries').indexes();
      expect(deliveries.find((i) => i.key['at'] === 1)?.expireAfterSeconds).toBe(24 * 3600);
      const agents = await db.collection('agents').indexes();
      expect(agents.find((i) => i.name === 'agent_telegram_username')).toMatchObject({ unique: true, sparse: true });
    } finally {
      await dropAndClose(store);
    }
  });

  it('keeps ObjectIds and bookkeeping fields out of what it returns', async () => {
    const store = await throwawayStore(uri());
    try {
      await store.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: new Date() });
      const { conversation } = await store.openConversation('support', { platform: 'telegram', id: '1', name: 'C', chatId: '1' }, new Date());
      expect(Object.keys(conversation)).not.toContain('_id');
      expect(Object.keys(conversation)).not.toContain('open');
      expect(Object.keys((await store.getInbox('support')) ?? {})).not.toContain('_id');
    } finally {
      await dropAndClose(store);
    }
  });

  it('treats a lookup value as a value, never as a query operator', async () => {
    const store = await throwawayStore(uri());
    try {
      await store.createAgent({ handle: 'alice', name: 'A', role: 'admin', status: 'active', availability: 'online', capacity: 10, openCount: 0, homePlatform: 'telegram', createdAt: new Date() });
      const injected = { $ne: 'nobody' } as unknown as string;
      expect(await store.getAgent(injected).catch(() => null)).toBeNull();
      expect(await store.findAgentByIdentity('telegram', injected).catch(() => null)).toBeNull();
    } finally {
      await dropAndClose(store);
    }
  });

  it('gives memberships stored without routing copies, or with copies older than the agent, the agent\'s own at connect', async () => {
    const first = await throwawayStore(uri());
    const dbName = (first.db() as Db).databaseName;
    try {
      const now = new Date();
      await first.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: now });
      for (const handle of ['ann', 'ben']) {
        await first.createAgent({ handle, name: handle, role: 'agent', status: 'active', availability: 'online', capacity: 5, openCount: 0, homePlatform: 'telegram', createdAt: now });
        await first.addMember('support', handle, now);
      }
      const memberships = (first.db() as Db).collection('memberships');
      // ann's membership as an older version stored it; ben's copy left behind by a process that stopped mid-write
      await memberships.updateOne({ handle: 'ann' }, { $unset: { ready: '', load: '', agentRev: '' } });
      await memberships.updateOne({ handle: 'ben' }, { $set: { ready: false, agentRev: -7 } });
      expect(await first.pickAgent('support', [])).toBeNull();
      const second = await throwawayStore(uri(), { dbName });
      try {
        const picks = [(await second.pickAgent('support', []))?.agent.handle, (await second.pickAgent('support', []))?.agent.handle];
        expect(picks).toEqual(['ann', 'ben']);
      } finally {
        await second.close();
      }
    } finally {
      await dropAndClose(first);
    }
  });

  it('routes to an agent whose freed slot could not be copied onto its memberships at once', async () => {
    const store = await throwawayStore(uri());
    try {
      const now = new Date();
      await store.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: now });
      await store.createAgent({ handle: 'ann', name: 'Ann', role: 'agent', status: 'active', availability: 'online', capacity: 1, openCount: 0, homePlatform: 'telegram', createdAt: now });
      await store.addMember('support', 'ann', now);
      expect((await store.pickAgent('support', []))?.agent.handle).toBe('ann');
      expect(await store.pickAgent('support', [])).toBeNull(); // full
      vi.spyOn(store.copies, 'publish').mockRejectedValueOnce(new Error('connection reset'));
      await store.releaseSlot('ann'); // the release is stored; its copy is not
      expect((await store.getAgent('ann'))?.openCount).toBe(0);
      expect((await store.pickAgent('support', []))?.agent).toMatchObject({ handle: 'ann', openCount: 1 });
    } finally {
      vi.restoreAllMocks();
      await dropAndClose(store);
    }
  });

  it('puts an inbox back, with its members, when a first message opened a conversation between its check and its delete', async () => {
    const store = await throwawayStore(uri());
    try {
      const now = new Date();
      await store.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: now });
      await store.createAgent({ handle: 'ann', name: 'Ann', role: 'agent', status: 'active', availability: 'online', capacity: 5, openCount: 0, homePlatform: 'telegram', createdAt: now });
      await store.addMember('support', 'ann', now);
      const inboxes = store['models'].inboxes;
      const deleteOne = inboxes.deleteOne.bind(inboxes);
      // the customer's first message lands right after deleteInbox found nothing open
      vi.spyOn(inboxes, 'deleteOne').mockImplementationOnce(((...args: Parameters<typeof deleteOne>) =>
        store.openConversation('support', { platform: 'telegram', id: '42', name: 'Carol', chatId: '42' }, now).then(() => deleteOne(...args))) as never);
      expect(await store.deleteInbox('support')).toBe('has_open');
      expect((await store.getInbox('support'))?.responseTimeoutSec).toBe(600);
      expect((await store.listMembers('support')).map((m) => m.handle)).toEqual(['ann']);
      expect((await store.listConversations({ inbox: 'support' }, { limit: 10 })).items).toHaveLength(1);
    } finally {
      vi.restoreAllMocks();
      await dropAndClose(store);
    }
  });

  it('answers a ping with false once its connection is gone', async () => {
    const store = await throwawayStore(uri());
    await (store.db() as Db).dropDatabase();
    expect(await store.ping()).toBe(true);
    await store.close();
    expect(await store.ping()).toBe(false);
  });
};

if ('uri' in server) describe(`MongoStore on ${server.source}`, onServer);
else describe.skip(`MongoStore on a server: skipped: ${server.reason}`, onServer);
