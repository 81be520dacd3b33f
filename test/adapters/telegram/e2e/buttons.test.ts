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
});
