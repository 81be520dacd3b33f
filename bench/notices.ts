/**
 * Building the notice of a hand-over: a conversation of 45 messages (customer and agent taking
 * turns) is handed over, and the notice carries its latest 20 and a line for the 25 more. Timed:
 * the notice alone (reading the latest messages and the count, then laying out and splitting the
 * text at Telegram's 4,096 characters), and a whole `/transfer` through the core's front door
 * (embedded store, a channel that accepts everything at once). Messages of 80, 1,000 and 4,000
 * characters. Run alone with `npx tsx bench/notices.ts`.
 */
import { pathToFileURL } from 'node:url';
import { ManualClock, Switchboard, noMetrics, randomCode, silentLogger, type ChannelAdapter, type CoreDeps, type Platform } from '../src/core/index.js';
import { assignmentNotice, agentAddress } from '../src/core/delivery/notices.js';
import { textLimit, unseenMessages } from '../src/core/delivery/transcript.js';
import { capabilitiesOf } from '../src/core/deps.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { NullChannel, nullScheduler } from './null-ports.js';
import { printTable } from './table.js';

const MESSAGES = 45;
const ROUNDS = 400;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (n: number) => Math.round(n * 1000) / 1000;

async function setup(length: number) {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const channels = new Map<Platform, ChannelAdapter>([['telegram', new NullChannel('telegram')]]);
  const core = new Switchboard({ store, scheduler: nullScheduler, clock, logger: silentLogger, metrics: noMetrics, channels, newCode: randomCode, inviteLink: () => null, pace: false });
  const deps: CoreDeps = core.deps;
  await store.createInbox({ name: 'bench', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 0, maxRedirects: 3, createdAt: clock.now() });
  for (const [i, handle] of ['ann', 'ben'].entries()) {
    const r = await core.createAgent({ handle, name: handle, telegramUserId: String(9000 + i), availability: i === 0 ? 'online' : 'offline', capacity: 1000 });
    if (!r.ok) throw r.error;
    await store.addMember('bench', handle, clock.now());
  }
  // the customer's first message opens the conversation and gives it to ann
  await core.handleInbound({ platform: 'telegram', deliveryId: 'bench:0', kind: 'message', sender: { id: '500', name: 'Customer' }, chat: { id: '500', isDirect: true }, messageId: '1', text: 'x'.repeat(length) });
  for (let i = 2; i <= MESSAGES; i++) {
    clock.advance(30_000);
    const text = `${i} ${'x'.repeat(Math.max(0, length - 3))}`;
    await store.addMessage(i % 2 ? { conversation: 1, from: 'customer', text, at: clock.now() } : { conversation: 1, from: 'agent', handle: 'ann', text, at: clock.now() });
  }
  return { core, deps, store };
}

export async function benchNotices(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const length of [80, 1000, 4000]) {
    const { core, deps, store } = await setup(length);
    const conv = (await store.getConversation(1))!;
    const ben = (await store.getAgent('ben'))!;
    const address = agentAddress(ben)!;
    const build = async () => {
      const unseen = await unseenMessages(deps, conv, true);
      return assignmentNotice(ben, address, capabilitiesOf(deps, 'telegram'), conv, {
        headline: `Conversation #1 in bench from Customer was transferred to you by @ann.`,
        unseen,
        withTimes: true,
        now: deps.clock.now(),
        limit: textLimit(deps, 'telegram'),
      });
    };
    const sample = await build();
    for (let i = 0; i < 100; i++) await build(); // warm-up, not counted
    const builds: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await build();
      builds.push(performance.now() - t);
    }
    const transfers: number[] = [];
    for (let i = 0; i < ROUNDS / 4; i++) {
      const [from, to, chat] = i % 2 ? ['ben', 'ann', '9001'] : ['ann', 'ben', '9000'];
      const t = performance.now();
      const r = await core.handleInbound({ platform: 'telegram', deliveryId: `bench:t${i}`, kind: 'command', command: 'transfer', sender: { id: chat, name: from }, chat: { id: chat, isDirect: true }, text: `#1 @${to}` });
      transfers.push(performance.now() - t);
      if (!r.answer?.text.startsWith('Transferred')) throw new Error(`transfer failed: ${r.answer?.text}`);
    }
    builds.sort((a, b) => a - b);
    transfers.sort((a, b) => a - b);
    rows.push({
      'message chars': length,
      messages: MESSAGES,
      'notice messages': sample.length,
      'notice chars': sample.reduce((n, m) => n + m.text.length, 0),
      'build p50 ms': round(percentile(builds, 50)),
      'build p99 ms': round(percentile(builds, 99)),
      '/transfer p50 ms': round(percentile(transfers, 50)),
      '/transfer p99 ms': round(percentile(transfers, 99)),
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchNotices()
    .then((rows) => {
      printTable(`Hand-over notice of a ${MESSAGES}-message conversation (latest 20 and the "25 more" line), Telegram's limit`, rows);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
