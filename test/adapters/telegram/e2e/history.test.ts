import { afterEach, describe, expect, it } from 'vitest';
import { numberIn, person, Switchboard } from './switchboard.js';

describe('Telegram end to end: /history', () => {
  let sb: Switchboard;
  afterEach(async () => sb?.close());

  it('answers the assignee, a member and a supervisor; refuses a customer in one line', async () => {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const ben = person('Ben');
    const sue = person('Sue');
    const alice = person('Alice');
    await sb.addAgent('ann', ann);
    await sb.addAgent('ben', ben, { availability: 'offline' });
    await sb.core.createAgent({ handle: 'sue', name: 'Sue', role: 'supervisor', telegramUserId: String(sue.id), availability: 'online' });
    await sb.say(alice, 'Can I pay by invoice?');
    const notice = await sb.received(ann, 'New conversation');
    const n = numberIn(String(notice.params.text));
    await sb.reply(ann, 'Yes, up to 500 EUR.', notice);
    await sb.received(alice, 'Yes, up to 500 EUR.');
    await sb.eventually(async () => (await sb.conversation(n)).messages?.length === 2);

    const expected = new RegExp(`^#${n} in telegram from Alice, assigned to @ann: 2 message\\(s\\), times UTC\\.\\n\\[\\d\\d:\\d\\d\\] Alice: Can I pay by invoice\\?\\n\\[\\d\\d:\\d\\d\\] @ann: Yes, up to 500 EUR\\.$`);
    expect(await sb.command(ann, '/history', notice)).toMatch(expected);
    expect(await sb.command(ben, `/history #${n}`)).toMatch(expected);
    expect(await sb.command(sue, `/history #${n}`)).toMatch(expected);
    const refused = await sb.command(alice, `/history #${n}`);
    expect(refused).toBe('Commands are for agents of this team. Just write your message and we will answer.');
  });
});
