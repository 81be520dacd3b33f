import { describe, expect, it } from 'vitest';
import { makeCore } from '../support/core-harness.js';

describe('relay', () => {
  it('notifies the assignee with number, inbox, customer and the latest message', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'My order is late');
    const [notice] = h.telegram.to(await h.chatOf('amanda'));
    expect(notice!.text).toContain('New conversation #1 in support from Customer c1.');
    expect(notice!.text).toContain('Customer c1: My order is late');
    expect(notice!.text).toContain('Reply to this message to answer.');
    expect(notice!.conversation).toBe(1);
  });

  it('relays customer follow-ups to the assignee and agent replies to the customer', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello');
    await h.customerSays('c1', 'order 42');
    const chat = await h.chatOf('amanda');
    expect(h.telegram.texts(chat)[1]).toBe('#1 Customer c1: order 42');
    const answer = await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'It ships today');
    expect(answer).toBeUndefined();
    expect(h.telegram.texts('c1')).toEqual(['It ships today']);
    const messages = await h.store.listMessages(1);
    expect(messages.map((m) => [m.from, m.text])).toEqual([
      ['customer', 'hello'],
      ['customer', 'order 42'],
      ['agent', 'It ships today'],
    ]);
  });

  it('copies attachments and marks them with the conversation number', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hi');
    await h.customerSays('c1', 'receipt', { attachment: 'photo', messageId: '77' });
    const last = h.telegram.to(await h.chatOf('amanda')).at(-1)!;
    expect(last.copyOf).toEqual({ platform: 'telegram', chatId: 'c1', messageId: '77' });
    expect(last.text).toBe('#1 Customer c1: [photo] receipt');
  });

  it('refuses replies from someone who is not the assignee, and a reply without context', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('mathew', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'mathew']);
    await h.customerSays('c1', 'hi');
    const noticeId = await h.lastNoticeId('amanda', 1);
    // mathew replies to a message in his own chat that is linked to nothing
    expect(await h.reply('mathew', '999', 'hello')).toContain('To answer a customer, reply to a message of that conversation');
    await h.store.linkMessage({ platform: 'telegram', chatId: await h.chatOf('mathew'), messageId: '555', conversation: 1 });
    expect(await h.reply('mathew', '555', 'hello')).toBe(
      'Conversation #1 is assigned to @amanda; only its assignee or a supervisor can reply. /claim #1 if it waits.',
    );
    expect(h.telegram.texts('c1')).toEqual([]);
    expect(await h.reply('amanda', noticeId, 'hi there')).toBeUndefined();
    expect(h.telegram.texts('c1')).toEqual(['hi there']);
  });

  it('sends a direct message starting with #N to that conversation, with the same permission checks', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('mathew', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'mathew']);
    await h.customerSays('c1', 'hi');
    expect(await h.reply('amanda', undefined, '#1 Hello from the digest')).toBeUndefined();
    expect(h.telegram.texts('c1')).toEqual(['Hello from the digest']);
    expect(await h.reply('mathew', undefined, '#1 me too')).toBe(
      'Conversation #1 is assigned to @amanda; only its assignee or a supervisor can reply. /claim #1 if it waits.',
    );
    expect(await h.reply('amanda', undefined, '#7 anyone?')).toBe('There is no conversation #7. /mine lists yours.');
    expect(await h.reply('amanda', undefined, 'no number here')).toContain('or start your message with #N');
    expect(h.telegram.texts('c1')).toEqual(['Hello from the digest']);
  });

  it('tells the agent when the customer blocked the bot, and keeps the conversation', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hi');
    const { ChannelError } = await import('../../src/core/index.js');
    h.telegram.failing.set('c1', new ChannelError('refused', 'Forbidden: bot was blocked by the user'));
    const answer = await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'hello?');
    expect(answer).toBe('Could not deliver your reply to #1: the customer blocked the bot or the chat is gone. It was not sent.');
    expect(await h.statusOf(1)).toBe('assigned');
    expect((await h.store.listMessages(1)).map((m) => m.from)).toEqual(['customer']);
  });

  it('serves a Telegram customer by a Slack agent', async () => {
    const h = makeCore();
    await h.agent('sara', { telegramUserId: null, slackUserId: 'U123', homePlatform: 'slack' });
    await h.inbox('support', ['sara']);
    await h.customerSays('c1', 'hi from telegram');
    const [notice] = h.slack.to('U123');
    expect(notice!.text).toContain('Reply in this thread to answer.');
    await h.customerSays('c1', 'second');
    const follow = h.slack.sent.at(-1)!;
    expect(follow.to).toEqual({ platform: 'slack', chatId: 'DU123', threadId: expect.any(String) });
    // Sara replies in the thread
    const r = await h.core.handleInbound({
      platform: 'slack',
      deliveryId: 'slack:evt:1',
      kind: 'message',
      sender: { id: 'U123', name: 'Sara' },
      chat: { id: 'DU123', isDirect: true },
      messageId: '2.0',
      threadId: follow.to.threadId,
      text: 'hello from slack',
    });
    expect(r.answer).toBeUndefined();
    expect(h.telegram.texts('c1')).toEqual(['hello from slack']);
  });

  it('points a Slack agent who writes outside a thread to /sb-help, the help command on Slack', async () => {
    const h = makeCore();
    await h.agent('sara', { telegramUserId: null, slackUserId: 'U123', homePlatform: 'slack' });
    const dm = (deliveryId: string, kind: 'message' | 'button') =>
      h.core.handleInbound({
        platform: 'slack',
        deliveryId,
        kind,
        sender: { id: 'U123', name: 'Sara' },
        chat: { id: 'DU123', isDirect: true },
        messageId: '3.0',
        text: 'hello?',
        button: kind === 'button' ? { action: 'frobnicate', value: '1' } : undefined,
      });
    const answer = (await dm('slack:evt:2', 'message')).answer!.text;
    expect(answer).toBe("To answer a customer, reply in that conversation's thread, or start your message with #N. /mine lists your conversations, /sb-help the commands.");
    expect((await dm('slack:evt:3', 'button')).answer!.text).toBe('Unknown button; type /sb-help for the commands.');
  });

  it('acts once on a duplicate delivery', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    const event = {
      platform: 'telegram' as const,
      deliveryId: 'telegram:1',
      kind: 'message' as const,
      sender: { id: 'c1', name: 'Alice' },
      chat: { id: 'c1', isDirect: true },
      text: 'hi',
    };
    expect((await h.core.handleInbound(event)).duplicate).toBe(false);
    expect((await h.core.handleInbound(event)).duplicate).toBe(true);
    expect(await h.store.listMessages(1)).toHaveLength(1);
  });
});
