import { afterEach, describe, expect, it } from 'vitest';
import { eventually, sleep, startHarness, type Harness } from './harness.js';
import { alice, callbackUpdate, messageUpdate, photoUpdate, textUpdate } from './telegram-updates.js';

describe('Telegram adapter: webhook', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('refuses a wrong or missing secret token with 401 and does nothing', async () => {
    h = await startHarness();
    const wrong = await h.postUpdate(textUpdate(alice, 'hi'), 'not-the-secret');
    const missing = await h.postUpdate(textUpdate(alice, 'hi'), null);
    const almost = await h.postUpdate(textUpdate(alice, 'hi'), 'webhook-secret_012345678');
    expect([wrong.status, missing.status, almost.status]).toEqual([401, 401, 401]);
    await sleep(100);
    expect(h.core.events).toHaveLength(0);
    expect(h.api.callsOf('sendMessage')).toHaveLength(0);
  });

  it('hands a customer message to the core with the update id as delivery id', async () => {
    h = await startHarness();
    const update = textUpdate(alice, 'Where is my parcel?');
    const response = await h.postUpdate(update);
    expect(response.status).toBe(200);
    const event = await eventually(() => h.core.events[0]);
    expect(event).toMatchObject({ deliveryId: `telegram:${update.update_id}`, kind: 'message', text: 'Where is my parcel?', chat: { id: '7001' } });
  });

  it("delivers the core's answer to the sender, replying to the command, cut to 4,096 characters", async () => {
    h = await startHarness();
    h.core.respond = (event) => ({
      duplicate: false,
      answer: { text: event.command === 'mine' ? `Your open conversations:\n${'#1 Bob — waiting\n'.repeat(400)}` : 'ok' },
    });
    const update = textUpdate(alice, '/mine');
    await h.postUpdate(update);
    const call = await h.api.waitForCall('sendMessage');
    const text = String(call.params.text);
    expect(call.params.chat_id).toBe('7001');
    expect(call.params.reply_parameters).toMatchObject({ message_id: update.message.message_id });
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.startsWith('Your open conversations:')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
  });

  it('shows answer buttons as an inline keyboard', async () => {
    h = await startHarness();
    h.core.respond = () => ({
      duplicate: false,
      answer: { text: 'Offboard @bob?', buttons: [{ label: 'Confirm', action: 'offboard-confirm', value: 'K7Q2' }] },
    });
    await h.postUpdate(textUpdate(alice, '/offboard @bob'));
    const call = await h.api.waitForCall('sendMessage');
    expect(call.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Confirm', callback_data: 'offboard-confirm:K7Q2' }]] });
  });

  it('answers the webhook before slow handling finishes', async () => {
    h = await startHarness();
    h.core.respond = async () => {
      await sleep(1_500);
      return { duplicate: false, answer: { text: 'done' } };
    };
    const started = Date.now();
    const response = await h.postUpdate(textUpdate(alice, '/mine'));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    await h.api.waitForCall('sendMessage', (p) => p.text === 'done', 3_000);
  });

  it('handles the updates of one chat in the order they arrived', async () => {
    h = await startHarness();
    const seen: string[] = [];
    h.core.respond = async (event) => {
      if (event.text === 'first') await sleep(300);
      seen.push(event.text);
      return { duplicate: false };
    };
    await h.postUpdate(textUpdate(alice, 'first'));
    await h.postUpdate(textUpdate(alice, 'second'));
    await h.postUpdate(textUpdate({ id: 7002, first_name: 'Carol' }, 'other chat'));
    await eventually(() => seen.length === 3, 3_000);
    expect(seen.indexOf('first')).toBeLessThan(seen.indexOf('second'));
    expect(seen[0]).toBe('other chat'); // another chat does not wait for the slow one
  });

  it('sends nothing for a duplicate delivery', async () => {
    h = await startHarness();
    const seen = new Set<string>();
    h.core.respond = (event) => {
      const duplicate = seen.has(event.deliveryId);
      seen.add(event.deliveryId);
      return duplicate ? { duplicate: true } : { duplicate: false, answer: { text: 'Linked.' } };
    };
    const update = textUpdate(alice, '/start CODE1');
    await h.postUpdate(update);
    await h.postUpdate(update);
    await eventually(() => h.core.events.length === 2);
    await sleep(100);
    expect(h.api.callsOf('sendMessage').map((c) => c.params.text)).toEqual(['Linked.']);
  });

  it('acknowledges a button press and hands it to the core', async () => {
    h = await startHarness();
    h.core.respond = () => ({ duplicate: false, answer: { text: 'You took #12.' } });
    const update = callbackUpdate(alice, 'claim:12');
    await h.postUpdate(update);
    const ack = await h.api.waitForCall('answerCallbackQuery');
    expect(ack.params.callback_query_id).toBe(update.callback_query.id);
    expect(h.core.events[0]).toMatchObject({ kind: 'button', button: { action: 'claim', value: '12' } });
    await h.api.waitForCall('sendMessage', (p) => p.text === 'You took #12.');
  });

  it('ignores group messages and edits without calling the core, but still acknowledges a group button', async () => {
    h = await startHarness();
    const group = textUpdate(alice, '/close #1');
    group.message.chat = { id: -100123, type: 'supergroup' } as never;
    const edit = { update_id: 1, edited_message: { ...textUpdate(alice, 'x').message, edit_date: 1 } };
    const press = callbackUpdate(alice, 'claim:1');
    press.callback_query.message.chat = { id: -100123, type: 'group' } as never;
    for (const update of [group, edit, press]) expect((await h.postUpdate(update)).status).toBe(200);
    await h.api.waitForCall('answerCallbackQuery');
    await sleep(100);
    expect(h.core.events).toHaveLength(0);
    expect(h.api.callsOf('sendMessage')).toHaveLength(0);
  });

  it('passes attachments with their kind (the core decides what to copy)', async () => {
    h = await startHarness();
    await h.postUpdate(photoUpdate(alice, 'see this'));
    await h.postUpdate(messageUpdate(alice, { voice: { file_id: 'v', file_unique_id: 'v', duration: 2 } }));
    await eventually(() => h.core.events.length === 2);
    expect(h.core.events.map((e) => [e.attachment, e.text])).toEqual([
      ['photo', 'see this'],
      ['voice', ''],
    ]);
  });

  it('survives a core failure: logs and counts it, and answers a command with a one-line apology', async () => {
    h = await startHarness();
    h.core.respond = (event) => {
      if (event.text === 'boom') throw new Error('store went away');
      return { duplicate: false, answer: { text: 'fine' } };
    };
    await h.postUpdate(textUpdate(alice, '/mine boom'));
    await h.api.waitForCall('sendMessage');
    expect(h.api.callsOf('sendMessage')[0]?.params.text).toMatch(/went wrong/);
    await eventually(() => h.metrics.count('errors') === 1, 2_000, 'error counted');
    expect(h.logger.lines.some((l) => l.level === 'error' && l.fields.error === 'store went away')).toBe(true);
    await h.postUpdate(textUpdate(alice, '/mine'));
    await h.api.waitForCall('sendMessage', (p) => p.text === 'fine');
  });

  it('counts an answer that could not be delivered and carries on', async () => {
    h = await startHarness();
    h.core.respond = () => ({ duplicate: false, answer: { text: 'Hello! Just write your question.' } });
    h.api.failChat(alice.id);
    await h.postUpdate(textUpdate(alice, '/start'));
    await eventually(() => h.metrics.count('deliveries_failed') === 1);
    expect(h.metrics.counts.find((c) => c.name === 'deliveries_failed')?.labels).toEqual({ platform: 'telegram', failure: 'refused' });
  });

  it('answers 400 to a body that is not an update', async () => {
    h = await startHarness();
    const notJson = await fetch(`${h.baseUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'webhook-secret_0123456789' },
      body: '{not json',
    });
    const noId = await h.postUpdate({ message: { text: 'x' } });
    expect([notJson.status, noId.status]).toEqual([400, 400]);
    expect(h.core.events).toHaveLength(0);
  });

  it('answers 413 to a body over 2 MB and keeps nothing', async () => {
    h = await startHarness();
    const big = await fetch(`${h.baseUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'webhook-secret_0123456789' },
      body: JSON.stringify({ update_id: 1, message: { text: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(big.status).toBe(413);
    expect(h.core.events).toHaveLength(0);
  });
});
