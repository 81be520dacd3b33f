import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../../fakes/telegram-api.js';
import { privateChat, type Person } from '../telegram-updates.js';
import { must, person, Switchboard } from './switchboard.js';

type Keyboard = { text: string; callback_data: string }[][];

let nextUpdate = 950_000;
let nextMessage = 90_000;

/** The buttons of a message the bot sent or last edited, by label. */
function keys(sb: Switchboard, who: Person, call: RecordedCall): Keyboard {
  const id = (call.result as { message_id: number }).message_id;
  const now = sb.api.messages.get(`${who.id}:${id}`);
  return ((now?.reply_markup ?? call.params.reply_markup) as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? [];
}
const labels = (k: Keyboard) => k.flat().map((b) => b.text);

/** Press a button of a message the bot sent to `who`; resolves to the bot's one answer. */
async function press(sb: Switchboard, who: Person, call: RecordedCall, label: string | RegExp, keyboard = keys(sb, who, call)): Promise<RecordedCall> {
  const button = keyboard.flat().find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
  if (!button) throw new Error(`no button ${String(label)} in ${JSON.stringify(labels(keyboard))}`);
  const messageId = (call.result as { message_id: number }).message_id;
  const updateId = ++nextUpdate;
  const before = sb.api.calls.length;
  await sb.post({
    update_id: updateId,
    callback_query: {
      id: `cb-${updateId}`,
      from: { id: who.id, is_bot: false, first_name: who.first_name },
      chat_instance: '1',
      data: button.callback_data,
      message: { message_id: messageId, date: 0, chat: privateChat(who), text: sb.api.messages.get(`${who.id}:${messageId}`)?.text ?? String(call.params.text) },
    },
  });
  return sb.api.waitUntil(() =>
    sb.api.calls
      .slice(before)
      .find((c) => c.method === 'sendMessage' && String(c.params.chat_id) === String(who.id) && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId),
  );
}

/** What a message of the bot reads now (after edits). */
function textNow(sb: Switchboard, who: Person, call: RecordedCall): string {
  return sb.api.messages.get(`${who.id}:${(call.result as { message_id: number }).message_id}`)!.text;
}

describe('Telegram: buttons on conversation notices', () => {
  let sb: Switchboard;
  afterEach(async () => {
    await sb?.close();
  });

  async function team() {
    sb = await Switchboard.start();
    const ann = person('Ann');
    const bob = person('Bob');
    const sam = person('Sam');
    await sb.addAgent('ann', ann);
    await sb.addAgent('bob', bob, { availability: 'away' });
    await sb.addAgent('sam', sam, { role: 'supervisor', availability: 'offline' });
    const alice = person('Alice');
    await sb.say(alice, 'my parcel is late');
    const notice = await sb.received(ann, 'New conversation');
    return { ann, bob, sam, alice, notice };
  }

  it('a notice carries Transfer, Unassign, Close and History; Close closes once and the notice says so', async () => {
    const { ann, notice } = await team();
    expect(labels(keys(sb, ann, notice))).toEqual(['Transfer', 'Unassign', 'Close', 'History']);
    const answer = await press(sb, ann, notice, 'Close');
    expect(String(answer.params.text)).toMatch(/^Closed #1\./);
    expect((await sb.conversation(1)).status).toBe('closed');
    expect(textNow(sb, ann, notice)).toMatch(/\n\n» Closed by @ann$/);
    expect(labels(keys(sb, ann, notice))).toEqual(['History']);
    // the old keyboard, pressed again (a stale copy): refused in one line, and nothing changes
    const stale = await press(sb, ann, notice, 'Close', [[{ text: 'Close', callback_data: 'close:1' }]]);
    expect(String(stale.params.text)).toBe('Conversation #1 is already closed.');
    expect(textNow(sb, ann, notice)).toMatch(/\n\n» #1 is closed$/);
  });

  it('Unassign leaves a Claim button; Claim takes it back; History shows the messages', async () => {
    const { ann, notice } = await team();
    expect(String((await press(sb, ann, notice, 'Unassign')).params.text)).toMatch(/^Unassigned #1\./);
    expect(textNow(sb, ann, notice)).toMatch(/» Unassigned by @ann$/);
    expect(labels(keys(sb, ann, notice))).toEqual(['Claim', 'History']);
    expect(String((await press(sb, ann, notice, 'Claim')).params.text)).toBe('You claimed #1 (Alice).');
    expect((await sb.conversation(1)).assignee).toBe('ann');
    expect(textNow(sb, ann, notice)).toMatch(/» Claimed by @ann$/);
    const history = String((await press(sb, ann, notice, 'History')).params.text);
    expect(history.split('\n')).toEqual(['#1 telegram · Alice [assigned, @ann]:', 'Alice: my parcel is late']);
  });

  it('a stale notice of a conversation moved away refuses, and shows where the conversation is', async () => {
    const { ann, notice } = await team();
    must(await sb.core.updateAgent('bob', { availability: 'online' }));
    // a supervisor hands it to Bob meanwhile
    const sam = person('Sam2');
    await sb.addAgent('sue', sam, { role: 'supervisor' });
    await sb.command(sam, '/transfer #1 @bob');
    const answer = await press(sb, ann, notice, 'Close');
    expect(String(answer.params.text)).toBe('Conversation #1 is assigned to @bob; only its assignee or a supervisor can close it.');
    expect((await sb.conversation(1)).status).toBe('assigned');
    expect(textNow(sb, ann, notice)).toMatch(/» #1 is with @bob$/);
    expect(labels(keys(sb, ann, notice))).toEqual(['History']);
  });

  it('Transfer lists the eligible members as buttons, then takes a note given as a reply', async () => {
    const { ann, bob, alice, notice } = await team();
    const choose = await press(sb, ann, notice, 'Transfer');
    expect(String(choose.params.text)).toBe('Transfer #1 to whom?');
    // members but the holder, active, with room: Bob (away) and Sam (supervisor, offline)
    expect(labels(keys(sb, ann, choose))).toEqual(['@bob Bob · away · 0/10', '@sam Sam · offline · 0/10']);
    for (const k of keys(sb, ann, choose).flat()) expect(Buffer.byteLength(k.callback_data)).toBeLessThanOrEqual(64);
    const prompt = await press(sb, ann, choose, /^@bob/);
    expect(String(prompt.params.text)).toBe('Transfer #1 to @bob: reply to this message with a note for @bob, or press Transfer now.');
    expect(labels(keys(sb, ann, prompt))).toEqual(['Transfer now', 'Cancel']);
    // the note: a reply to the prompt (Telegram sends the replied-to message with its keyboard)
    const updateId = ++nextUpdate;
    const promptId = (prompt.result as { message_id: number }).message_id;
    await sb.post({
      update_id: updateId,
      message: {
        message_id: ++nextMessage,
        date: 0,
        from: { id: ann.id, is_bot: false, first_name: 'Ann' },
        chat: privateChat(ann),
        text: 'VIP, she called twice',
        reply_to_message: {
          message_id: promptId,
          date: 0,
          chat: privateChat(ann),
          from: { id: sb.api.botId, is_bot: true, first_name: 'Switchboard' },
          text: String(prompt.params.text),
          reply_markup: prompt.params.reply_markup,
        },
      },
    });
    const got = await sb.received(bob, 'transferred to you');
    expect(String(got.params.text)).toContain('Note: VIP, she called twice');
    await sb.received(ann, /^Transferred #1 to @bob\./);
    expect((await sb.conversation(1)).assignee).toBe('bob');
    expect(textNow(sb, ann, prompt)).toMatch(/» Transferred to @bob by @ann$/);
    // nothing reached the customer: the note was not a reply to them
    expect(sb.delivered(alice)).toEqual([]);
  });

  it('Transfer now hands over without a note; Cancel changes nothing', async () => {
    const { ann, bob, notice } = await team();
    const choose = await press(sb, ann, notice, 'Transfer');
    const prompt = await press(sb, ann, choose, /^@bob/);
    expect(String((await press(sb, ann, prompt, 'Cancel')).params.text)).toBe('Transfer of #1 cancelled; nothing changed.');
    expect((await sb.conversation(1)).assignee).toBe('ann');
    const again = await press(sb, ann, choose, /^@bob/);
    expect(String((await press(sb, ann, again, 'Transfer now')).params.text)).toMatch(/^Transferred #1 to @bob\./);
    const got = await sb.received(bob, 'transferred to you');
    expect(String(got.params.text)).not.toContain('Note:');
    expect(labels(keys(sb, bob, got))).toEqual(['Transfer', 'Unassign', 'Close', 'History']);
  });

  /** Ann, Bob, Carl (agents) and Sam (supervisor) in the inbox; only `online` is online when Alice writes. */
  async function staff(online: 'ann' | 'bob' | 'carl' | 'sam') {
    sb = await Switchboard.start();
    const people = { ann: person('Ann'), bob: person('Bob'), carl: person('Carl'), sam: person('Sam') };
    for (const [handle, who] of Object.entries(people)) {
      await sb.addAgent(handle, who, { availability: handle === online ? 'online' : 'away', ...(handle === 'sam' ? { role: 'supervisor' } : {}) });
    }
    await sb.say(person('Alice'), 'my parcel is late');
    const notice = await sb.received(people[online], 'New conversation');
    return { ...people, notice };
  }
  const stale = (action: string) => [[{ text: action, callback_data: `${action}:1` }]];

  it("a supervisor's buttons act on a conversation someone else holds: Transfer, Unassign, Claim, Close, History", async () => {
    const { sam, notice } = await staff('sam');
    expect(await sb.command(sam, '/transfer #1 @ann')).toMatch(/^Transferred #1 to @ann/);
    // Transfer while Ann holds it: the eligible members, then Bob, without a note
    const choose = await press(sb, sam, notice, 'Transfer');
    expect(labels(keys(sb, sam, choose))).toEqual(['@sam Sam · online · 0/10', '@bob Bob · away · 0/10', '@carl Carl · away · 0/10']);
    const prompt = await press(sb, sam, choose, /^@bob/);
    expect(String((await press(sb, sam, prompt, 'Transfer now')).params.text)).toMatch(/^Transferred #1 to @bob\./);
    expect((await sb.conversation(1)).assignee).toBe('bob');
    // Unassign while Bob holds it, from the notice as it still reads
    expect(String((await press(sb, sam, notice, 'Unassign')).params.text)).toMatch(/^Unassigned #1\./);
    expect((await sb.conversation(1)).status).toBe('unassigned');
    expect(textNow(sb, sam, notice)).toMatch(/» Unassigned by @sam$/);
    expect(labels(keys(sb, sam, notice))).toEqual(['Claim', 'Transfer', 'Close', 'History']);
    expect(String((await press(sb, sam, notice, 'Claim')).params.text)).toBe('You claimed #1 (Alice).');
    // Close while Ann holds it again
    expect(await sb.command(sam, '/transfer #1 @ann')).toMatch(/^Transferred #1 to @ann/);
    expect(String((await press(sb, sam, notice, 'Close')).params.text)).toMatch(/^Closed #1\./);
    expect((await sb.conversation(1)).status).toBe('closed');
    expect(textNow(sb, sam, notice)).toMatch(/» Closed by @sam$/);
    expect(String((await press(sb, sam, notice, 'History')).params.text).split('\n')[0]).toBe('#1 telegram · Alice [closed, @ann]:');
  });

  it("a plain member's buttons on a conversation now held by someone else are refused in one line, and the notice shows where it stands", async () => {
    const { bob, sam, notice } = await staff('bob');
    expect(await sb.command(sam, '/transfer #1 @ann')).toMatch(/^Transferred #1 to @ann/);
    expect(String((await press(sb, bob, notice, 'Transfer')).params.text)).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can transfer it.');
    expect(textNow(sb, bob, notice)).toMatch(/» #1 is with @ann$/);
    expect(labels(keys(sb, bob, notice))).toEqual(['History']);
    // the old buttons, pressed from a copy that was not updated yet
    expect(String((await press(sb, bob, notice, 'unassign', stale('unassign'))).params.text)).toBe(
      'Conversation #1 is assigned to @ann; only its assignee or a supervisor can unassign it.',
    );
    expect(String((await press(sb, bob, notice, 'close', stale('close'))).params.text)).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can close it.');
    expect(String((await press(sb, bob, notice, 'claim', stale('claim'))).params.text)).toBe('Conversation #1 is already assigned to @ann; /queue lists what waits.');
    expect(await sb.conversation(1)).toMatchObject({ status: 'assigned', assignee: 'ann' });
    // History stays open to the inbox's members
    expect(String((await press(sb, bob, notice, 'History')).params.text).split('\n')[0]).toBe('#1 telegram · Alice [assigned, @ann]:');
  });

  it('an agent who left the inbox is refused History and Claim in one line, and nothing changes', async () => {
    const { carl, sam, notice } = await staff('carl');
    expect(await sb.command(sam, '/transfer #1 @ann')).toMatch(/^Transferred #1 to @ann/);
    must(await sb.core.setMembers('telegram', { handles: ['ann', 'bob', 'sam'] }));
    expect(String((await press(sb, carl, notice, 'History')).params.text)).toBe('You are not a member of inbox telegram; ask a supervisor about #1.');
    expect(await sb.command(sam, '/unassign #1')).toMatch(/^Unassigned #1/);
    expect(String((await press(sb, carl, notice, 'claim', stale('claim'))).params.text)).toBe(
      'You are not a member of inbox telegram; ask a supervisor to add you or to /transfer #1.',
    );
    expect(await sb.conversation(1)).toMatchObject({ status: 'unassigned', assignee: null });
    // a button whose data names no conversation
    expect(String((await press(sb, carl, notice, 'close', [[{ text: 'close', callback_data: 'close:999' }]])).params.text)).toBe(
      'There is no conversation #999. /mine lists yours, /queue what waits.',
    );
  });

  it('stale Claim, Transfer and agent pick: the conversation changed after the notice; refused, and the message updated', async () => {
    const { ann, bob, notice } = await staff('ann');
    expect(String((await press(sb, ann, notice, 'Unassign')).params.text)).toMatch(/^Unassigned #1\./);
    expect(labels(keys(sb, ann, notice))).toEqual(['Claim', 'History']);
    expect(await sb.command(bob, '/claim #1')).toBe('You claimed #1 (Alice).');
    expect(String((await press(sb, ann, notice, 'Claim')).params.text)).toBe('Conversation #1 is already assigned to @bob; /queue lists what waits.');
    expect((await sb.conversation(1)).assignee).toBe('bob');
    expect(textNow(sb, ann, notice)).toMatch(/» #1 is with @bob$/);
    expect(labels(keys(sb, ann, notice))).toEqual(['History']);
    // Bob opens the list of agents, then closes #1 with the command: the list and the old Transfer refuse
    const bobNotice = await sb.received(bob, 'You claimed conversation #1');
    const choose = await press(sb, bob, bobNotice, 'Transfer');
    expect(await sb.command(bob, '/close #1')).toMatch(/^Closed #1/);
    expect(String((await press(sb, bob, choose, /^@ann/)).params.text)).toBe('Conversation #1 is closed; nothing to transfer.');
    expect(String((await press(sb, bob, bobNotice, 'transfer', stale('transfer'))).params.text)).toBe('Conversation #1 is closed; nothing to transfer.');
    expect(textNow(sb, bob, bobNotice)).toMatch(/» #1 is closed$/);
    expect(labels(keys(sb, bob, bobNotice))).toEqual(['History']);
    expect((await sb.conversation(1)).status).toBe('closed');
  });
});
