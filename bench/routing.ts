// Routing benchmarks on the embedded store: throughput through the core's front door, and the
// cost of one pick as the inbox grows from 10 to 10,000 agents.
import { pathToFileURL } from 'node:url';
import {
  ManualClock,
  Switchboard,
  noMetrics,
  randomCode,
  silentLogger,
  type ChannelAdapter,
  type CoreDeps,
  type Platform,
  type Strategy,
  buildCoreDeps,
} from '../src/core/index.js';
import { routeConversation } from '../src/core/routing/router.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { printTable } from './table.js';
import { NullChannel, nullScheduler } from './null-ports.js';

async function setup(agents: number, strategy: Strategy, opts: { capacity?: number; awayShare?: number } = {}) {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const channels = new Map<Platform, ChannelAdapter>([['telegram', new NullChannel('telegram')]]);
  const deps: CoreDeps = buildCoreDeps({
    store,
    clock,
    scheduler: nullScheduler,
    logger: silentLogger,
    metrics: noMetrics,
    channels,
    newCode: randomCode,
    inviteLink: () => null,
    pace: false,
  });
  const core = new Switchboard(deps);
  await store.createInbox({ name: 'bench', platform: 'telegram', strategy, paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: clock.now() });
  const away = Math.floor(agents * (opts.awayShare ?? 0));
  for (let i = 0; i < agents; i++) {
    const handle = `agent${i}`;
    await store.createAgent({
      handle,
      name: handle,
      role: 'agent',
      status: 'active',
      availability: i < away ? 'away' : 'online',
      capacity: opts.capacity ?? 1_000_000,
      openCount: 0,
      homePlatform: 'telegram',
      telegramUserId: String(100000 + i),
      createdAt: clock.now(),
    });
    await store.addMember('bench', handle, clock.now());
  }
  return { store, clock, core, deps };
}

/** Customer messages through handleInbound, each opening and routing a conversation. */
export async function benchThroughput(conversations = 20_000, agents = 50): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const strategy of ['round-robin', 'least-busy'] as const) {
    const { core } = await setup(agents, strategy);
    const started = performance.now();
    for (let i = 0; i < conversations; i++) {
      await core.handleInbound({
        platform: 'telegram',
        deliveryId: `b${i}`,
        kind: 'message',
        sender: { id: `c${i}`, name: `Customer ${i}` },
        chat: { id: `c${i}`, isDirect: true },
        text: 'hello',
      });
    }
    const secs = (performance.now() - started) / 1000;
    rows.push({ case: 'customer message → assigned + notice', strategy, agents, conversations, seconds: secs, 'assignments/s': Math.round(conversations / secs) });
  }
  return rows;
}

/** Average cost of one routing decision (pick + cursor + slot + assign) by inbox size. */
export async function benchPickCost(sizes = [10, 100, 1_000, 10_000], picks = 2_000): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const strategy of ['round-robin', 'least-busy'] as const) {
    for (const awayShare of [0, 0.5]) {
      for (const size of sizes) {
        const { store, clock, deps } = await setup(size, strategy, { awayShare });
        const numbers: number[] = [];
        for (let i = 0; i < picks; i++) {
          const { conversation } = await store.openConversation('bench', { platform: 'telegram', id: `c${i}`, name: 'c', chatId: `c${i}` }, clock.now());
          numbers.push(conversation.number);
        }
        for (let i = 0; i < 50; i++) await routeConversation(deps, numbers[i]!); // warm-up
        const started = performance.now();
        for (let i = 50; i < picks; i++) await routeConversation(deps, numbers[i]!);
        const us = ((performance.now() - started) * 1000) / (picks - 50);
        rows.push({ strategy, 'agents away': `${awayShare * 100}%`, agents: size, 'µs per pick': Math.round(us * 10) / 10 });
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  printTable('Routing throughput (embedded store)', await benchThroughput());
  printTable('Cost of one pick by inbox size (embedded store)', await benchPickCost());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
