// The cost of one routing pick on MongoDB as the inbox grows from 10 to 10,000 agents: time and
// database commands per pick (the pick is a fixed number of indexed operations, so both stay flat).
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Strategy } from '../src/core/index.js';
import { connectMongoStore, type MongoStore } from '../src/store/mongo/mongo-store.js';

const T0 = new Date('2030-01-01T09:00:00.000Z');

async function fill(store: MongoStore, agents: number, strategy: Strategy, awayShare: number): Promise<void> {
  await store.createInbox({ name: 'bench', platform: 'telegram', strategy, paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: T0 });
  const away = Math.floor(agents * awayShare);
  const BATCH = 100;
  for (let from = 0; from < agents; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, agents - from) }, (_, j) => from + j);
    await Promise.all(
      batch.map(async (i) => {
        const handle = `agent${i}`;
        await store.createAgent({
          handle,
          name: handle,
          role: 'agent',
          status: 'active',
          availability: i < away ? 'away' : 'online',
          capacity: 1_000_000,
          openCount: 0,
          homePlatform: 'telegram',
          createdAt: T0,
        });
      }),
    );
    // members join in order: the rotation is the order of joining
    for (const i of batch) await store.addMember('bench', `agent${i}`, T0);
  }
}

/** Average time and database commands of one pick by inbox size, each size on a database of its own. */
export async function benchMongoPickCost(uri: string, sizes = [10, 100, 1_000, 10_000], picks = 300): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const strategy of ['round-robin', 'least-busy'] as const) {
    for (const awayShare of [0, 0.5]) {
      for (const size of sizes) {
        const dbName = `switchboard_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
        const store = await connectMongoStore(uri, { dbName, monitorCommands: true });
        try {
          await fill(store, size, strategy, awayShare);
          let commands = 0;
          (store.db() as Db).client.on('commandStarted', () => void commands++);
          for (let i = 0; i < 20; i++) await store.pickAgent('bench', []); // warm-up
          const before = commands;
          const started = performance.now();
          for (let i = 0; i < picks; i++) {
            if (!(await store.pickAgent('bench', []))) throw new Error('a pick found nobody though every online agent has room');
          }
          const us = ((performance.now() - started) * 1000) / picks;
          rows.push({
            strategy,
            'agents away': `${awayShare * 100}%`,
            agents: size,
            'µs per pick': Math.round(us),
            'commands per pick': Math.round(((commands - before) / picks) * 100) / 100,
          });
        } finally {
          await (store.db() as Db).dropDatabase().catch(() => undefined);
          await store.close();
        }
      }
    }
  }
  return rows;
}
