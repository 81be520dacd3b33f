import { describe, expect, it } from 'vitest';
import { markedConversation } from '../../../src/core/delivery/transcript.js';
import { makeCore, type CoreHarness } from '../../support/core-harness.js';

/** Three customers, so that conversation #3 exists; amanda holds them all. */
async function threeConversations(): Promise<CoreHarness> {
  const h = makeCore();
  await h.agent('amanda');
  await h.inbox('support', ['amanda']);
  for (const c of ['c1', 'c2', 'c3']) await h.customerSays(c, `hello from ${c}`);
  return h;
}

describe('reply context without a stored link', () => {
  it('a reply to an unlinked message of the bot opening with #3 reaches conversation 3', async () => {
    const h = await threeConversations();
    const answer = await h.reply('amanda', '999999', 'Your refund is approved.', { quoted: { text: '#3 Customer c3: hello from c3', fromBot: true } });
    expect(answer).toBeUndefined();
    expect(h.telegram.texts('c3')).toEqual(['Your refund is approved.']);
    expect(h.telegram.texts('c1')).toEqual([]);
  });

  it('a notice headline names its conversation too; the permission checks still apply', async () => {
    const h = await threeConversations();
    await h.agent('mathew', { availability: 'offline' });
    const quoted = { text: 'New conversation #2 in support from Customer c2.\nCustomer c2: hello from c2', fromBot: true };
    expect(await h.reply('mathew', '999999', 'me?', { quoted })).toBe(
      'Conversation #2 is assigned to @amanda; only its assignee or a supervisor can reply. /claim #2 if it waits.',
    );
    expect(await h.reply('amanda', '999999', 'Hi c2!', { quoted })).toBeUndefined();
    expect(h.telegram.texts('c2')).toEqual(['Hi c2!']);
  });

  it("a reply to a message the bot did not send names nothing, whatever #N it contains", async () => {
    const h = await threeConversations();
    const answer = await h.reply('amanda', '999999', 'approved', { quoted: { text: '#3 Customer c3: hello from c3', fromBot: false } });
    expect(answer).toContain('To answer a customer, reply to a message of that conversation');
    for (const c of ['c1', 'c2', 'c3']) expect(h.telegram.texts(c)).toEqual([]);
  });

  it("a #N later in the bot's text (a customer's own words, an answer to a command) names nothing", async () => {
    const h = await threeConversations();
    for (const text of ['Transferred #3 to @mathew.', '@sam handed you 2 conversation(s) of @alex, who is disabled:\n#3 support · c3', 'Customer says #3']) {
      const answer = await h.reply('amanda', '999999', 'approved', { quoted: { text, fromBot: true } });
      expect(answer, text).toContain('To answer a customer');
    }
    for (const c of ['c1', 'c2', 'c3']) expect(h.telegram.texts(c)).toEqual([]);
  });

  it('recognises the opening of every kind of message the bot sends about a conversation', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('geraldine', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'geraldine']);
    await h.customerSays('c1', `#7 is my order number ${'x'.repeat(5000)}`);
    await h.customerSays('c1', 'receipt #9', { attachment: 'photo', messageId: '55' });
    await h.command('amanda', '/transfer #1 @geraldine');
    await h.command('geraldine', '/unassign #1');
    await h.command('amanda', '/claim #1');
    const posts = [...h.telegram.to(await h.chatOf('amanda')), ...h.telegram.to(await h.chatOf('geraldine'))].filter((m) => m.conversation === 1);
    expect(posts.length).toBeGreaterThan(5);
    for (const m of posts) expect(markedConversation(m.text), m.text.slice(0, 60)).toBe(1);
  });
});
