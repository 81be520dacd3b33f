/**
 * The embedded store with its data directory against `DATA_DIR=:memory:`: routing throughput
 * (one customer at a time, and 32 at once), the cost of a pick at 10 and 10,000 agents, the
 * relay latency through the Telegram webhook, the offboarding of an agent with 10,000 open
 * conversations, and a start of the compiled app on a directory holding 100,000 conversations
 * (time to listening and to ready, RSS) in a fresh child process.
 * Run alone with `npx tsx bench/data-dir.ts [part…]` or `npm run bench -- data-dir [part…]`.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ManualClock,
  Switchboard,
  noMetrics,
  randomCode,
  silentLogger,
  type ChannelAdapter,
  type CoreDeps,
  type InboundEvent,
  type Platform,
  type Strategy,
  buildCoreDeps,
  Intake,
} from '../src/core/index.js';
import { routeConversation } from '../src/core/routing/router.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { openDataDir } from '../src/store/embedded/data-dir.js';
import { printTable } from './table.js';
import { NullChannel, nullScheduler } from './null-ports.js';
import { buildOnce, startCompiled, type CompiledStart } from './compiled-start.js';
import { benchTelegramRelay } from './telegram-relay.js';

type Kind = ':memory:' | 'data dir';
interface Opened {
  store: MemoryStore;
  close(): Promise<void>;
}

async function open(kind: Kind): Promise<Opened> {
  if (kind === ':memory:') return { store: new MemoryStore(), close: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const data = await openDataDir(dir);
  return {
    store: data.store,
    close: async () => {
      await data.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function setup(kind: Kind, agents: number, strategy: Strategy) {
  const opened = await open(kind);
  const { store } = opened;
  const clock = new ManualClock();
  const deps: CoreDeps = buildCoreDeps({
    store,
    clock,
    scheduler: nullScheduler,
    logger: silentLogger,
    metrics: noMetrics,
    channels: new Map<Platform, ChannelAdapter>([['telegram', new NullChannel('telegram')]]),
    newCode: randomCode,
    inviteLink: () => null,
    pace: false,
  });
  await store.createInbox({ name: 'bench', platform: 'telegram', strategy, paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: clock.now() });
  await inParallel(agents, 64, async (i) => {
    const handle = `agent${i}`;
    await store.createAgent({ handle, name: handle, role: i === 0 ? 'admin' : 'agent', status: 'active', availability: 'online', capacity: 1_000_000, openCount: 0, homePlatform: 'telegram', telegramUserId: String(100_000 + i), createdAt: clock.now() });
  });
  for (let i = 0; i < agents; i++) await store.addMember('bench', `agent${i}`, clock.now());
  return { ...opened, clock, deps, core: new Switchboard(deps) };
}

async function inParallel(count: number, width: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await work(next++);
  }));
}

const customerMessage = (i: number, text = 'hello'): InboundEvent => ({
  platform: 'telegram',
  deliveryId: `b${i}-${text}`,
  kind: 'message',
  sender: { id: `c${i}`, name: `Customer ${i}` },
  chat: { id: `c${i}`, isDirect: true },
  text,
});

/**
 * The path a platform update takes: kept by the intake (what the webhook waits for before its
 * 200), then handled in its chat's lane; `inFlight` updates accepted at once.
 */
async function throughIntake(s: Awaited<ReturnType<typeof setup>>, count: number, inFlight: number, offset: number): Promise<void> {
  const intake = new Intake({ store: s.store, clock: s.clock, logger: silentLogger, metrics: noMetrics });
  let handled = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  intake.register('telegram', async (payload) => {
    await s.core.handleInbound(payload as InboundEvent);
    if (++handled === count) allDone();
  });
  await intake.start();
  await inParallel(count, inFlight, async (i) => {
    const event = customerMessage(offset + i);
    await intake.accept({ key: event.deliveryId, platform: 'telegram', lane: `telegram:${event.chat.id}`, order: offset + i, payload: event });
  });
  await done;
  await intake.stop(1000);
}

/**
 * Rounds per throughput case. In each round both stores run, one right after the other (taking
 * turns going first); the share of :memory: is the median of the rounds' own shares, so that a
 * change in the machine's load between rounds does not count as a difference between the stores.
 */
const THROUGHPUT_ROUNDS = 7;

export async function benchThroughputByStore(conversations = 5_000, rounds = THROUGHPUT_ROUNDS): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const cases = [
    { name: 'handled one at a time (latency: each waits for the last)', inFlight: 1, intake: false },
    { name: 'handled 32 at once (throughput)', inFlight: 32, intake: false },
    { name: 'kept by the intake, then handled, 32 at once (the webhook path)', inFlight: 32, intake: true },
  ];
  for (const { name, inFlight, intake } of cases) {
    const runs: Record<Kind, Array<{ us: number; cpuUs: number }>> = { ':memory:': [], 'data dir': [] };
    for (let round = 0; round < rounds; round++) {
      // the machine's load drifts: the two stores take turns going first
      const order: Kind[] = round % 2 === 0 ? [':memory:', 'data dir'] : ['data dir', ':memory:'];
      for (const kind of order) {
        const s = await setup(kind, 50, 'round-robin');
        try {
          const run = (count: number, offset: number) =>
            intake ? throughIntake(s, count, inFlight, offset) : inParallel(count, inFlight, (i) => s.core.handleInbound(customerMessage(offset + i)));
          await run(500, 1_000_000); // warm-up
          const cpu = process.cpuUsage();
          const started = performance.now();
          await run(conversations, 0);
          const spent = process.cpuUsage(cpu);
          runs[kind].push({ us: (1000 * (performance.now() - started)) / conversations, cpuUs: (spent.user + spent.system) / conversations });
        } finally {
          await s.close();
        }
      }
    }
    const medianUs = (kind: Kind) => median(runs[kind].map((r) => r.us));
    for (const kind of [':memory:', 'data dir'] as const) {
      rows.push({
        case: name,
        store: kind,
        conversations,
        'assignments/s': Math.round(1e6 / medianUs(kind)),
        'µs each (median)': Math.round(medianUs(kind)),
        'µs each, per round': runs[kind].map((r) => Math.round(r.us)).join(' '),
        'CPU µs each': Math.round(median(runs[kind].map((r) => r.cpuUs))),
        'of :memory:': kind === ':memory:' ? '100%' : `${Math.round(100 * median(runs[kind].map((r, i) => runs[':memory:'][i]!.us / r.us)))}%`,
      });
    }
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchPickCostByStore(sizes = [10, 10_000], picks = 2_000): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const strategy of ['round-robin', 'least-busy'] as const) {
    for (const kind of [':memory:', 'data dir'] as const) {
      for (const size of sizes) {
        const s = await setup(kind, size, strategy);
        try {
          const numbers: number[] = [];
          for (let i = 0; i < picks; i++) {
            const { conversation } = await s.store.openConversation('bench', { platform: 'telegram', id: `c${i}`, name: 'c', chatId: `c${i}` }, s.clock.now());
            numbers.push(conversation.number);
          }
          for (let i = 0; i < 50; i++) await routeConversation(s.deps, numbers[i]!);
          const started = performance.now();
          for (let i = 50; i < picks; i++) await routeConversation(s.deps, numbers[i]!);
          rows.push({ strategy, store: kind, agents: size, 'µs per pick': Math.round(((performance.now() - started) * 10_000) / (picks - 50)) / 10 });
        } finally {
          await s.close();
        }
      }
    }
  }
  return rows;
}

export async function benchOffboardingByStore(conversations = 10_000): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const kind of [':memory:', 'data dir'] as const) {
    const s = await setup(kind, 20, 'round-robin');
    try {
      const { store, clock, core } = s;
      await store.createAgent({ handle: 'sup', name: 'Sup', role: 'supervisor', status: 'active', availability: 'online', capacity: 10, openCount: 0, homePlatform: 'telegram', telegramUserId: '999', createdAt: clock.now() });
      await store.createAgent({ handle: 'alex', name: 'Alex', role: 'agent', status: 'active', availability: 'online', capacity: 1_000_000, openCount: 0, homePlatform: 'telegram', telegramUserId: '998', createdAt: clock.now() });
      await store.addMember('bench', 'alex', clock.now());
      await inParallel(conversations, 64, async (i) => {
        const { conversation } = await store.openConversation('bench', { platform: 'telegram', id: `o${i}`, name: 'c', chatId: `o${i}` }, clock.now());
        await store.reserveSlot('alex', { requireOnline: false, ignoreCapacity: true });
        await store.updateConversation(conversation.number, {}, { status: 'assigned', assignee: 'alex' });
      });
      const offboard = async (text: string, id: string) =>
        (await core.handleInbound({ platform: 'telegram', deliveryId: id, kind: 'command', command: 'offboard', sender: { id: '999', name: 'Sup' }, chat: { id: '999', isDirect: true }, text })).answer?.text ?? '';
      let started = performance.now();
      const preview = await offboard('@alex', 'p');
      const previewMs = performance.now() - started;
      const code = /\/offboard confirm ([A-Z0-9]+)/.exec(preview)?.[1];
      if (!code) throw new Error(`no confirmation code in the preview: ${preview}`);
      started = performance.now();
      await offboard(`confirm ${code}`, 'c');
      const confirmMs = performance.now() - started;
      const left = (await store.listAssigned('alex')).length;
      rows.push({ store: kind, conversations, 'preview ms': Math.round(previewMs), 'carry out ms': Math.round(confirmMs), 'left with alex': left });
    } finally {
      await s.close();
    }
  }
  return rows;
}

/** Write a directory with `conversations` assigned conversations (one message and one history event each). */
export async function populate(dir: string, conversations: number): Promise<void> {
  const data = await openDataDir(dir);
  const { store } = data;
  const at = new Date();
  await store.createInbox({ name: 'telegram', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: at });
  for (let i = 0; i < 50; i++) {
    await store.createAgent({ handle: `agent${i}`, name: `Agent ${i}`, role: 'agent', status: 'active', availability: 'online', capacity: 1_000_000, openCount: 0, homePlatform: 'telegram', createdAt: at });
    await store.addMember('telegram', `agent${i}`, at);
  }
  await inParallel(conversations, 128, async (i) => {
    const handle = `agent${i % 50}`;
    const { conversation } = await store.openConversation('telegram', { platform: 'telegram', id: String(5_000_000 + i), name: `Customer ${i}`, chatId: String(5_000_000 + i) }, at);
    await store.addMessage({ conversation: conversation.number, from: 'customer', text: `Hello, my order ${i} has not arrived yet, could you look into it?`, at });
    await store.reserveSlot(handle, { requireOnline: false, ignoreCapacity: true });
    await store.updateConversation(conversation.number, {}, { status: 'assigned', assignee: handle, updatedAt: at, lastMessageText: 'Hello' });
    await store.addHistory({ conversation: conversation.number, reason: 'route', from: null, to: handle, actor: null, at });
  });
  await data.close();
}

export async function benchStartByStore(conversations = 100_000): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-start-'));
  try {
    buildOnce();
    const started = performance.now();
    await populate(join(dir, 'data'), conversations);
    const writeSecs = (performance.now() - started) / 1000;
    const rows: Record<string, unknown>[] = [];
    for (const [kind, dataDir] of [[':memory:', ':memory:'], ['data dir', join(dir, 'data')]] as const) {
      // three starts, the median by time to ready (the machine may be busy with other work)
      const runs: CompiledStart[] = [];
      for (let i = 0; i < 3; i++) runs.push(await startCompiled(dataDir));
      const r = runs.sort((a, b) => a.readyMs - b.readyMs)[1]!;
      rows.push({
        store: kind,
        'conversations on disk': kind === ':memory:' ? 0 : conversations,
        'to listening ms': r.listenMs,
        'to /readyz 200 ms': r.readyMs,
        'CPU ms to ready': r.cpuMs,
        'RSS MB': Math.round(r.rss / 1e6),
        'peak RSS MB': Math.round(r.peakRss / 1e6),
        'max RSS of 3 MB': Math.round(Math.max(...runs.map((x) => x.rss)) / 1e6),
        'heap used MB': Math.round(r.heapUsed / 1e6),
        'on disk MB': kind === ':memory:' ? '' : Math.round(sizeOf(join(dir, 'data')) / 1e6),
        'written in s': kind === ':memory:' ? '' : writeSecs.toFixed(1),
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name));
    total += st.isDirectory() ? sizeOf(join(dir, name)) : st.size;
  }
  return total;
}

export async function benchRelayByStore(): Promise<Record<string, unknown>[]> {
  return benchTelegramRelay({ rate: 200, seconds: 5, bare: false });
}

/** The parts of this bench, in the order they run; `npm run bench -- data-dir start relay` runs a few. */
export const DATA_DIR_PARTS = ['throughput', 'pick', 'relay', 'offboarding', 'start'] as const;
type Part = (typeof DATA_DIR_PARTS)[number];

export async function benchDataDir(parts: readonly string[] = []): Promise<void> {
  const unknown = parts.filter((p) => !(DATA_DIR_PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`unknown data-dir part ${unknown.join(', ')}: choose from ${DATA_DIR_PARTS.join(', ')}`);
  const run = (part: Part) => parts.length === 0 || parts.includes(part);
  if (run('throughput')) {
    printTable(`Routing throughput, customer message → assigned + notice sent: data directory vs :memory: (50 agents, round-robin; median of ${THROUGHPUT_ROUNDS} rounds, each running both stores, which take turns going first; "of :memory:" is the median of the rounds' shares; CPU includes LevelDB's threads; target ≥ 50% of :memory: under load)`, await benchThroughputByStore());
    console.log('On the data directory a message waits for the disk once before its notice is sent (and, on the webhook path, once before the update is acknowledged): one at a time, that is its latency.');
  }
  if (run('pick')) printTable('Cost of one routing pick: data directory vs :memory: (target: flat from 10 to 10,000 agents)', await benchPickCostByStore());
  if (run('relay')) printTable('Relay: customer update on the Telegram webhook → agent sendMessage, data directory vs :memory:', await benchRelayByStore());
  if (run('offboarding')) printTable('Offboarding an agent with 10,000 open conversations: data directory vs :memory:', await benchOffboardingByStore());
  if (run('start')) printTable('Start of the compiled app (node dist/src/main.js) on a data directory holding 100,000 conversations (targets ≤ 5 s, RSS ≤ 200 MB)', await benchStartByStore());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchDataDir(process.argv.slice(2));
  process.exit(0);
}
