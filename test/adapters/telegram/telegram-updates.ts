/** Plain Bot API update objects, shaped like what Telegram sends, for classifier and adapter tests. */

let nextUpdateId = 5_000;
let nextMessageId = 1_000;

export interface Person {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

export const alice: Person = { id: 7001, first_name: 'Alice', last_name: 'Liddell', username: 'alice_l' };

export function privateChat(person: Person) {
  return { id: person.id, type: 'private', first_name: person.first_name, username: person.username };
}

export function messageUpdate(person: Person, fields: Record<string, unknown>, updateId = ++nextUpdateId) {
  return {
    update_id: updateId,
    message: {
      message_id: ++nextMessageId,
      date: Math.floor(Date.now() / 1000),
      from: { ...person, is_bot: false, language_code: 'en' },
      chat: privateChat(person),
      ...fields,
    },
  };
}

export function textUpdate(person: Person, text: string, extra: Record<string, unknown> = {}) {
  const command = /^\/\S+/.exec(text);
  const entities = command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined;
  return messageUpdate(person, { text, ...(entities ? { entities } : {}), ...extra });
}

export function replyUpdate(person: Person, text: string, replyToMessageId: number) {
  return textUpdate(person, text, {
    reply_to_message: { message_id: replyToMessageId, date: 0, chat: privateChat(person), text: 'earlier' },
  });
}

export function photoUpdate(person: Person, caption?: string) {
  return messageUpdate(person, {
    photo: [
      { file_id: 'AgAD-small', file_unique_id: 's1', width: 90, height: 90, file_size: 1200 },
      { file_id: 'AgAD-large', file_unique_id: 's2', width: 1280, height: 1280, file_size: 120_000 },
    ],
    ...(caption ? { caption } : {}),
  });
}

export function callbackUpdate(person: Person, data: string, messageId = 77) {
  return {
    update_id: ++nextUpdateId,
    callback_query: {
      id: `cbq-${nextUpdateId}`,
      from: { ...person, is_bot: false },
      chat_instance: '-123456789',
      data,
      message: { message_id: messageId, date: 0, chat: privateChat(person), text: 'Conversation #4 is waiting' },
    },
  };
}
