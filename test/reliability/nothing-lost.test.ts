// "Nothing is lost" as a property: a platform that fails sends (500, 502, timeouts, connection
// resets, 429 with retry_after up to 30 s) and a store that fails a seeded share of operations,
// with the platform delivering an update again until it is handled. Every customer message reaches
// the assignee exactly once and in order; every agent reply reaches the customer exactly once and
// in order. Time is moved by fake timers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Switchboard, noMetrics, randomCode, silentLogger, type Clock, type InboundEvent, type Platform, type ChannelAdapter } from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { ManualScheduler } from '../support/manual-scheduler.js';
import { seededRandom } from '../support/seeded-random.js';
import { faultyStore } from '../support/store-wrappers.js';
import { FlakyPlatform, type SendFault } from './flaky-platform.js';

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const CUSTOMERS = 4;
const MESSAGES = 5;
const REPLIES = 3;
const ANN = '7001';
const FAULTS: SendFault[] = ['500', '502', 'timeout', 'reset', '429'];

afterEach(() => {
  vi.useRealTimers();
});

const customerToken = (c: number, m: number) => `[c${c}m${m}]`;
const replyToken = (c: number, r: number) => `[r${c}k${r}]`;

/** Where each token first appears in what a chat received, in order; how often it appears. */
function seen(texts: string[], tokens: string[]): { order: string[]; counts: Map<string, number> } {
  const all = texts.join('\n');
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, all.split(t).length - 1);
  const order = tokens.filter((t) => all.includes(t)).sort((a, b) => all.indexOf(a) - all.indexOf(b));
  return { order, counts };
}

describe('nothing is lost with a failing platform and a failing store', () => {
  it.each(SEEDS)('every message reaches the other side exactly once and in order (seed %i)', async (seed) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const random = seededRandom(seed);
    const clock: Clock = { now: () => new Date() };
    const platform = new FlakyPlatform('telegram', () => {
      if (random() >= 0.25) return null;
      const fault = FAULTS[Math.floor(random() * FAULTS.length)]!;
      return { fault, retryAfterSec: 1 + Math.floor(random() * 30) };
    });
    const inner = new MemoryStore();
    let failing = false;
    const store = faultyStore(inner, () => failing && random() < 0.04);
    const channels = new Map<Platform, ChannelAdapter>([['telegram', platform]]);
    const core = new Switchboard({
      store,
      scheduler: new ManualScheduler(),
      clock,
      logger: silentLogger,
      metrics: noMetrics,
      channels,
      newCode: randomCode,
      inviteLink: () => null,
      pace: false,
    });
    expect((await core.createAgent({ handle: 'ann', name: 'Ann', availability: 'online', capacity: 100, telegramUserId: ANN })).ok).toBe(true);
    expect((await core.createInbox({ name: 'support', platform: 'telegram', responseTimeoutSec: 0 })).ok).toBe(true);
    expect((await core.setMembers('support', { handles: ['ann'] })).ok).toBe(true);
    await core.deps.courier.start();

    let update = 0;
    /** The platform delivers the update again (a second later) until it was handled. */
    const deliver = async (event: Omit<InboundEvent, 'deliveryId'>) => {
      const deliveryId = `telegram:${++update}`;
      for (let attempt = 1; ; attempt++) {
        try {
          return await core.handleInbound({ ...event, deliveryId });
        } catch (error) {
          if (attempt > 200) throw error;
          await vi.advanceTimersByTimeAsync(1_000);
        }
      }
    };
    const customerSays = (c: number, text: string) =>
      deliver({ platform: 'telegram', kind: 'message', sender: { id: `c${c}`, name: `Customer ${c}` }, chat: { id: `c${c}`, isDirect: true }, messageId: String(update + 1), text });
    const annSays = (text: string) =>
      deliver({ platform: 'telegram', kind: 'message', sender: { id: ANN, name: 'Ann' }, chat: { id: ANN, isDirect: true }, messageId: String(update + 1), text });

    failing = true;
    // customers write in a seeded interleaving, each in their own order
    const next = Array.from({ length: CUSTOMERS }, () => 1);
    while (next.some((m) => m <= MESSAGES)) {
      const c = Math.floor(random() * CUSTOMERS);
      if (next[c]! > MESSAGES) continue;
      await customerSays(c + 1, `question ${customerToken(c + 1, next[c]!)}`);
      next[c]!++;
      await vi.advanceTimersByTimeAsync(Math.floor(random() * 3_000));
    }
    // ann answers each conversation, addressing it by number
    failing = false;
    const numbers = new Map<string, number>();
    for (const conv of await inner.listAssigned('ann')) numbers.set(conv.customer.id, conv.number);
    expect(numbers.size).toBe(CUSTOMERS);
    failing = true;
    for (let r = 1; r <= REPLIES; r++) {
      for (let c = 1; c <= CUSTOMERS; c++) {
        await annSays(`#${numbers.get(`c${c}`)} answer ${replyToken(c, r)}`);
        await vi.advanceTimersByTimeAsync(Math.floor(random() * 3_000));
      }
    }
    failing = false;

    // the outbox keeps trying until everything went through (well within the day)
    for (let waited = 0; (await inner.countOutbox()) > 0; waited += 60_000) {
      expect(waited).toBeLessThan(6 * 3600_000);
      await vi.advanceTimersByTimeAsync(60_000);
    }
    await vi.advanceTimersByTimeAsync(60_000);

    const customerTokens = (c: number) => Array.from({ length: MESSAGES }, (_, i) => customerToken(c, i + 1));
    const annGot = platform.texts(ANN);
    for (let c = 1; c <= CUSTOMERS; c++) {
      const { order, counts } = seen(annGot, customerTokens(c));
      expect({ customer: c, counts: [...counts.values()] }).toEqual({ customer: c, counts: customerTokens(c).map(() => 1) });
      expect({ customer: c, order }).toEqual({ customer: c, order: customerTokens(c) });
      const replies = Array.from({ length: REPLIES }, (_, i) => replyToken(c, i + 1));
      const got = seen(platform.texts(`c${c}`), replies);
      expect({ customer: c, counts: [...got.counts.values()] }).toEqual({ customer: c, counts: replies.map(() => 1) });
      expect({ customer: c, order: got.order }).toEqual({ customer: c, order: replies });
    }
    // the faults did happen
    expect(platform.attempts.some((a) => a.fault !== null)).toBe(true);
    await core.deps.courier.stop(0);
  });
});
