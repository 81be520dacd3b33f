import { describe, expect, it } from 'vitest';
import { classifyUpdate, parseCommand, type TgUpdate } from '../../../adapters/telegram/classify-update.js';
import { alice, callbackUpdate, messageUpdate, photoUpdate, privateChat, replyUpdate, textUpdate } from './telegram-updates.js';

const BOT = 'switchboard_test_bot';
const classify = (update: object) => classifyUpdate(update as TgUpdate, BOT);

describe('classifyUpdate: messages', () => {
  it('turns a private text message into a message event with sender, chat and ids', () => {
    const update = textUpdate(alice, 'Hello, my order is late');
    expect(classify(update)).toEqual({
      platform: 'telegram',
      deliveryId: `telegram:${update.update_id}`,
      kind: 'message',
      sender: { id: '7001', username: 'alice_l', name: 'Alice Liddell' },
      chat: { id: '7001', isDirect: true },
      messageId: String(update.message.message_id),
      replyTo: undefined,
      text: 'Hello, my order is late',
      attachment: undefined,
    });
  });

  it('reports the replied-to message id so the core can find the conversation', () => {
    const event = classify(replyUpdate(alice, 'We shipped it today', 4242));
    expect(event).toMatchObject({ kind: 'message', replyTo: '4242', text: 'We shipped it today' });
  });

  it('names a sender without last name or first name sensibly', () => {
    const onlyUsername = messageUpdate({ id: 9, first_name: '', username: 'nobody' }, { text: 'hi' });
    expect(classify(onlyUsername)?.sender).toEqual({ id: '9', username: 'nobody', name: '@nobody' });
    const bare = messageUpdate({ id: 10, first_name: 'Bob' }, { text: 'hi' });
    expect(classify(bare)?.sender).toEqual({ id: '10', username: undefined, name: 'Bob' });
  });

  it('uses the caption as the text of a photo and marks it as an attachment', () => {
    expect(classify(photoUpdate(alice, 'the broken part'))).toMatchObject({ kind: 'message', text: 'the broken part', attachment: 'photo' });
    expect(classify(photoUpdate(alice))).toMatchObject({ kind: 'message', text: '', attachment: 'photo' });
  });

  it.each([
    ['document', { document: { file_id: 'd', file_unique_id: 'd1', file_name: 'invoice.pdf' } }, 'document'],
    ['voice', { voice: { file_id: 'v', file_unique_id: 'v1', duration: 3 } }, 'voice'],
    ['sticker', { sticker: { file_id: 's', file_unique_id: 's1', type: 'regular', width: 512, height: 512 } }, 'sticker'],
    ['video', { video: { file_id: 'v', file_unique_id: 'v2', width: 1, height: 1, duration: 1 } }, 'video'],
    ['audio', { audio: { file_id: 'a', file_unique_id: 'a1', duration: 100 } }, 'audio'],
    // Telegram sends an animation with a `document` field as well; it is still an animation.
    ['animation', { animation: { file_id: 'g', file_unique_id: 'g1' }, document: { file_id: 'g', file_unique_id: 'g1' } }, 'animation'],
    ['video note', { video_note: { file_id: 'n', file_unique_id: 'n1', length: 240, duration: 2 } }, 'other'],
    ['location', { location: { latitude: 52.5, longitude: 13.4 } }, 'other'],
    ['contact', { contact: { phone_number: '+100', first_name: 'C' } }, 'other'],
  ])('marks a %s as attachment %s', (_name, fields, kind) => {
    expect(classify(messageUpdate(alice, fields))).toMatchObject({ kind: 'message', attachment: kind, text: '' });
  });

  it('ignores service messages and content without text or attachment', () => {
    expect(classify(messageUpdate(alice, { pinned_message: { message_id: 1 } }))).toBeNull();
    expect(classify(messageUpdate(alice, {}))).toBeNull();
  });
});

describe('classifyUpdate: commands', () => {
  it('splits a command into a lower-case name and its arguments', () => {
    expect(classify(textUpdate(alice, '/Transfer #12 @bob please take over'))).toMatchObject({
      kind: 'command',
      command: 'transfer',
      text: '#12 @bob please take over',
    });
  });

  it('drops @botname addressed to this bot, in any case', () => {
    expect(classify(textUpdate(alice, '/close@Switchboard_Test_Bot #3'))).toMatchObject({ kind: 'command', command: 'close', text: '#3' });
    expect(classify(textUpdate(alice, '/mine@switchboard_test_bot'))).toMatchObject({ kind: 'command', command: 'mine', text: '' });
  });

  it('treats a command for another bot as a plain message', () => {
    expect(classify(textUpdate(alice, '/close@other_bot #3'))).toMatchObject({ kind: 'message', text: '/close@other_bot #3' });
  });

  it('gives /start CODE as command start with the code as text', () => {
    expect(classify(textUpdate(alice, '/start Ab3dE9xK'))).toMatchObject({ kind: 'command', command: 'start', text: 'Ab3dE9xK' });
  });

  it('keeps the replied-to message with a command (context for #N)', () => {
    expect(classify(replyUpdate(alice, '/unassign --reassign', 555))).toMatchObject({
      kind: 'command',
      command: 'unassign',
      text: '--reassign',
      replyTo: '555',
    });
  });

  it('keeps line breaks inside the arguments and trims the ends', () => {
    expect(classify(textUpdate(alice, '/transfer @bob\nnote on two\nlines  '))).toMatchObject({ text: '@bob\nnote on two\nlines' });
  });

  it('does not take a path or a slash in the middle of a word for a command', () => {
    expect(classify(textUpdate(alice, '/etc/hosts is broken'))).toMatchObject({ kind: 'message' });
    expect(classify(textUpdate(alice, 'see /help'))).toMatchObject({ kind: 'message' });
  });

  it('relays a caption that looks like a command as a message', () => {
    expect(classify(photoUpdate(alice, '/close'))).toMatchObject({ kind: 'message', attachment: 'photo', text: '/close' });
  });

  it('parseCommand accepts a command without any bot name', () => {
    expect(parseCommand('/queue support', undefined)).toEqual({ command: 'queue', args: 'support' });
    expect(parseCommand('hello', BOT)).toBeNull();
  });
});

describe('classifyUpdate: buttons', () => {
  it('turns a callback query into a button event with action and value', () => {
    const update = callbackUpdate(alice, 'claim:12', 88);
    expect(classify(update)).toEqual({
      platform: 'telegram',
      deliveryId: `telegram:${update.update_id}`,
      kind: 'button',
      sender: { id: '7001', username: 'alice_l', name: 'Alice Liddell' },
      chat: { id: '7001', isDirect: true },
      messageId: '88',
      text: '',
      button: { action: 'claim', value: '12' },
    });
  });

  it('keeps colons inside the value and accepts data without a value', () => {
    expect(classify(callbackUpdate(alice, 'offboard-confirm:K7:x'))?.button).toEqual({ action: 'offboard-confirm', value: 'K7:x' });
    expect(classify(callbackUpdate(alice, 'offboard-cancel'))?.button).toEqual({ action: 'offboard-cancel', value: '' });
  });

  it('ignores buttons in group chats', () => {
    const update = callbackUpdate(alice, 'claim:1');
    update.callback_query.message.chat = { id: -100200, type: 'supergroup' } as never;
    expect(classify(update)).toBeNull();
  });
});

describe('classifyUpdate: what is ignored', () => {
  it('ignores messages in groups, supergroups and channels', () => {
    for (const type of ['group', 'supergroup']) {
      const update = textUpdate(alice, 'hi all');
      update.message.chat = { id: -100123, type } as never;
      expect(classify(update)).toBeNull();
    }
    expect(classify({ update_id: 1, channel_post: { message_id: 1, chat: { id: -1001, type: 'channel' }, text: 'news' } })).toBeNull();
  });

  it('ignores a /command in a group as well', () => {
    const update = textUpdate(alice, '/close #3');
    update.message.chat = { id: -100123, type: 'group' } as never;
    expect(classify(update)).toBeNull();
  });

  it('ignores edited messages', () => {
    const { message, update_id } = textUpdate(alice, 'edited text');
    expect(classify({ update_id, edited_message: { ...message, edit_date: 1 } })).toBeNull();
  });

  it('ignores messages from bots', () => {
    const update = textUpdate(alice, 'beep');
    update.message.from.is_bot = true;
    expect(classify(update)).toBeNull();
    const press = callbackUpdate(alice, 'claim:1');
    (press.callback_query.from as { is_bot: boolean }).is_bot = true;
    expect(classify(press)).toBeNull();
  });

  it('ignores other update types and malformed input', () => {
    expect(classify({ update_id: 3, my_chat_member: { chat: privateChat(alice) } })).toBeNull();
    expect(classify({ update_id: 4, inline_query: { id: 'q', from: alice, query: 'x', offset: '' } })).toBeNull();
    expect(classify({})).toBeNull();
  });
});
