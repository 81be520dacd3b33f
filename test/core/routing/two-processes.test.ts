import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, Switchboard, noMetrics, randomCode, silentLogger, type Platform, type Store } from '../../../src/core/index.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { connectMongoStore, type MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { findTestServer } from '../../store/mongo-server.js';
import { ManualScheduler } from '../../support/manual-scheduler.js';
import { RecordingChannel } from '../../support/recording-channel.js';

/** Two handles on one set of data, as two Switchboard processes have: the same store, or two connections to one database. */
interface Shared {
  stores: [Store, Store];
  cleanup(): Promise<void>;
}
type SharedFactory = () => Promise<Shared | { skip: string }>;

function coreOn(store: Store): Switchboard {
  return new Switchboard({
    store,
    scheduler: new ManualScheduler(),
    clock: new ManualClock(),
    logger: silentLogger,
    metrics: noMetrics,
    channels: new Map<Platform, RecordingChannel>([['telegram', new RecordingChannel('telegram')]]),
    newCode: randomCode,
    inviteLink: () => null,
  });
}

let delivery = 0;
function customerSays(core: Switchboard, customer: string, text: string) {
  return core.handleInbound({
    platform: 'telegram',
    deliveryId: `tp:${++delivery}`,
    kind: 'message',
    sender: { id: customer, name: customer },
    chat: { id: customer, isDirect: true },
    text,
  });
}

function twoProcesses(name: string, factory: SharedFactory): void {
  describe(`two Switchboard processes on one ${name}`, async () => {
    const probe = await factory();
    const skip = 'skip' in probe ? probe.skip : null;
    if ('cleanup' in probe) await probe.cleanup();

    let shared: Shared | undefined;
    let cores: [Switchboard, Switchboard];
    let store: Store;
    const cases = (): void => {
      it('never double-assign and never push an agent over capacity, also for one customer writing to both', async () => {
        const [a, b] = cores;
        const names = ['a1', 'a2', 'a3'];
        for (const [i, handle] of names.entries()) {
          const made = await a.createAgent({ handle, name: handle, availability: 'online', capacity: 7, telegramUserId: `${900 + i}` });
          expect(made.ok).toBe(true);
        }
        expect((await a.createInbox({ name: 'support', platform: 'telegram' })).ok).toBe(true);
        expect((await a.setMembers('support', { handles: names })).ok).toBe(true);
        // 40 customers, each writing twice, the two messages landing on different processes
        await Promise.all(Array.from({ length: 80 }, (_, i) => customerSays(i % 2 ? a : b, `c${i >> 1}`, `message ${i}`)));

        const all = (await store.listConversations({}, { limit: 1000 })).items;
        expect(all).toHaveLength(40); // one conversation per customer
        expect(new Set(all.map((c) => c.customer.id)).size).toBe(40);
        const assigned = all.filter((c) => c.status === 'assigned');
        expect(assigned).toHaveLength(21);
        for (const agent of await store.getAgents(names)) {
          expect(agent.openCount).toBe(7);
          expect(assigned.filter((c) => c.assignee === agent.handle)).toHaveLength(7);
        }
        for (const c of assigned) {
          const routes = (await store.listHistory({ conversation: c.number }, { limit: 10 })).items.filter((e) => e.reason === 'route');
          expect(routes, `#${c.number}`).toHaveLength(1);
        }
        for (const c of all) expect(await store.listMessages(c.number), `#${c.number}`).toHaveLength(2); // both messages of each customer
      });

      it('loses no conversation number when both take one new customer\'s first message at once', async () => {
        const [a, b] = cores;
        expect((await a.createInbox({ name: 'support', platform: 'telegram' })).ok).toBe(true);
        // 30 new customers whose first message reaches both processes at the same time
        await Promise.all(Array.from({ length: 60 }, (_, i) => customerSays(i % 2 ? a : b, `c${i >> 1}`, `first ${i}`)));
        // a number taken by the process that lost a race goes to a later new conversation: none is lost
        for (let i = 0; i < 30; i++) await customerSays(i % 2 ? a : b, `later${i}`, 'hello');
        const numbers = (await store.listConversations({}, { limit: 1000 })).items.map((c) => c.number);
        expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      });
    };

    if (skip !== null) {
      describe.skip(`skipped: ${skip}`, cases);
      return;
    }
    beforeEach(async () => {
      const made = await factory();
      if ('skip' in made) throw new Error(`${name} became unavailable: ${made.skip}`);
      shared = made;
      cores = [coreOn(made.stores[0]), coreOn(made.stores[1])];
      store = made.stores[0];
    });
    afterEach(async () => {
      await shared?.cleanup();
      shared = undefined;
    });
    cases();
  });
}

twoProcesses('in-process store', async () => {
  const store = new MemoryStore();
  return { stores: [store, store], cleanup: () => store.close() };
});

const server = await findTestServer();
twoProcesses('MongoDB database', async () => {
  if ('reason' in server) return { skip: server.reason };
  const dbName = `switchboard_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const connect = (): Promise<MongoStore> => connectMongoStore(server.uri, { dbName, serverSelectionTimeoutMS: 5_000 });
  const first = await connect();
  const second = await connect();
  return {
    stores: [first, second],
    cleanup: async () => {
      await second.close();
      await (first.db() as Db).dropDatabase();
      await first.close();
    },
  };
});
