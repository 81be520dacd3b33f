import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockActionPayload,
  messageEnvelope,
  newEventId,
  postEvent,
  postInteraction,
  postSigned,
  postSlashCommand,
  postUrlVerification,
} from '../../fakes/slack-requests.js';
import { eventually, startSlackHarness, type SlackHarness } from './harness.js';
import { SLACK_BODY_LIMIT_BYTES } from '../../../adapters/slack/index.js';

const AGENT = 'U0AGENT001';
const CUSTOMER = 'U0CUST0001';

describe('Slack adapter: requests at POST /slack/events', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness({ ackBudgetMs: 400 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses a request with a bad signature (401) and never calls the core', async () => {
    const res = await postSlashCommand(h.eventsUrl, { ...h.sign, signature: 'v0=deadbeef' }, { command: '/mine', user_id: AGENT, response_url: h.responses.url() });
    expect(res.status).toBe(401);
    const wrongSecret = await postEvent(h.eventsUrl, { secret: 'not-the-secret' }, messageEnvelope({ user: CUSTOMER, channel: 'C0SUPPORT1', text: 'hi' }));
    expect(wrongSecret.status).toBe(401);
    expect(h.core.events).toEqual([]);
  });

  it('refuses a correctly signed request older than five minutes (401)', async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postSlashCommand(h.eventsUrl, { ...h.sign, timestamp: stale }, { command: '/mine', user_id: AGENT, response_url: h.responses.url() });
    expect(res.status).toBe(401);
    expect(h.core.events).toEqual([]);
  });

  it('refuses a body over the limit with 413 before checking its signature, with or without Content-Length', async () => {
    const big = `payload=${'x'.repeat(SLACK_BODY_LIMIT_BYTES + 1)}`;
    const signed = await postSigned(h.eventsUrl, 'application/x-www-form-urlencoded', big, h.sign);
    expect(signed.status).toBe(413);
    // chunked (no Content-Length), unsigned: cut off once the limit is passed
    async function* chunks() {
      for (let i = 0; i < 64; i++) yield new TextEncoder().encode('y'.repeat(64 * 1024));
    }
    const res = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: ReadableStream.from(chunks()),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(h.core.events).toEqual([]);
  });

  it('answers the url_verification challenge', async () => {
    const res = await postUrlVerification(h.eventsUrl, h.sign, '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('leaves other routes to the app: express.json after the router still parses JSON', async () => {
    const res = await postSigned(h.eventsUrl.replace('/slack/events', '/api/echo'), 'application/json', '{"a":1}', h.sign);
    expect(res.json).toEqual({ a: 1 });
  });

  it('answers a slash command ephemerally in the acknowledgement', async () => {
    h.core.answer = (e) => ({ text: `You have 2 open conversations: #4, #9 (${e.command})` });
    const res = await postSlashCommand(h.eventsUrl, h.sign, { command: '/mine', user_id: AGENT, user_name: 'amanda', response_url: h.responses.url(), trigger_id: '777.888.abc' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_type: 'ephemeral', text: 'You have 2 open conversations: #4, #9 (mine)' });
    expect(h.core.events).toEqual([
      expect.objectContaining({ kind: 'command', command: 'mine', deliveryId: 'slack:cmd:777.888.abc', sender: { id: AGENT, name: 'amanda' }, text: '' }),
    ]);
  });

  it('renders answer buttons (offboard preview) as Block Kit buttons in the ephemeral answer', async () => {
    h.core.answer = () => ({
      text: '4 conversations: @amanda 4. Type /offboard confirm K7Q2',
      buttons: [{ label: 'Confirm', action: 'offboard-confirm', value: 'K7Q2', style: 'danger' }],
    });
    const res = await postSlashCommand(h.eventsUrl, h.sign, { command: '/offboard', text: '@mathew --to @amanda', user_id: AGENT, response_url: h.responses.url() });
    const body = res.json as { response_type: string; blocks: { type: string; elements?: { action_id: string; value: string; style: string }[] }[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks.find((b) => b.type === 'actions')?.elements?.[0]).toMatchObject({ action_id: 'offboard-confirm', value: 'K7Q2', style: 'danger' });
    expect(h.core.events[0]).toMatchObject({ command: 'offboard', text: '@mathew --to @amanda' });
  });

  it('acknowledges at once when the core is slow and answers through response_url', async () => {
    h.core.delayMs = 1200;
    h.core.answer = () => ({ text: 'Conversation #4 transferred to @mathew.' });
    const responseUrl = h.responses.url();
    const started = Date.now();
    const res = await postSlashCommand(h.eventsUrl, h.sign, { command: '/transfer', text: '#4 @mathew', user_id: AGENT, response_url: responseUrl });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(Date.now() - started).toBeLessThan(1100);
    const [posted] = await h.responses.waitFor(responseUrl);
    expect(posted?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'Conversation #4 transferred to @mathew.' });
  });

  it('answers a failing core with a one-line apology instead of silence', async () => {
    h.core.failWith = new Error('store down');
    const res = await postSlashCommand(h.eventsUrl, h.sign, { command: '/queue', user_id: AGENT, response_url: h.responses.url() });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('try again') });
    expect(h.logs.some((l) => l.level === 'error' && l.fields.delivery !== undefined)).toBe(true);
    expect(h.counted).toContainEqual({ name: 'errors', labels: { source: 'slack' } });
  });

  it('hands a customer message to the core with the sender name from users.info', async () => {
    h.api.addUser({ id: CUSTOMER, name: 'ana.b', real_name: 'Ana Baptista', display_name: 'Ana' });
    const envelope = messageEnvelope({ user: CUSTOMER, channel: 'C0SUPPORT1', text: 'my order #55 is late', ts: '1767258000.000100' }, 'Ev0CUSTOMER1');
    const res = await postEvent(h.eventsUrl, h.sign, envelope);
    expect(res.status).toBe(200);
    await eventually(() => expect(h.core.events).toHaveLength(1));
    expect(h.core.events[0]).toEqual(
      expect.objectContaining({
        deliveryId: 'slack:evt:Ev0CUSTOMER1',
        kind: 'message',
        sender: { id: CUSTOMER, name: 'Ana' },
        chat: { id: 'C0SUPPORT1', isDirect: false },
        messageId: '1767258000.000100',
        text: 'my order #55 is late',
      }),
    );
  });

  it('hands a redelivered event (X-Slack-Retry-Num, same event_id) to the core under the same delivery id and acknowledges both with 200', async () => {
    const envelope = messageEnvelope({ user: AGENT, channel: 'D0AGENT001', channel_type: 'im', text: 'hello', thread_ts: '1767258000.000100' }, newEventId());
    const first = await postEvent(h.eventsUrl, h.sign, envelope);
    const retry = await postEvent(h.eventsUrl, { ...h.sign, retryNum: 1, retryReason: 'http_timeout' }, envelope);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await eventually(() => expect(h.core.events).toHaveLength(2));
    expect(h.core.events[1]!.deliveryId).toBe(h.core.events[0]!.deliveryId);
    expect(h.core.events[1]).toEqual(h.core.events[0]);
  });

  it("answers a refused thread reply with an ephemeral message in that thread", async () => {
    h.core.answer = () => ({ text: 'Conversation #4 is assigned to @mathew; only they can reply.' });
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ user: AGENT, channel: 'D0AGENT001', channel_type: 'im', text: 'I got this', thread_ts: '1767258000.000100' }));
    const [call] = await h.api.waitForCalls('chat.postEphemeral');
    expect(call?.params).toMatchObject({ channel: 'D0AGENT001', user: AGENT, thread_ts: '1767258000.000100', text: 'Conversation #4 is assigned to @mathew; only they can reply.' });
  });

  it('logs and counts an answer Slack refuses, and keeps serving', async () => {
    h.core.answer = () => ({ text: 'Conversation #4 is closed.' });
    h.api.failChannel('D0AGENT001', 'channel_not_found');
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ user: AGENT, channel: 'D0AGENT001', channel_type: 'im', text: 'hello', thread_ts: '1767258000.000100' }));
    await eventually(() => expect(h.logs.some((l) => l.message === 'slack answer not delivered' && l.fields.failure === 'refused')).toBe(true));
    expect(h.counted).toContainEqual({ name: 'deliveries_failed', labels: { platform: 'slack', failure: 'refused' } });
    const res = await postSlashCommand(h.eventsUrl, h.sign, { command: '/mine', user_id: AGENT, response_url: h.responses.url() });
    expect(res.json).toMatchObject({ text: 'Conversation #4 is closed.' });
  });

  it('handles a slash command while auth.test fails instead of dropping it', async () => {
    h.api.failMethod('auth.test', 'invalid_auth');
    h.core.answer = () => ({ text: 'No open conversations.' });
    const res = await postSlashCommand(h.eventsUrl, h.sign, { command: '/mine', user_id: AGENT, response_url: h.responses.url() });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ text: 'No open conversations.' });
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ user: CUSTOMER, channel: 'C0SUPPORT1', text: 'first' }));
    await eventually(() => expect(h.core.events.map((e) => e.text)).toContain('first'));
  });

  it("ignores the app's own messages, other bots and edits without calling the core", async () => {
    await h.adapter.start();
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ user: h.api.botUserId, channel: 'D0AGENT001', text: 'Conversation #4 assigned to you' }));
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ subtype: 'bot_message', bot_id: 'B0OTHER001', channel: 'C0SUPPORT1', text: 'deploy done' }));
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ subtype: 'message_changed', channel: 'C0SUPPORT1' }));
    await postEvent(h.eventsUrl, h.sign, messageEnvelope({ user: CUSTOMER, channel: 'C0SUPPORT1', text: 'real one' }));
    await eventually(() => expect(h.core.events).toHaveLength(1));
    expect(h.core.events[0]?.text).toBe('real one');
  });

  it('turns a button press into a button event and answers it ephemerally via response_url', async () => {
    h.core.answer = (e) => ({ text: `You took conversation #${e.button?.value}.` });
    const responseUrl = h.responses.url();
    const payload = blockActionPayload({ user_id: AGENT, user_name: 'amanda', channel_id: 'D0AGENT001', message_ts: '1767258000.000100', action_id: 'claim', value: '12', response_url: responseUrl, trigger_id: '555.666.btn' });
    const res = await postInteraction(h.eventsUrl, h.sign, payload);
    expect(res.status).toBe(200);
    const [posted] = await h.responses.waitFor(responseUrl);
    expect(posted?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'You took conversation #12.' });
    expect(h.core.events[0]).toMatchObject({ kind: 'button', deliveryId: 'slack:btn:555.666.btn', button: { action: 'claim', value: '12' }, sender: { id: AGENT } });
  });
});
