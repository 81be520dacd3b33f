import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../../../fakes/telegram-api.js';
import { numberIn, person, Switchboard } from './switchboard.js';

describe('Telegram end to end: routing and relay', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  it('three agents share 30 new customers 10/10/10', async () => {
    sb = await Switchboard.start();
    const agents = [person('Ann'), person('Ben'), person('Cid')];
    for (const [i, who] of agents.entries()) await sb.addAgent(['ann', 'ben', 'cid'][i]!, who);
    const customers = Array.from({ length: 30 }, (_, i) => person(`Customer${i}`));
    await Promise.all(customers.map((c, i) => sb.say(c, `Question number ${i}`)));
    await sb.api.waitUntil(() => sb.api.callsOf('sendMessage').filter((c) => String(c.params.text).startsWith('New conversation')).length === 30, 10_000, '30 notices');
    const perAgent = agents.map((a) => sb.delivered(a).filter((t) => t.startsWith('New conversation')).length);
    expect(perAgent).toEqual([10, 10, 10]);
    // Every customer got exactly one conversation and no "busy" notice.
    const numbers = agents.flatMap((a) => sb.delivered(a).map(numberIn));
    expect(new Set(numbers).size).toBe(30);
    expect(customers.every((c) => sb.delivered(c).length === 0)).toBe(true);
  });

  it('relays customer messages to the agent and reply-to answers back to the customer', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);

    await sb.say(alice, 'My parcel has not arrived');
    const notice = await sb.received(ann, 'New conversation');
    expect(notice.params.text).toContain('Alice: My parcel has not arrived');
    const n = numberIn(String(notice.params.text));

    await sb.reply(ann, 'Sorry! Let me check the tracking number.', notice);
    await sb.received(alice, 'Sorry! Let me check the tracking number.');
    expect(sb.delivered(alice)).toEqual(['Sorry! Let me check the tracking number.']);

    await sb.say(alice, 'It is AB123');
    const relayed = await sb.received(ann, 'It is AB123');
    expect(relayed.params.text).toBe(`#${n} Alice: It is AB123`);

    // Replying to the relayed message (not only the notice) also reaches the customer.
    await sb.reply(ann, 'Found it, arriving tomorrow.', relayed);
    await sb.received(alice, 'Found it, arriving tomorrow.');
    const conversation = await sb.eventually(async () => {
      const c = await sb.conversation(n);
      return c.messages?.length === 4 && c;
    });
    expect(conversation.messages?.map((m) => [m.from, m.text])).toEqual([
      ['customer', 'My parcel has not arrived'],
      ['agent', 'Sorry! Let me check the tracking number.'],
      ['customer', 'It is AB123'],
      ['agent', 'Found it, arriving tomorrow.'],
    ]);
  });

  it('copies photos both ways with the #N marker alongside', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.say(alice, 'hello');
    const notice = await sb.received(ann, 'New conversation');
    const n = numberIn(String(notice.params.text));

    const photo = await sb.sayWith(alice, { photo: [{ file_id: 'p1', file_unique_id: 'u1', width: 10, height: 10 }], caption: 'the damage' });
    const copy = await sb.api.waitForCall('copyMessage', (p) => String(p.chat_id) === String(ann.id));
    expect(copy.params).toMatchObject({ from_chat_id: String(alice.id), message_id: photo.message.message_id });
    const marker = await sb.received(ann, 'the damage');
    expect(marker.params.text).toBe(`#${n} Alice: [photo] the damage`);

    // The agent answers with a voice message, replying to the copied photo.
    const voice = await sb.sayWith(ann, {
      voice: { file_id: 'v1', file_unique_id: 'v1', duration: 2 },
      reply_to_message: { message_id: FakeTelegramApi.sentId(copy), date: 0, chat: { id: ann.id, type: 'private' } },
    });
    const back = await sb.api.waitForCall('copyMessage', (p) => String(p.chat_id) === String(alice.id));
    expect(back.params).toMatchObject({ from_chat_id: String(ann.id), message_id: voice.message.message_id });
  });

  it('an agent photo with a caption reaches the customer once: the copy keeps its caption', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.say(alice, 'what does it look like?');
    const notice = await sb.received(ann, 'New conversation');
    await sb.sayWith(ann, {
      photo: [{ file_id: 'p2', file_unique_id: 'u2', width: 10, height: 10 }],
      caption: 'like this',
      reply_to_message: { message_id: FakeTelegramApi.sentId(notice), date: 0, chat: { id: ann.id, type: 'private' } },
    });
    await sb.api.waitForCall('copyMessage', (p) => String(p.chat_id) === String(alice.id));
    await sb.settle();
    // Telegram's copyMessage keeps the caption; a second text with the caption would say it twice.
    expect(sb.delivered(alice)).toEqual([`[copy of ${ann.id}/${sb.api.callsOf('copyMessage')[0]!.params.message_id}]`]);
  });

  it('tells an agent how to answer when a message is not a reply', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.say(alice, 'hi');
    await sb.received(ann, 'New conversation');

    await sb.say(ann, 'hello?');
    const hint = await sb.received(ann, /reply to a message/i);
    expect(String(hint.params.text).split('\n')).toHaveLength(1);
    await sb.settle();
    expect(sb.delivered(alice)).toEqual([]);
  });

  it('refuses a reply from the previous assignee after a transfer', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const ben = person('Ben');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.addAgent('ben', ben);
    await sb.say(alice, 'hi');
    const notice = await sb.received(ann, 'New conversation');
    const n = numberIn(String(notice.params.text));
    expect(await sb.command(ann, `/transfer #${n} @ben`)).toBe(`Transferred #${n} to @ben.`);

    await sb.reply(ann, 'one more thing', notice);
    const refusal = await sb.received(ann, /only its assignee or a supervisor can reply/);
    expect(refusal.params.text).toContain(`#${n} is assigned to @ben`);
    await sb.settle();
    expect(sb.delivered(alice)).toEqual([]);
  });

  it('tells the agent when the customer blocked the bot, and keeps going', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    const bob = person('Bob');
    await sb.addAgent('ann', ann);
    await sb.say(alice, 'hi');
    const notice = await sb.received(ann, 'New conversation');
    sb.api.failChat(alice.id);

    await sb.reply(ann, 'Hello Alice', notice);
    const told = await sb.received(ann, /Could not deliver/);
    expect(told.params.text).toMatch(/blocked/);

    // The service carries on: the next customer is routed as usual.
    await sb.say(bob, 'hello from Bob');
    await sb.received(ann, 'Bob: hello from Bob');
  });
});
