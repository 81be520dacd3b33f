import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { connectMongoStore, type MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { findTestServer } from '../../store/mongo-server.js';
import { makeCore } from '../../support/core-harness.js';
import { countingStore } from '../../support/store-wrappers.js';

/** `n` customers write at once to an inbox of three agents; store operations spent per assignment. */
async function opsPerAssignment(n: number): Promise<number> {
  let counter: ReturnType<typeof countingStore> | undefined;
  const h = makeCore({ wrapStore: (s) => (counter = countingStore(s)).store });
  for (const a of ['a1', 'a2', 'a3']) await h.agent(a, { capacity: 1000 });
  await h.inbox('support', ['a1', 'a2', 'a3']);
  counter!.reset();
  await Promise.all(Array.from({ length: n }, (_, i) => h.customerSays(`c${i}`, 'hello')));
  const assigned = (await h.store.listConversations({ status: 'assigned' }, { limit: 1000 })).items.length;
  expect(assigned).toBe(n);
  return counter!.total() / assigned;
}

describe('routing many conversations at once', () => {
  it('spends about the same store operations per assignment for 1, 50 and 300 concurrent conversations', async () => {
    const single = await opsPerAssignment(1);
    for (const n of [50, 300]) {
      const each = await opsPerAssignment(n);
      expect({ n, withinOneAndAHalf: each <= single * 1.5 }, `${each.toFixed(1)} operations per assignment vs ${single.toFixed(1)} alone`).toEqual({ n, withinOneAndAHalf: true });
    }
  });

  it('gives 300 customers writing at once to three agents of capacity 100 a hundred each', async () => {
    const h = makeCore();
    for (const a of ['a1', 'a2', 'a3']) await h.agent(a, { capacity: 100 });
    await h.inbox('support', ['a1', 'a2', 'a3']);
    await Promise.all(Array.from({ length: 300 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    const assigned = (await h.store.listConversations({ status: 'assigned' }, { limit: 1000 })).items;
    expect(assigned).toHaveLength(300);
    for (const a of ['a1', 'a2', 'a3']) {
      expect(assigned.filter((c) => c.assignee === a)).toHaveLength(100);
      expect((await h.store.getAgent(a))!.openCount).toBe(100);
    }
  });

  it('keeps round-robin fair within one while routings run at once', async () => {
    const h = makeCore();
    const agents = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    for (const a of agents) await h.agent(a, { capacity: 1000 });
    await h.inbox('support', agents);
    await Promise.all(Array.from({ length: 200 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    const counts = await Promise.all(agents.map(async (a) => (await h.store.listAssigned(a)).length));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(200);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('gives each of many concurrent least-busy routings to an agent with the fewest open conversations', async () => {
    const h = makeCore();
    for (const [a, open] of [['a1', 0], ['a2', 5], ['a3', 9]] as const) {
      await h.agent(a, { capacity: 100 });
      await h.store.setOpenCount(a, 0, open); // load from other inboxes
    }
    await h.inbox('support', ['a1', 'a2', 'a3'], { strategy: 'least-busy' });
    await Promise.all(Array.from({ length: 13 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    // 13 more: a1 goes 0→5 alone, then a1 and a2 take turns up to 9 — never a3 before they catch up
    expect((await h.store.getAgents(['a1', 'a2', 'a3'])).map((a) => a.openCount)).toEqual([9, 9, 9]);
  });
});

const server = await findTestServer();

/** A core whose store is a throwaway MongoDB database (commands counted), and that store. */
async function mongoCore(run: (h: ReturnType<typeof makeCore>, store: MongoStore, commands: () => number) => Promise<void>): Promise<void> {
  if ('reason' in server) throw new Error(server.reason);
  const dbName = `switchboard_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await connectMongoStore(server.uri, { dbName, serverSelectionTimeoutMS: 5_000, monitorCommands: true });
  let sent = 0;
  (store.db() as Db).client.on('commandStarted', () => void sent++);
  try {
    await run(makeCore({ wrapStore: () => store }), store, () => sent);
  } finally {
    await (store.db() as Db).dropDatabase();
    await store.close();
  }
}

/** Database commands per assignment when `n` customers write at once to an inbox of three agents. */
async function commandsPerAssignment(n: number): Promise<number> {
  let each = 0;
  await mongoCore(async (h, store, commands) => {
    for (const a of ['a1', 'a2', 'a3']) await h.agent(a, { capacity: 1000 });
    await h.inbox('support', ['a1', 'a2', 'a3']);
    await h.customerSays('warm-up', 'hello');
    const before = commands();
    await Promise.all(Array.from({ length: n }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    const spent = commands() - before;
    const assigned = (await store.listConversations({ status: 'assigned' }, { limit: 1000 })).items.length;
    expect(assigned).toBe(n + 1);
    each = spent / n;
  });
  return each;
}

const mongoCases = (): void => {
  it('spends about the same database commands per assignment for 1, 50 and 300 concurrent conversations', async () => {
    const single = await commandsPerAssignment(1);
    for (const n of [50, 300]) {
      const each = await commandsPerAssignment(n);
      expect({ n, withinOneAndAHalf: each <= single * 1.5 }, `${each.toFixed(1)} commands per assignment vs ${single.toFixed(1)} alone`).toEqual({ n, withinOneAndAHalf: true });
    }
  }, 120_000);

  it('gives 300 customers writing at once to three agents of capacity 100 a hundred each', async () => {
    await mongoCore(async (h, store) => {
      for (const a of ['a1', 'a2', 'a3']) await h.agent(a, { capacity: 100 });
      await h.inbox('support', ['a1', 'a2', 'a3']);
      await Promise.all(Array.from({ length: 300 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
      const assigned = (await store.listConversations({ status: 'assigned' }, { limit: 1000 })).items;
      expect(assigned).toHaveLength(300);
      for (const a of ['a1', 'a2', 'a3']) {
        expect(assigned.filter((c) => c.assignee === a)).toHaveLength(100);
        expect((await store.getAgent(a))!.openCount).toBe(100);
      }
    });
  }, 60_000);
};

describe('routing many conversations at once on MongoDB', () => {
  if ('reason' in server) describe.skip(`skipped: ${server.reason}`, mongoCases);
  else mongoCases();
});
