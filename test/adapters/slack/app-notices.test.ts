import { afterEach, describe, expect, it } from 'vitest';
import { SlackAppHarness, unwrap } from './app-harness.js';

const AMANDA = 'U0AMANDA01';
const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';

/** What a Slack agent sees on assignment, through Bolt, signed requests and the fake Web API. */
describe('Slack end to end: notices carry what the agent has not seen', () => {
  let h: SlackAppHarness;
  afterEach(async () => {
    await h?.close();
  });

  async function start(availability: 'online' | 'offline' = 'online'): Promise<SlackAppHarness> {
    return SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability, homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.setMembers('support', { handles: ['amanda'] }));
    });
  }

  it('a 3,000-character first message arrives whole, in the one notice', async () => {
    h = await start();
    const long = `${'My order arrived broken and the box was wet, twice in a row now. '.repeat(46)}Refund please?`;
    expect(long.length).toBeGreaterThan(3000);
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: long });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(String(notice!.params.text)).toContain(long);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.posts(AMANDA)).toHaveLength(1);
  });

  it('a customer writes 3 messages while queued: the agent who comes online gets all 3, in order', async () => {
    h = await start('offline');
    const first = await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Hello?' });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'My parcel 4711 has not arrived.', thread_ts: first });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Can you send a new one?', thread_ts: first });
    expect(unwrap(await h.core.getConversation(1)).messages).toHaveLength(3);
    expect((await h.command(AMANDA, '/available')).text).toContain('1 waiting conversation(s) were assigned to you');
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(String(notice!.params.text)).toMatch(/: Hello\?\n.*: My parcel 4711 has not arrived\.\n.*: Can you send a new one\?\n/);
  });

  it('a message longer than a Slack message should be goes as the notice and its continuation in the thread', async () => {
    h = await start();
    const long = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: long });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    const rest = await h.waitForPosts(AMANDA, 2, h.tsOf(notice));
    const texts = [notice!, ...rest].map((c) => String(c.params.text));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4000);
    for (const t of texts.slice(1)) expect(t).toMatch(/^#1 \(continued\)\n/);
    expect(texts.join(' ').match(/\bword\d+\b/g)).toHaveLength(1500);
    expect(h.posts(AMANDA).filter((c) => c.params.thread_ts === undefined)).toHaveLength(1);
  });

  it("a reply in the thread of a notice whose link is not stored yet reaches the customer: the root's #N names it", async () => {
    h = await start();
    // Slack takes the notice at once but answers slowly: the agent answers before its link is stored
    h.slack.delayOnce('chat.postMessage', 1500);
    const customerTs = '1767258000.000321';
    const customer = h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Is it in stock?', ts: customerTs }); // acknowledged once handled
    const [notice] = await h.waitForPosts(AMANDA, 1);
    const rootTs = String(notice!.response!.ts);
    await h.message({ user: AMANDA, channel: h.slack.dmChannelFor(AMANDA), channel_type: 'im', text: 'Yes, 12 left.', thread_ts: rootTs });
    const [reply] = await h.waitForPosts(SUPPORT, 1, customerTs);
    expect(reply?.params.text).toBe('Yes, 12 left.');
    await customer;
    expect(h.slack.callsTo('conversations.replies')[0]?.params).toMatchObject({ channel: h.slack.dmChannelFor(AMANDA), ts: rootTs });
  });

  it('a thread whose root someone else posted names nothing, whatever #N it contains', async () => {
    h = await start();
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Is it in stock?' });
    await h.waitForPosts(AMANDA, 1);
    const dm = h.slack.dmChannelFor(AMANDA);
    h.slack.putMessage(dm, '1700000000.000100', '#1 Ana: Is it in stock?', AMANDA);
    await h.message({ user: AMANDA, channel: dm, channel_type: 'im', text: 'Yes, 12 left.', thread_ts: '1700000000.000100' });
    const [hint] = await h.slack.waitForCalls('chat.postEphemeral');
    expect(String(hint?.params.text)).toContain("reply in that conversation's thread");
    expect(h.posts(SUPPORT)).toEqual([]);
  });

  it('two customer messages 5 ms apart reach the agent in order, in one thread', async () => {
    h = await start();
    // a slow notice: the second message arrives while the first is still being handled
    h.slack.delayOnce('chat.postMessage', 300);
    const first = h.message({ user: CUSTOMER, channel: SUPPORT, text: 'first: my order is late', ts: '1767258000.000501' });
    await new Promise((r) => setTimeout(r, 5));
    const second = h.message({ user: CUSTOMER, channel: SUPPORT, text: 'second: it is order 4711', ts: '1767258000.000502', thread_ts: '1767258000.000501' });
    await Promise.all([first, second]);
    const top = h.posts(AMANDA).filter((c) => c.params.thread_ts === undefined);
    expect(top).toHaveLength(1);
    expect(String(top[0]!.params.text)).toContain('first: my order is late');
    const [inThread] = await h.waitForPosts(AMANDA, 1, h.tsOf(top[0]));
    expect(String(inThread!.params.text)).toContain('second: it is order 4711');
    expect(h.posts(AMANDA).map((c) => String(c.params.text).includes('first:'))).toEqual([true, false]);
    expect(unwrap(await h.core.getConversation(1)).messages?.map((m) => m.text)).toEqual(['first: my order is late', 'second: it is order 4711']);
  });

  it('/history answers the assignee and a supervisor ephemerally, and refuses an agent of another inbox in one line', async () => {
    h = await SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createAgent({ handle: 'olga', name: 'Olga', availability: 'offline', homePlatform: 'slack', slackUserId: 'U0OLGA0001' }));
      unwrap(await core.createAgent({ handle: 'sam', name: 'Sam', role: 'supervisor', availability: 'offline', homePlatform: 'slack', slackUserId: 'U0SAM00001' }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.createInbox({ name: 'sales', platform: 'slack', slackChannelId: 'C0SALES001' }));
      unwrap(await core.setMembers('support', { handles: ['amanda'] }));
      unwrap(await core.setMembers('sales', { handles: ['olga'] }));
    });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Do you deliver on Saturdays?' });
    await h.waitForPosts(AMANDA, 1);
    const expected = /^#1 in support from .+, assigned to @amanda: 1 message\(s\), times UTC\.\n\[\d\d:\d\d\] .+: Do you deliver on Saturdays\?$/;
    expect((await h.command(AMANDA, '/history', '#1')).text).toMatch(expected);
    expect((await h.command('U0SAM00001', '/sb', 'history #1')).text).toMatch(expected);
    expect((await h.command('U0OLGA0001', '/history', '#1')).text).toBe(
      'Conversation #1 is in inbox support; only its assignee, a supervisor or a member of support can read it. /mine lists yours.',
    );
  });
});
