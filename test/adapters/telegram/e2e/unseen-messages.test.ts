import { afterEach, describe, expect, it } from 'vitest';
import { numberIn, person, Switchboard } from './switchboard.js';

/** What an agent sees on assignment and hand-over, through telegraf and the fake Bot API. */
describe('Telegram end to end: notices carry what the agent has not seen', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  it('a customer writes 3 messages while queued: the agent who comes online gets all 3, in order', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann, { availability: 'offline' });
    await sb.say(alice, 'Hello?');
    await sb.received(alice, 'someone will answer');
    await sb.say(alice, 'My parcel 4711 has not arrived.');
    await sb.say(alice, 'Can you send a new one?');
    await sb.eventually(async () => (await sb.conversation(1)).messages?.length === 3);

    expect(await sb.command(ann, '/available')).toContain('1 waiting conversation(s) were assigned to you');
    const notice = await sb.received(ann, 'New conversation');
    expect(String(notice.params.text)).toMatch(/\nAlice: Hello\?\nAlice: My parcel 4711 has not arrived\.\nAlice: Can you send a new one\?\n/);

    // the notice is linked: a reply answers the customer
    await sb.reply(ann, 'A new one is on its way.', notice);
    await sb.received(alice, 'A new one is on its way.');
  });

  it('a 3,000-character first message arrives whole', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    const long = `${'Here is everything that went wrong with my order, step by step. '.repeat(47)}So: refund or replacement?`;
    expect(long.length).toBeGreaterThan(3000);
    await sb.say(alice, long);
    const notice = await sb.received(ann, 'New conversation');
    expect(String(notice.params.text)).toContain(`Alice: ${long}\n`);
    expect(sb.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === String(ann.id))).toHaveLength(1);
  });

  it('a message longer than Telegram takes goes as several messages, each marked, and a reply to any part answers', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    const long = Array.from({ length: 1600 }, (_, i) => `word${i}`).join(' ');
    await sb.say(alice, long);
    await sb.api.waitUntil(() => sb.delivered(ann).some((t) => t.includes('Reply to this message')), 5_000, 'the last part');
    const parts = sb.delivered(ann);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts.slice(1)) expect(p).toMatch(/^#1 \(continued\)\n/);
    expect(parts.join(' ').match(/\bword\d+\b/g)).toHaveLength(1600);
    const second = sb.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === String(ann.id))[1]!;
    await sb.reply(ann, 'Got all of it.', second);
    await sb.received(alice, 'Got all of it.');
  });

  it('after /transfer the new assignee sees the latest messages of both sides', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const ben = person('Ben');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.addAgent('ben', ben, { availability: 'offline' });
    await sb.say(alice, 'The kettle leaks.');
    const notice = await sb.received(ann, 'New conversation');
    const n = numberIn(String(notice.params.text));
    await sb.reply(ann, 'Sorry to hear! Since when?', notice);
    await sb.received(alice, 'Sorry to hear!');
    await sb.say(alice, 'Since yesterday.');
    await sb.received(ann, 'Since yesterday.');
    await sb.eventually(async () => (await sb.conversation(n)).messages?.length === 3);

    expect(await sb.command(ann, `/transfer #${n} @ben`)).toBe(`Transferred #${n} to @ben.`);
    const handOver = String((await sb.received(ben, 'transferred to you')).params.text);
    expect(handOver).toMatch(/\n\[\d\d:\d\d\] Alice: The kettle leaks\.\n\[\d\d:\d\d\] @ann: Sorry to hear! Since when\?\n\[\d\d:\d\d\] Alice: Since yesterday\.\n/);
  });
});

describe('Telegram end to end: a reply to a bot message whose link is not stored', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  /** Ann holds Alice's conversation; returns its number. */
  async function start(): Promise<{ ann: ReturnType<typeof person>; alice: ReturnType<typeof person>; n: number }> {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.say(alice, 'Where is my order?');
    const notice = await sb.received(ann, 'New conversation');
    return { ann, alice, n: numberIn(String(notice.params.text)) };
  }

  const replyTo = (who: ReturnType<typeof person>, text: string, quoted: Record<string, unknown>) =>
    sb.sayWith(who, { text, reply_to_message: { message_id: 987_654, date: 0, chat: { id: who.id, type: 'private' }, ...quoted } });
  const fromBot = () => ({ from: { id: sb.api.botId, is_bot: true, first_name: 'Switchboard', username: sb.api.botUsername } });

  it("the #N that opens the bot's message names the conversation: the customer gets the reply", async () => {
    const { ann, alice, n } = await start();
    await replyTo(ann, 'It left the warehouse today.', { ...fromBot(), text: `#${n} Alice: Where is my order?` });
    await sb.received(alice, 'It left the warehouse today.');
  });

  it("a customer's forwarded text that merely contains #N names nothing", async () => {
    const { ann, alice, n } = await start();
    // the agent forwarded the customer's words into the chat and replies to that
    await replyTo(ann, 'reply to the forward', { from: { id: ann.id, is_bot: false, first_name: 'Ann' }, forward_origin: { type: 'user' }, text: `#${n} Alice: Where is my order?` });
    await sb.received(ann, /reply to a message of that conversation/);
    // a copy the bot made keeps the customer's caption: a caption names nothing either
    await replyTo(ann, 'reply to the copy', { ...fromBot(), photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: `#${n} Alice: [photo]` });
    await sb.api.waitUntil(() => sb.delivered(ann).filter((t) => /reply to a message of that conversation/.test(t)).length === 2, 5_000, 'two hints');
    await sb.settle();
    expect(sb.delivered(alice)).toEqual([]);
  });
});
