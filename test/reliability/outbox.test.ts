// The ways a message used to be lost, each as a test: a failed handling marked handled, sends that
// failed once for good (5xx, timeouts, resets, long 429s), nobody told, nothing paced; and what
// the outbox promises instead: tried again in order until it goes through, kept across a restart,
// given up after a day with the other side told.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Switchboard, noMetrics, randomCode, silentLogger, type ChannelAdapter, type Clock, type InboundEvent, type Platform } from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { makeCore } from '../support/core-harness.js';
import { ManualScheduler } from '../support/manual-scheduler.js';
import { failOnce, faultyStore } from '../support/store-wrappers.js';
import { FlakyPlatform, type SendFault } from './flaky-platform.js';

afterEach(() => {
  vi.useRealTimers();
});

const ANN = '7001';
const SUP = '7002';
const CUSTOMER = '9001';

/** A core on `store` whose Telegram is `platform`, with a clock that fake timers move. */
async function coreWith(platform: FlakyPlatform, store = new MemoryStore(), options: { pace?: boolean; setup?: boolean } = {}) {
  const clock: Clock = { now: () => new Date() };
  const core = new Switchboard({
    store,
    scheduler: new ManualScheduler(),
    clock,
    logger: silentLogger,
    metrics: noMetrics,
    channels: new Map<Platform, ChannelAdapter>([['telegram', platform]]),
    newCode: randomCode,
    inviteLink: () => null,
    pace: options.pace ?? false,
  });
  if (options.setup !== false) {
    expect((await core.createAgent({ handle: 'ann', name: 'Ann', availability: 'online', telegramUserId: ANN })).ok).toBe(true);
    expect((await core.createAgent({ handle: 'sue', name: 'Sue', role: 'supervisor', availability: 'offline', telegramUserId: SUP })).ok).toBe(true);
    expect((await core.createInbox({ name: 'support', platform: 'telegram', responseTimeoutSec: 0 })).ok).toBe(true);
    expect((await core.setMembers('support', { handles: ['ann', 'sue'] })).ok).toBe(true);
  }
  await core.deps.courier.start();
  return { core, store };
}

let update = 0;
const customerEvent = (text: string, id = `telegram:${++update}`): InboundEvent => ({
  platform: 'telegram',
  deliveryId: id,
  kind: 'message',
  sender: { id: CUSTOMER, name: 'Carol' },
  chat: { id: CUSTOMER, isDirect: true },
  messageId: String(update),
  text,
});
const annEvent = (text: string): InboundEvent => ({
  platform: 'telegram',
  deliveryId: `telegram:${++update}`,
  kind: 'message',
  sender: { id: ANN, name: 'Ann' },
  chat: { id: ANN, isDirect: true },
  messageId: String(update),
  text,
});

/** Fails the sends `plan` names, in order (null: the send goes through); later sends go through. */
function scripted(plan: (SendFault | null)[], retryAfterSec = 1, only?: string) {
  return new FlakyPlatform('telegram', (m) => {
    if (only !== undefined && m.to.chatId !== only) return null;
    const next = plan.shift();
    return next ? { fault: next, retryAfterSec } : null;
  });
}

describe('a handling that fails is handled again', () => {
  it('a message whose handling failed in the store is relayed when the platform delivers it again, once', async () => {
    const h = await makeCore({ wrapStore: (s) => faultyStore(s, failOnce('addMessage')) });
    await h.agent('ann');
    await h.inbox('support', ['ann']);
    const event = customerEvent('Where is my order?');
    await expect(h.core.handleInbound(event)).rejects.toThrow(/injected store failure/);
    const again = await h.core.handleInbound(event);
    expect(again.duplicate).toBe(false);
    const chat = await h.chatOf('ann');
    expect(h.telegram.texts(chat).filter((t) => t.includes('Where is my order?'))).toHaveLength(1);
    expect((await h.store.listMessages(1)).map((m) => m.text)).toEqual(['Where is my order?']);
    // a third delivery of the same update is a duplicate now
    expect((await h.core.handleInbound(event)).duplicate).toBe(true);
  });

  it('an update handled again after a failure that came after its sends does not send them twice', async () => {
    const h = await makeCore({ wrapStore: (s) => faultyStore(s, failOnce('recordDelivery')) });
    await h.agent('ann');
    await h.inbox('support', ['ann']);
    const event = customerEvent('Hello there');
    await expect(h.core.handleInbound(event)).rejects.toThrow(/injected/);
    await h.core.handleInbound(event);
    const chat = await h.chatOf('ann');
    expect(h.telegram.texts(chat).filter((t) => t.includes('Hello there'))).toHaveLength(1);
    expect(await h.store.listMessages(1)).toHaveLength(1);
  });
});

describe('the outbox', () => {
  it('sends a relay again after three Bot API 500s in a row, and the agent gets it once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = scripted(['500', '500', '500'], 1, ANN);
    const { core, store } = await coreWith(platform);
    await core.handleInbound(customerEvent('first words'));
    expect(platform.texts(ANN)).toEqual([]);
    expect(await store.countOutbox()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(platform.texts(ANN).filter((t) => t.includes('first words'))).toHaveLength(1);
    expect(await store.countOutbox()).toBe(0);
  });

  it.each(['timeout', 'reset', '502'] as const)('tries again after a %s instead of giving up', async (fault) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = scripted([fault], 1, ANN);
    const { core } = await coreWith(platform);
    await core.handleInbound(customerEvent('are you there'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(platform.texts(ANN).filter((t) => t.includes('are you there'))).toHaveLength(1);
  });

  it('waits out a 429 with retry_after 30 s and keeps the order of the chat meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = scripted(['429'], 30, ANN);
    const { core } = await coreWith(platform);
    await core.handleInbound(customerEvent('one'));
    await core.handleInbound(customerEvent('two'));
    await core.handleInbound(customerEvent('three'));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(platform.texts(ANN)).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    const got = platform.texts(ANN).join('\n');
    expect(got.indexOf('one')).toBeGreaterThanOrEqual(0);
    expect(got.indexOf('one')).toBeLessThan(got.indexOf('two'));
    expect(got.indexOf('two')).toBeLessThan(got.indexOf('three'));
  });

  it("tells the agent at once that the reply waits, sends it when the platform is back, and never twice", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = scripted(['500', '500'], 1, CUSTOMER);
    const { core } = await coreWith(platform);
    await core.handleInbound(customerEvent('refund please'));
    const answer = await core.handleInbound(annEvent('#1 Your refund is approved'));
    expect(answer.answer?.text).toBe('Switchboard cannot reach Telegram right now: your reply to #1 is kept and sent as soon as it can be (you are told if it cannot be within a day).');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(platform.texts(CUSTOMER).filter((t) => t === 'Your refund is approved')).toHaveLength(1);
  });

  it('a refusal (the customer blocked the bot) is final and said at once', async () => {
    const platform = scripted(['refused'], 1, CUSTOMER);
    const { core, store } = await coreWith(platform);
    await core.handleInbound(customerEvent('hello'));
    const answer = await core.handleInbound(annEvent('#1 Hi!'));
    expect(answer.answer?.text).toBe('Could not deliver your reply to #1: the customer blocked the bot or the chat is gone. It was not sent.');
    expect(await store.countOutbox()).toBe(0);
  });

  it('gives a reply up after a day and tells the agent who wrote it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = new FlakyPlatform('telegram', (m) => (m.to.chatId === CUSTOMER && m.text.includes('approved') ? { fault: '500' } : null));
    const { core, store } = await coreWith(platform);
    await core.handleInbound(customerEvent('refund please'));
    await core.handleInbound(annEvent('#1 Your refund is approved'));
    await vi.advanceTimersByTimeAsync(23 * 3600_000);
    expect(platform.texts(ANN).some((t) => t.includes('given up'))).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * 3600_000);
    const told = platform.texts(ANN).filter((t) => t.includes('given up'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^Your reply to #1 was not delivered to the customer \(Bot API 500: Internal Server Error; tried \d+ times over 2[45] h\) and was given up: «Your refund is approved»$/);
    expect(await store.countOutbox()).toBe(0);
  });

  it('gives a notice up after a day and tells the supervisors', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = new FlakyPlatform('telegram', (m) => (m.to.chatId === ANN ? { fault: 'reset' } : null));
    const { core } = await coreWith(platform);
    await core.handleInbound(customerEvent('anyone?'));
    await vi.advanceTimersByTimeAsync(25 * 3600_000);
    const told = platform.texts(SUP).filter((t) => t.includes('given up'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^A message for @ann about #1 was not delivered \(FetchError: .*ECONNRESET\); tried \d+ times\) and was given up: «New conversation #1/);
  });

  it('keeps what waits across a restart: a new process on the same store sends it, once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const down = new FlakyPlatform('telegram', () => ({ fault: '502' }));
    const first = await coreWith(down);
    await first.core.handleInbound(customerEvent('before the restart'));
    await first.core.deps.courier.stop(0);
    expect(await first.store.countOutbox()).toBe(1);

    const up = new FlakyPlatform('telegram', () => null);
    const second = await coreWith(up, first.store, { setup: false });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(up.texts(ANN).filter((t) => t.includes('before the restart'))).toHaveLength(1);
    expect(await second.store.countOutbox()).toBe(0);
    await second.core.deps.courier.stop(0);
  });

  it('stops within its deadline while a send hangs, keeping the message for the next start', async () => {
    const platform = new FlakyPlatform('telegram', () => null);
    platform.send = () => new Promise(() => {}); // the Bot API never answers
    const { core, store } = await coreWith(platform);
    void core.deps.courier.send({ to: { platform: 'telegram', chatId: ANN }, text: 'stuck' });
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await core.deps.courier.stop(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await store.listOutbox(10)).map((r) => r.message.text)).toEqual(['stuck']);
  });
});

describe('pacing', () => {
  it('keeps to 1 message a second per chat and 30 a second in all, and the queue resumes after a 429 by itself', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    let limited = false;
    const platform = new FlakyPlatform('telegram', (m) => {
      if (m.to.chatId === 'c-3' && !limited) {
        limited = true;
        return { fault: '429', retryAfterSec: 5 };
      }
      return null;
    });
    const { core } = await coreWith(platform, new MemoryStore(), { pace: true });
    const sends = [];
    for (let i = 0; i < 5; i++) sends.push(core.deps.courier.send({ to: { platform: 'telegram', chatId: 'one-chat' }, text: `same chat ${i}` }));
    for (let i = 0; i < 90; i++) sends.push(core.deps.courier.send({ to: { platform: 'telegram', chatId: `c-${i}` }, text: `chat ${i}` }));
    await vi.advanceTimersByTimeAsync(15_000);
    await Promise.all(sends);
    expect(platform.delivered).toHaveLength(95);
    const taken = platform.attempts.filter((a) => a.fault === null);
    const oneChat = taken.filter((a) => a.chatId === 'one-chat').map((a) => a.at);
    for (let i = 1; i < oneChat.length; i++) expect(oneChat[i]! - oneChat[i - 1]!).toBeGreaterThanOrEqual(1_000);
    for (const a of platform.attempts) expect(platform.attempts.filter((b) => b.at >= a.at && b.at < a.at + 1_000).length).toBeLessThanOrEqual(30);
    // the rate-limited chat got its message after its wait, by itself
    const c3 = platform.attempts.filter((a) => a.chatId === 'c-3');
    expect(c3.map((a) => a.fault)).toEqual(['429', null]);
    expect(c3[1]!.at - c3[0]!.at).toBeGreaterThanOrEqual(5_000);
  });

  it("combines many notices waiting for one agent's chat into digests, none lost", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const platform = new FlakyPlatform('telegram', () => null);
    const { core } = await coreWith(platform, new MemoryStore(), { pace: true });
    const sends = [];
    for (let n = 1; n <= 40; n++) sends.push(core.deps.courier.send({ to: { platform: 'telegram', chatId: ANN }, handle: 'ann', conversation: n, text: `New conversation #${n} in support.` }));
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(sends);
    const got = platform.texts(ANN);
    expect(got.length).toBeLessThan(10);
    expect(got.some((t) => t.startsWith('Several conversations need you'))).toBe(true);
    const all = got.join('\n');
    for (let n = 1; n <= 40; n++) expect({ n, times: all.split(`#${n} in support`).length - 1 }).toEqual({ n, times: 1 });
  });
});
