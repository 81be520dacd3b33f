import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/core/index.js';
import { CHAT_NOT_FOUND } from '../../fakes/telegram-api.js';
import { startHarness, type Harness } from './harness.js';

const AGENT_CHAT = '9001';
const CUSTOMER_CHAT = '7001';

describe('Telegram adapter: sending', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('sends a text and returns the message id Telegram gave it', async () => {
    h = await startHarness({ webhook: false, start: false });
    const first = await h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: '#4 Alice: hello', conversation: 4 });
    const second = await h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: '#4 Alice: again' });
    expect(first).toEqual([{ chatId: AGENT_CHAT, messageId: '1' }]);
    expect(second).toEqual([{ chatId: AGENT_CHAT, messageId: '2' }]);
    expect(h.api.delivered(AGENT_CHAT)).toEqual(['#4 Alice: hello', '#4 Alice: again']);
  });

  it('copies a Telegram original and sends the marker as a reply to the copy', async () => {
    h = await startHarness({ webhook: false, start: false });
    const refs = await h.adapter.send({
      to: { platform: 'telegram', chatId: AGENT_CHAT },
      text: '#4 Alice: [photo] the broken part',
      copyOf: { platform: 'telegram', chatId: CUSTOMER_CHAT, messageId: '1234' },
      conversation: 4,
    });
    expect(refs).toEqual([
      { chatId: AGENT_CHAT, messageId: '1' },
      { chatId: AGENT_CHAT, messageId: '2' },
    ]);
    const [copy] = h.api.callsOf('copyMessage');
    expect(copy?.params).toMatchObject({ chat_id: AGENT_CHAT, from_chat_id: CUSTOMER_CHAT, message_id: 1234 });
    const [marker] = h.api.callsOf('sendMessage');
    expect(marker?.params).toMatchObject({ text: '#4 Alice: [photo] the broken part', reply_parameters: { message_id: 1 } });
  });

  it('sends only the text when the original is not on Telegram', async () => {
    h = await startHarness({ webhook: false, start: false });
    await h.adapter.send({
      to: { platform: 'telegram', chatId: CUSTOMER_CHAT },
      text: '[file] report.pdf',
      copyOf: { platform: 'slack', chatId: 'D123', messageId: '1700000000.000100' },
    });
    expect(h.api.callsOf('copyMessage')).toHaveLength(0);
    expect(h.api.delivered(CUSTOMER_CHAT)).toEqual(['[file] report.pdf']);
  });

  it('still sends the marker text when the original can no longer be copied', async () => {
    h = await startHarness({ webhook: false, start: false });
    h.api.failNext('copyMessage', { code: 400, description: 'Bad Request: message to copy not found' });
    const refs = await h.adapter.send({
      to: { platform: 'telegram', chatId: AGENT_CHAT },
      text: '#4 Alice: [voice]',
      copyOf: { platform: 'telegram', chatId: CUSTOMER_CHAT, messageId: '99' },
    });
    expect(refs).toEqual([{ chatId: AGENT_CHAT, messageId: '1' }]);
    expect(h.api.delivered(AGENT_CHAT)).toEqual(['#4 Alice: [voice]']);
  });

  it('reports a copy without text that cannot be made as refused, instead of a delivery of nothing', async () => {
    h = await startHarness({ webhook: false, start: false });
    h.api.failNext('copyMessage', { code: 400, description: 'Bad Request: message to copy not found' });
    const sending = h.adapter.send({ to: { platform: 'telegram', chatId: CUSTOMER_CHAT }, text: '', copyOf: { platform: 'telegram', chatId: AGENT_CHAT, messageId: '42' } });
    await expect(sending).rejects.toMatchObject({ name: 'ChannelError', failure: 'refused', message: expect.stringContaining('message to copy not found') });
    expect(h.api.delivered(CUSTOMER_CHAT)).toEqual([]);
  });

  it('reports a customer who blocked the bot as a refused delivery, without retrying', async () => {
    h = await startHarness({ webhook: false, start: false });
    h.api.failChat(CUSTOMER_CHAT);
    const failure = await h.adapter.send({ to: { platform: 'telegram', chatId: CUSTOMER_CHAT }, text: 'Hi' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChannelError);
    expect(failure).toMatchObject({ failure: 'refused', message: expect.stringContaining('blocked by the user') });
    expect(h.api.callsOf('sendMessage')).toHaveLength(1);
  });

  it('reports a chat that does not exist as refused, also for a copy', async () => {
    h = await startHarness({ webhook: false, start: false });
    h.api.failChat('555', CHAT_NOT_FOUND);
    const failure = await h.adapter
      .send({ to: { platform: 'telegram', chatId: '555' }, text: 'x', copyOf: { platform: 'telegram', chatId: CUSTOMER_CHAT, messageId: '1' } })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'ChannelError', failure: 'refused', message: expect.stringContaining('chat not found') });
  });

  it('waits retry_after on 429 and then delivers', async () => {
    h = await startHarness({ webhook: false, start: false });
    h.api.rateLimitOnce(1, 'sendMessage');
    const started = Date.now();
    const refs = await h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: 'after the limit' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(refs).toEqual([{ chatId: AGENT_CHAT, messageId: '1' }]);
    expect(h.api.callsOf('sendMessage').map((c) => c.failed ?? 'ok')).toEqual([429, 'ok']);
    expect(h.logger.lines.some((l) => l.level === 'warn' && l.fields.method === 'sendMessage')).toBe(true);
  });

  it('gives up at once when retry_after is longer than the wait budget', async () => {
    h = await startHarness({ webhook: false, start: false });
    h.api.rateLimitOnce(30);
    const started = Date.now();
    const failure = await h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: 'x' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(failure).toMatchObject({ name: 'ChannelError', failure: 'rate-limited', retryAfterSec: 30 });
  });

  it('retries a server error with a short backoff', async () => {
    h = await startHarness({ webhook: false, start: false, retry: { maxAttempts: 3, maxWaitMs: 1_000, backoffMs: 20 } });
    h.api.failNext('sendMessage', { code: 502, description: 'Bad Gateway' });
    await expect(h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: 'x' })).resolves.toHaveLength(1);
  });

  it('reports an unreachable Bot API as unreachable, without the token in the message', async () => {
    h = await startHarness({ webhook: false, start: false, apiRoot: () => 'http://127.0.0.1:9/', retry: { maxAttempts: 2, maxWaitMs: 100, backoffMs: 10 } });
    const failure = await h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: 'x' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'ChannelError', failure: 'unreachable' });
    expect((failure as Error).message).not.toContain(h.api.token.split(':')[1]);
  });

  it('splits a text longer than 4,096 characters and puts the buttons on the last part', async () => {
    h = await startHarness({ webhook: false, start: false });
    const text = Array.from({ length: 900 }, (_, i) => `line ${i}`).join('\n'); // ~7,000 characters
    const refs = await h.adapter.send({
      to: { platform: 'telegram', chatId: AGENT_CHAT },
      text,
      buttons: [{ label: 'Claim', action: 'claim', value: '12' }],
    });
    const sent = h.api.callsOf('sendMessage');
    expect(refs).toHaveLength(2);
    expect(sent.every((c) => String(c.params.text).length <= 4096)).toBe(true);
    expect(sent.map((c) => c.params.text).join('\n')).toBe(text);
    expect(sent[0]?.params.reply_markup).toBeUndefined();
    expect(sent[1]?.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:12' }]] });
  });

  it('gives up on a Bot API call that hangs, as unreachable and without sending it twice', async () => {
    h = await startHarness({ webhook: false, start: false, requestTimeoutMs: 200 });
    h.api.delayOnce('sendMessage', 800);
    const started = Date.now();
    const failure = await h.adapter.send({ to: { platform: 'telegram', chatId: AGENT_CHAT }, text: 'hello' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChannelError);
    expect((failure as ChannelError).failure).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(700);
    await new Promise((r) => setTimeout(r, 900)); // the fake records the call when it answers
    expect(h.api.callsOf('sendMessage')).toHaveLength(1);
  });

  it('refuses an address of another platform', async () => {
    h = await startHarness({ webhook: false, start: false });
    await expect(h.adapter.send({ to: { platform: 'slack', chatId: 'U1' }, text: 'x' })).rejects.toMatchObject({ failure: 'refused' });
    expect(h.api.calls).toHaveLength(0);
  });
});
