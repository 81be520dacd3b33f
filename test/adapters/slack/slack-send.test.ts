import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/core/index.js';
import { BOT_TOKEN, startSlackHarness, type SlackHarness } from './harness.js';

const AGENT = 'U0AGENT001';

describe('Slack adapter: send()', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness({ rateLimit: { maxWaitSec: 2, maxAttempts: 3 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('does not call Slack when built; start() asks auth.test who the bot is', async () => {
    expect(h.api.calls).toEqual([]);
    await h.adapter.start();
    expect(h.api.callsTo('auth.test')).toHaveLength(1);
    expect(h.api.callsTo('auth.test')[0]?.token).toBe(BOT_TOKEN);
  });

  it('stops the start when Slack refuses the token', async () => {
    h.api.failMethod('auth.test', 'invalid_auth');
    await expect(h.adapter.start()).rejects.toThrow(/SLACK_BOT_TOKEN/);
  });

  it('opens a DM for a user id once, posts there and returns the DM channel id', async () => {
    const first = await h.adapter.send({ to: { platform: 'slack', chatId: AGENT }, text: 'Conversation #4 (support): Ana wrote "my order is late". Reply in this thread.', conversation: 4 });
    const dm = h.api.dmChannelFor(AGENT);
    expect(h.api.callsTo('conversations.open')[0]?.params).toMatchObject({ users: AGENT });
    const [post] = h.api.callsTo('chat.postMessage');
    expect(post?.params).toMatchObject({ channel: dm, text: 'Conversation #4 (support): Ana wrote "my order is late". Reply in this thread.' });
    expect(post?.token).toBe(BOT_TOKEN);
    expect(first).toHaveLength(1);
    expect(first[0]?.chatId).toBe(dm);
    expect(first[0]?.messageId).toMatch(/^\d{10}\.\d{6}$/);

    await h.adapter.send({ to: { platform: 'slack', chatId: AGENT }, text: 'second' });
    expect(h.api.callsTo('conversations.open')).toHaveLength(1);
    expect(h.api.callsTo('chat.postMessage')[1]?.params.channel).toBe(dm);
  });

  it('posts into the given thread and renders buttons', async () => {
    const refs = await h.adapter.send({
      to: { platform: 'slack', chatId: 'C0SUPPORT1', threadId: '1767258000.000100' },
      text: 'Thanks, an agent will answer here.',
      buttons: [{ label: 'Claim', action: 'claim', value: '4', style: 'primary' }],
    });
    const [post] = h.api.callsTo('chat.postMessage');
    expect(post?.params).toMatchObject({ channel: 'C0SUPPORT1', thread_ts: '1767258000.000100' });
    expect(post?.params.blocks).toContainEqual({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'claim', value: '4', style: 'primary', text: { type: 'plain_text', text: 'Claim', emoji: true } }],
    });
    expect(refs[0]?.chatId).toBe('C0SUPPORT1');
    expect(h.api.callsTo('conversations.open')).toHaveLength(0);
  });

  it('links the original of a file a customer shared in a channel, and never posts an empty text', async () => {
    await h.adapter.send({
      to: { platform: 'slack', chatId: AGENT },
      text: '#4 Ana: [photo] the broken part',
      copyOf: { platform: 'slack', chatId: 'C0SUPPORT1', messageId: '1767258000.000100' },
    });
    expect(h.api.callsTo('chat.postMessage')[0]?.params.text).toBe('#4 Ana: [photo] the broken part\nhttps://example.slack.com/archives/C0SUPPORT1/p1767258000000100');
    await h.adapter.send({ to: { platform: 'slack', chatId: 'C0SUPPORT1' }, text: '', copyOf: { platform: 'slack', chatId: 'D0AGENT001', messageId: '1767258000.000200' } });
    expect(h.api.callsTo('chat.postMessage')[1]?.params.text).toBe('[file]');
    await h.adapter.send({ to: { platform: 'slack', chatId: AGENT }, text: '#5 Bo: [photo]', copyOf: { platform: 'telegram', chatId: '7001', messageId: '12' } });
    expect(h.api.callsTo('chat.postMessage')[2]?.params.text).toBe('#5 Bo: [photo]');
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived'])('throws ChannelError refused when Slack answers %s', async (code) => {
    h.api.failChannel('C0GONE0001', code);
    const sending = h.adapter.send({ to: { platform: 'slack', chatId: 'C0GONE0001' }, text: 'hello' });
    await expect(sending).rejects.toBeInstanceOf(ChannelError);
    await expect(sending).rejects.toMatchObject({ failure: 'refused', message: expect.stringContaining(code) });
  });

  it('throws refused when the DM cannot be opened (user_not_found)', async () => {
    h.api.failUser('U0LEFT0001', 'user_not_found');
    await expect(h.adapter.send({ to: { platform: 'slack', chatId: 'U0LEFT0001' }, text: 'hi' })).rejects.toMatchObject({ failure: 'refused' });
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('waits out a short rate limit (429, Retry-After: 1) and delivers', async () => {
    h.api.rateLimitOnce('chat.postMessage', 1);
    const started = Date.now();
    const refs = await h.adapter.send({ to: { platform: 'slack', chatId: 'C0SUPPORT1' }, text: 'hello' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(refs).toHaveLength(1);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('gives up at once as rate-limited when Slack asks for a long wait', async () => {
    h.api.rateLimitOnce('chat.postMessage', 60);
    const started = Date.now();
    await expect(h.adapter.send({ to: { platform: 'slack', chatId: 'C0SUPPORT1' }, text: 'hello' })).rejects.toMatchObject({
      failure: 'rate-limited',
      retryAfterSec: 60,
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not post a message twice when Slack posts it but answers after the request timeout', async () => {
    const slow = await startSlackHarness({ requestTimeoutMs: 200 });
    try {
      slow.api.delayOnce('chat.postMessage', 600);
      const sending = slow.adapter.send({ to: { platform: 'slack', chatId: 'C0SUPPORT1' }, text: 'We shipped it today.' });
      await expect(sending).rejects.toMatchObject({ failure: 'unreachable' });
      await new Promise((r) => setTimeout(r, 700));
      expect(slow.api.callsTo('chat.postMessage')).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('calls an unreachable Web API unreachable', async () => {
    await h.api.close();
    await expect(h.adapter.send({ to: { platform: 'slack', chatId: 'C0SUPPORT1' }, text: 'hello' })).rejects.toMatchObject({ failure: 'unreachable' });
  });
});
