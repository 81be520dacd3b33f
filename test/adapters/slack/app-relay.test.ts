import { afterEach, describe, expect, it } from 'vitest';
import { newEventId } from '../../fakes/slack-requests.js';
import { SlackAppHarness, TELEGRAM_WEBHOOK_SECRET, unwrap } from './app-harness.js';

const AMANDA = 'U0AMANDA01';
const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';

describe('Slack end to end through buildApp: customers and relay', () => {
  let h: SlackAppHarness;
  afterEach(async () => {
    await h?.close();
  });

  async function startWithAmanda(): Promise<SlackAppHarness> {
    return SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', role: 'agent', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.createInbox({ name: 'direct', platform: 'slack' }));
      unwrap(await core.setMembers('support', { handles: ['amanda'] }));
      unwrap(await core.setMembers('direct', { handles: ['amanda'] }));
    });
  }

  it('routes a customer in an inbox channel to a Slack agent and relays both ways in threads', async () => {
    h = await startWithAmanda();
    h.slack.addUser({ id: CUSTOMER, name: 'ana.b', real_name: 'Ana Baptista', display_name: 'Ana' });
    const customerTs = await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'My order #5512 has not arrived' });

    // Amanda gets one notice in her DM, opened with conversations.open.
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(h.slack.callsTo('conversations.open')[0]?.params.users).toBe(AMANDA);
    expect(notice?.params.text).toMatch(/#1\b/);
    expect(notice?.params.text).toContain('Ana');
    expect(notice?.params.text).toContain('My order #5512 has not arrived');
    expect(notice?.params.thread_ts).toBeUndefined();
    const noticeTs = h.tsOf(notice);

    // Amanda answers in the notice's thread: the customer gets it in their own thread in the channel.
    await h.message({ user: AMANDA, channel: h.slack.dmChannelFor(AMANDA), channel_type: 'im', text: 'Sorry Ana, checking with the courier now.', thread_ts: noticeTs });
    const [toCustomer] = await h.waitForPosts(SUPPORT, 1, customerTs);
    expect(toCustomer?.params.text).toBe('Sorry Ana, checking with the courier now.');

    // The customer follows up in their thread: it lands in Amanda's thread, not as a new notice.
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Thanks! It is order 5512.', thread_ts: customerTs });
    const inThread = await h.waitForPosts(AMANDA, 1, noticeTs);
    expect(inThread[0]?.params.text).toContain('Thanks! It is order 5512.');
    expect(h.posts(AMANDA).filter((c) => c.params.thread_ts === undefined)).toHaveLength(1);

    const conv = unwrap(await h.core.getConversation(1));
    expect(conv).toMatchObject({ status: 'assigned', assignee: 'amanda', inbox: 'support' });
    expect(conv.messages?.map((m) => m.from)).toEqual(['customer', 'agent', 'customer']);
  });

  it('serves a customer who writes to the app directly, answering in the same DM', async () => {
    h = await startWithAmanda();
    const customerDm = 'D0CUSTDM01';
    await h.message({ user: CUSTOMER, channel: customerDm, channel_type: 'im', text: 'Hello, can I change my address?' });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(unwrap(await h.core.getConversation(1)).inbox).toBe('direct');
    await h.message({ user: AMANDA, channel: h.slack.dmChannelFor(AMANDA), channel_type: 'im', text: 'Yes, send me the new one.', thread_ts: h.tsOf(notice) });
    const [reply] = await h.waitForPosts(customerDm, 1);
    expect(reply?.params).toMatchObject({ text: 'Yes, send me the new one.' });
    expect(reply?.params.thread_ts).toBeUndefined();
  });

  it('acts once on a redelivered customer message (same event_id, X-Slack-Retry-Num)', async () => {
    h = await startWithAmanda();
    const eventId = newEventId();
    const ts = '1767258000.000777';
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'hello?', ts }, { eventId });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'hello?', ts }, { eventId, retryNum: 1 });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'hello?', ts }, { eventId, retryNum: 2 });
    await h.waitForPosts(AMANDA, 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.posts(AMANDA)).toHaveLength(1);
    expect(unwrap(await h.core.getConversation(1)).messages).toHaveLength(1);
  });

  it('relays a redelivered agent reply to the customer once, and refuses a redelivered one once', async () => {
    h = await SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createAgent({ handle: 'mathew', name: 'Mathew', availability: 'away', homePlatform: 'slack', slackUserId: 'U0MATHEW01' }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.setMembers('support', { handles: ['amanda', 'mathew'] }));
    });
    const customerTs = await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'where is my parcel?' });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    const reply = { user: AMANDA, channel: h.slack.dmChannelFor(AMANDA), channel_type: 'im' as const, text: 'On its way, Ana.', thread_ts: h.tsOf(notice) };
    const replyId = newEventId();
    await h.message(reply, { eventId: replyId });
    await h.message(reply, { eventId: replyId, retryNum: 1 });
    await h.waitForPosts(SUPPORT, 1, customerTs);

    // Mathew writes to a conversation he does not hold: refused once, however often Slack retries.
    const refused = { user: 'U0MATHEW01', channel: h.slack.dmChannelFor('U0MATHEW01'), channel_type: 'im' as const, text: '#1 I can take this' };
    await h.message(refused, { eventId: 'Ev0MATHEW1' });
    await h.message(refused, { eventId: 'Ev0MATHEW1', retryNum: 1 });
    await h.slack.waitForCalls('chat.postEphemeral');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.posts(SUPPORT, customerTs).map((c) => c.params.text)).toEqual(['On its way, Ana.']);
    expect(unwrap(await h.core.getConversation(1)).messages?.map((m) => m.from)).toEqual(['customer', 'agent']);
    const ephemerals = h.slack.callsTo('chat.postEphemeral');
    expect(ephemerals).toHaveLength(1);
    expect(String(ephemerals[0]?.params.text)).toContain('@amanda');
    expect(h.posts(SUPPORT, customerTs).filter((c) => c.params.text === '#1 I can take this' || c.params.text === 'I can take this')).toEqual([]);
  });

  it('ignores team chatter by an agent in the inbox channel and the app\'s own posts', async () => {
    h = await startWithAmanda();
    await h.message({ user: AMANDA, channel: SUPPORT, text: 'lunch anyone?' });
    await h.message({ user: h.slack.botUserId, channel: SUPPORT, text: 'Thanks for your message!' });
    await new Promise((r) => setTimeout(r, 200));
    expect(unwrap(await h.core.listConversations({})).items).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(h.slack.callsTo('chat.postEphemeral')).toEqual([]);
  });

  it('refuses a thread reply by an agent who does not hold the conversation, ephemerally in that thread', async () => {
    h = await SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createAgent({ handle: 'mathew', name: 'Mathew', availability: 'online', homePlatform: 'slack', slackUserId: 'U0MATHEW01' }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.setMembers('support', { handles: ['amanda', 'mathew'] }));
    });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'help please' });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    unwrap(await h.core.getConversation(1));
    // Amanda hands it to Mathew; her old thread no longer makes her the assignee.
    const moved = await h.command(AMANDA, '/transfer', '#1 @mathew');
    expect(moved.text).toMatch(/#1/);
    await h.waitForPosts('U0MATHEW01', 1);
    await h.message({ user: AMANDA, channel: h.slack.dmChannelFor(AMANDA), channel_type: 'im', text: 'one more thing', thread_ts: h.tsOf(notice) });
    const [ephemeral] = await h.slack.waitForCalls('chat.postEphemeral');
    expect(ephemeral?.params).toMatchObject({ channel: h.slack.dmChannelFor(AMANDA), user: AMANDA, thread_ts: h.tsOf(notice) });
    expect(String(ephemeral?.params.text)).toContain('@mathew');
    expect(h.posts(SUPPORT).filter((c) => c.params.text === 'one more thing')).toEqual([]);
  });

  it('routes a Slack customer to a Telegram agent and relays the reply back into the Slack thread', async () => {
    h = await SlackAppHarness.start(
      async ({ core }) => {
        unwrap(await core.createAgent({ handle: 'tom', name: 'Tom', availability: 'online', homePlatform: 'telegram', telegramUserId: 7001 }));
        unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
        unwrap(await core.setMembers('support', { handles: ['tom'] }));
      },
      { telegram: true },
    );
    const tg = h.telegram!;
    const customerTs = await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Is the shop open on Sunday?' });
    const notice = await tg.waitForCall('sendMessage', (p) => String(p.chat_id) === '7001');
    expect(String(notice.params.text)).toContain('Is the shop open on Sunday?');
    const noticeId = (notice as { result?: { message_id?: number } }).result?.message_id;
    expect(noticeId).toBeTypeOf('number');

    const update = {
      update_id: 900001,
      message: {
        message_id: 5001,
        date: Math.floor(Date.now() / 1000),
        from: { id: 7001, is_bot: false, first_name: 'Tom' },
        chat: { id: 7001, type: 'private', first_name: 'Tom' },
        text: 'Yes, 10 to 4.',
        reply_to_message: { message_id: noticeId, date: 0, chat: { id: 7001, type: 'private' }, text: 'notice' },
      },
    };
    const res = await fetch(`${h.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TELEGRAM_WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    const [reply] = await h.waitForPosts(SUPPORT, 1, customerTs);
    expect(reply?.params.text).toBe('Yes, 10 to 4.');
    // the reply is stored right after Slack took it
    await expect.poll(async () => unwrap(await h.core.getConversation(1)).messages?.map((m) => m.from)).toEqual(['customer', 'agent']);
  });

  it('serves a Telegram customer by a Slack agent: notice and follow-ups in one DM thread, replies back on Telegram', async () => {
    h = await SlackAppHarness.start(
      async ({ core }) => {
        unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
      },
      { telegram: true },
    );
    // listen() created the "telegram" inbox for the bot's private chats
    unwrap(await h.core.setMembers('telegram', { handles: ['amanda'] }));
    const tg = h.telegram!;
    const postUpdate = async (messageId: number, text: string) => {
      const res = await fetch(`${h.base}/telegram/webhook`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TELEGRAM_WEBHOOK_SECRET },
        body: JSON.stringify({
          update_id: 910000 + messageId,
          message: { message_id: messageId, date: 0, from: { id: 8801, is_bot: false, first_name: 'Tina' }, chat: { id: 8801, type: 'private' }, text },
        }),
      });
      expect(res.status).toBe(200);
    };
    await postUpdate(1, 'Do you ship to Norway?');
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(notice?.params.text).toContain('New conversation #1 in telegram from Tina.');
    expect(notice?.params.text).toContain('Do you ship to Norway?');
    const noticeTs = h.tsOf(notice);

    await postUpdate(2, 'To Oslo, I mean');
    const [followUp] = await h.waitForPosts(AMANDA, 1, noticeTs);
    expect(followUp?.params.text).toContain('To Oslo, I mean');

    await h.message({ user: AMANDA, channel: h.slack.dmChannelFor(AMANDA), channel_type: 'im', text: 'Yes, in 3 days.', thread_ts: noticeTs });
    const sent = await tg.waitForCall('sendMessage', (p) => String(p.chat_id) === '8801' && p.text === 'Yes, in 3 days.');
    expect(sent.params.text).toBe('Yes, in 3 days.');
    expect(unwrap(await h.core.getConversation(1)).messages?.map((m) => m.from)).toEqual(['customer', 'customer', 'agent']);
  });
});
