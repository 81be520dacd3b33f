import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/index.js';
import { textUpdate } from '../telegram-updates.js';
import { must, person, Switchboard } from './switchboard.js';

const INVALID = 'This invite code is not valid, already used or expired; ask your admin for a new invite.';

describe('Telegram end to end: /start CODE links an agent', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  it('links the Telegram account with a valid code; the agent is then treated as an agent', async () => {
    sb = await Switchboard.start();
    must(await sb.core.createAgent({ handle: 'dan', name: 'Dan', availability: 'online' }));
    const invite = must(await sb.core.createInvite('dan'));
    expect(invite.link).toBe(`https://t.me/switchboard_test_bot?start=${invite.code}`);
    const dan = person('Dan', 'dan_tg');

    const answer = await sb.command(dan, `/start ${invite.code}`);
    expect(answer).toMatch(/^Welcome, Dan! This Telegram account is now linked to @dan\./);
    const agent = must(await sb.core.getAgent('dan'));
    expect(agent.telegramUserId).toBe(dan.id);
    expect(agent.telegramUsername).toBe('dan_tg');

    // A plain message from Dan is an agent's message now, not a new customer conversation.
    await sb.say(dan, 'hello team');
    await sb.received(dan, /reply to a message/i);
    expect(must(await sb.core.listConversations({})).items).toHaveLength(0);
  });

  it('refuses a code that was already used, and leaves the second person a customer', async () => {
    sb = await Switchboard.start();
    must(await sb.core.createAgent({ handle: 'dan', name: 'Dan' }));
    const { code } = must(await sb.core.createInvite('dan'));
    const dan = person('Dan');
    const eve = person('Eve');
    expect(await sb.command(dan, `/start ${code}`)).toMatch(/^Welcome/);
    expect(await sb.command(eve, `/start ${code}`)).toBe(INVALID);
    expect(must(await sb.core.getAgent('dan')).telegramUserId).toBe(dan.id);
  });

  it('refuses an expired code (older than 24 hours)', async () => {
    const clock = new ManualClock(new Date());
    sb = await Switchboard.start({ clock });
    must(await sb.core.createAgent({ handle: 'dan', name: 'Dan' }));
    const { code } = must(await sb.core.createInvite('dan'));
    clock.advance(24 * 60 * 60 * 1000 + 60_000);
    const dan = person('Dan');
    expect(await sb.command(dan, `/start ${code}`)).toBe(INVALID);
    expect(must(await sb.core.getAgent('dan')).telegramUserId).toBeNull();
  });

  it('refuses a made-up code, and greets a customer arriving through another deep link', async () => {
    sb = await Switchboard.start();
    expect(await sb.command(person('Mallory'), '/start NOTACODE4242')).toBe(INVALID);
    expect(await sb.command(person('Paula'), '/start promo-black-friday')).toBe(
      'Hi! Just write your message here and one of our team will answer you in this chat.',
    );
  });
});

describe('Telegram end to end: every update acts at most once', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  it('a customer message delivered twice opens one conversation and notifies once', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    const update = textUpdate(alice, 'only once please');
    await sb.post(update);
    await sb.post(update); // Telegram re-delivers after a slow or failed answer
    await sb.received(ann, 'only once please');
    await sb.settle(300);
    expect(sb.delivered(ann)).toHaveLength(1);
    const [conversation] = must(await sb.core.listConversations({})).items;
    expect(must(await sb.core.getConversation(conversation!.number)).messages).toHaveLength(1);
  });

  it('a command delivered twice acts and answers once', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.say(alice, 'hi');
    await sb.received(ann, 'New conversation');
    const close = textUpdate(ann, '/close');
    await Promise.all([sb.post(close), sb.post(close)]);
    await sb.received(ann, /^Closed #/);
    await sb.settle(300);
    const answers = sb.api.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === String(ann.id) && c.params.reply_parameters);
    expect(answers.map((c) => c.params.text)).toEqual([expect.stringMatching(/^Closed #/)]);
  });
});
