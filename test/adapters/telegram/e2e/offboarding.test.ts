import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbackUpdate, type Person } from '../telegram-updates.js';
import { person, Switchboard } from './switchboard.js';

/** Offboarding typed on Telegram: preview with an inline Confirm button, confirm, digest, reinstate. */
describe('Telegram end to end: /offboard and /reinstate', () => {
  let sb: Switchboard;
  let ann: Person;
  let ben: Person;
  let cid: Person;
  let sue: Person;
  const customers: Person[] = [];

  beforeEach(async () => {
    sb = await Switchboard.start();
    ann = person('Ann');
    ben = person('Ben');
    cid = person('Cid');
    sue = person('Sue');
    await sb.addAgent('ann', ann);
    await sb.addAgent('ben', ben, { availability: 'offline' });
    await sb.addAgent('cid', cid, { availability: 'offline' });
    await sb.core.createAgent({ handle: 'sue', name: 'Sue', role: 'supervisor', telegramUserId: String(sue.id), availability: 'online' });
    customers.length = 0;
    for (let i = 0; i < 6; i++) {
      const c = person(`Customer${i}`);
      customers.push(c);
      await sb.say(c, `question ${i}`);
      await sb.received(ann, `Customer${i}`);
    }
    await sb.command(ben, '/available');
    await sb.command(cid, '/available');
  });
  afterEach(async () => sb?.close());

  it('previews, confirms with the inline button, hands over with one digest each, and a second confirm does nothing', async () => {
    const preview = await sb.command(sue, '/offboard @ann --suspend --ratio @ben=2,@cid=1');
    expect(preview).toContain('Plan: 6 conversations: @ben 4, @cid 2, 0 unassigned');
    const code = /\/offboard confirm (\S+)/.exec(preview)![1]!;
    const answer = sb.api.calls.find((c) => c.method === 'sendMessage' && String(c.params.text).includes(`/offboard confirm ${code}`))!;
    const keyboard = JSON.stringify(answer.params.reply_markup);
    expect(keyboard).toContain(`offboard-confirm:${code}`);

    await sb.post(callbackUpdate(sue, `offboard-confirm:${code}`));
    const summary = await sb.received(sue, '6/6 reassigned, 0 left unassigned');
    expect(String(summary.params.text)).toContain('@ben 4, @cid 2');
    const digests = sb.api.calls.filter((c) => c.method === 'sendMessage' && String(c.params.text).includes('conversation(s) of @ann'));
    expect(digests.map((c) => String(c.params.chat_id)).sort()).toEqual([String(ben.id), String(cid.id)].sort());

    const again = await sb.command(sue, `/offboard confirm ${code}`);
    expect(again).toMatch(/already/i);
    const annHolds = await sb.core.listConversations({ assignee: 'ann', status: 'assigned' });
    expect(annHolds.ok && annHolds.value.items).toEqual([]);

    // the suspended agent's commands are refused; a customer's next message reaches the new assignee
    expect(await sb.command(ann, '/mine')).toBe('Your access is revoked (suspended); ask a supervisor.');
    await sb.say(customers[0]!, 'any news?');
    const holder = (await sb.conversation(1)).assignee;
    await sb.received(holder === 'ben' ? ben : cid, 'any news?');

    // reinstate: Ann comes back and gets her conversations back
    const back = await sb.command(sue, '/reinstate @ann');
    expect(back).toContain('@ann is active again');
    expect(back).toContain('6/6 conversation(s) came back');
    expect((await sb.conversation(1)).assignee).toBe('ann');
  });

  it('refuses agents, unknown agents and malformed plans in one line', async () => {
    expect(await sb.command(ben, '/offboard @ann')).toMatch(/supervisor/);
    expect(await sb.command(sue, '/offboard @nobody')).toMatch(/No agent @nobody/);
    const bad = await sb.command(sue, '/offboard @ann --ratio ben=two');
    expect(bad.split('\n')).toHaveLength(1);
    expect(bad).toContain('Type /offboard @agent');
    expect((await sb.conversation(1)).assignee).toBe('ann');
  });
});
