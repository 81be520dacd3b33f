import type { AttachmentKind, InboundEvent } from '../../src/core/index.js';

/**
 * The few fields of a Bot API update that the classifier reads. Declared here (instead of using
 * telegraf's union types) so that the function takes plain objects and stays pure.
 */
interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
}
interface TgChat {
  id: number;
  type: string;
}
interface TgEntity {
  type: string;
  offset: number;
  length: number;
}
export interface TgMessage {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  text?: string;
  caption?: string;
  entities?: TgEntity[];
  reply_to_message?: {
    message_id: number;
    from?: TgUser;
    text?: string;
    forward_origin?: unknown;
    forward_from?: unknown;
    reply_markup?: { inline_keyboard?: { callback_data?: string }[][] };
  };
  [field: string]: unknown;
}
export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: {
    id: string;
    from: TgUser;
    data?: string;
    message?: { message_id: number; chat: TgChat; text?: string };
  };
  [field: string]: unknown;
}

/** Message fields that carry copyable content, checked in this order (an animation also has `document`). */
const ATTACHMENT_FIELDS: readonly [string, AttachmentKind][] = [
  ['animation', 'animation'],
  ['photo', 'photo'],
  ['sticker', 'sticker'],
  ['voice', 'voice'],
  ['audio', 'audio'],
  ['video', 'video'],
  ['document', 'document'],
  ['video_note', 'other'],
  ['location', 'other'],
  ['venue', 'other'],
  ['contact', 'other'],
  ['poll', 'other'],
  ['dice', 'other'],
];

const COMMAND = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/;

export function displayName(user: TgUser): string {
  const name = [user.first_name, user.last_name].filter((part) => part && part.trim()).join(' ').trim();
  return name || (user.username ? `@${user.username}` : String(user.id));
}

function sender(user: TgUser): InboundEvent['sender'] {
  return { id: String(user.id), username: user.username || undefined, name: displayName(user) };
}

function attachmentOf(message: TgMessage): AttachmentKind | undefined {
  for (const [field, kind] of ATTACHMENT_FIELDS) {
    if (message[field] !== undefined && message[field] !== null) return kind;
  }
  return undefined;
}

/**
 * `/name[@bot] args` → command name (lower case) and arguments. Null when the text is not a
 * command, or is a command addressed to another bot.
 */
export function parseCommand(text: string, botUsername?: string): { command: string; args: string } | null {
  const match = COMMAND.exec(text);
  if (!match) return null;
  const [whole, name, target] = match;
  if (target && botUsername && target.toLowerCase() !== botUsername.toLowerCase()) return null;
  return { command: name!.toLowerCase(), args: text.slice(whole.length).trim() };
}

/**
 * The replied-to message's text and whether this bot sent it: only a text message (never a
 * caption: a copy keeps the customer's own caption) from the bot itself, not forwarded.
 */
function quotedOf(reply: TgMessage['reply_to_message'], botUsername?: string): InboundEvent['quoted'] {
  if (!reply) return undefined;
  const text = typeof reply.text === 'string' ? reply.text : '';
  const from = reply.from;
  const own = !!from?.is_bot && (!botUsername || from.username?.toLowerCase() === botUsername.toLowerCase());
  return { text, fromBot: own && !reply.forward_origin && !reply.forward_from };
}

function classifyMessage(updateId: number, message: TgMessage, botUsername?: string): InboundEvent | null {
  if (message.chat?.type !== 'private') return null; // only private chats are an inbox
  const from = message.from;
  if (!from || from.is_bot) return null;
  const text = typeof message.text === 'string' ? message.text : typeof message.caption === 'string' ? message.caption : '';
  const attachment = typeof message.text === 'string' ? undefined : attachmentOf(message);
  if (!text && !attachment) return null; // service messages and content we cannot relay
  const base = {
    platform: 'telegram' as const,
    deliveryId: `telegram:${updateId}`,
    sender: sender(from),
    chat: { id: String(message.chat.id), isDirect: true },
    messageId: String(message.message_id),
    replyTo: message.reply_to_message ? String(message.reply_to_message.message_id) : undefined,
    quoted: quotedOf(message.reply_to_message, botUsername),
  };
  const command = typeof message.text === 'string' ? parseCommand(message.text, botUsername) : null;
  if (command) return { ...base, kind: 'command', command: command.command, text: command.args };
  // A text reply to the bot's message that has a button taking text (a transfer's note) presses it with the text.
  const withText = typeof message.text === 'string' ? textButtonOf(message.reply_to_message) : null;
  if (withText) return { ...base, kind: 'button', text, button: withText };
  return { ...base, kind: 'message', text, attachment };
}

/**
 * Callback data of a button that a text reply presses (Button.withText): `+action:value`. The mark
 * travels with the message itself, so no state is kept between the question and its answer.
 */
export const TEXT_BUTTON_MARK = '+';

function splitData(data: string): { action: string; value: string } {
  const cut = data.indexOf(':');
  return cut < 0 ? { action: data, value: '' } : { action: data.slice(0, cut), value: data.slice(cut + 1) };
}

function textButtonOf(replied: TgMessage['reply_to_message']): { action: string; value: string } | null {
  if (!replied?.from?.is_bot) return null;
  for (const row of replied.reply_markup?.inline_keyboard ?? []) {
    for (const button of row) {
      if (button.callback_data?.startsWith(TEXT_BUTTON_MARK)) return splitData(button.callback_data.slice(TEXT_BUTTON_MARK.length));
    }
  }
  return null;
}

function classifyCallback(updateId: number, query: NonNullable<TgUpdate['callback_query']>): InboundEvent | null {
  if (!query.from || query.from.is_bot || typeof query.data !== 'string' || !query.data) return null;
  const chat = query.message?.chat;
  if (chat && chat.type !== 'private') return null;
  const data = query.data.startsWith(TEXT_BUTTON_MARK) ? query.data.slice(TEXT_BUTTON_MARK.length) : query.data;
  const { action, value } = splitData(data);
  return {
    platform: 'telegram',
    deliveryId: `telegram:${updateId}`,
    kind: 'button',
    sender: sender(query.from),
    // A private chat's id is the user's id; inline-mode buttons carry no message.
    chat: { id: String(chat?.id ?? query.from.id), isDirect: true },
    messageId: query.message ? String(query.message.message_id) : undefined,
    text: '',
    button: { action, value },
  };
}

/**
 * Update → InboundEvent, or null for what Switchboard ignores: group and channel chats, edited
 * messages, bot senders, service messages, update types other than messages and button presses.
 * Whether a message is a customer message or an agent reply is the core's decision.
 */
export function classifyUpdate(update: TgUpdate, botUsername?: string): InboundEvent | null {
  if (!update || typeof update.update_id !== 'number') return null;
  if (update.message) return classifyMessage(update.update_id, update.message, botUsername);
  if (update.callback_query) return classifyCallback(update.update_id, update.callback_query);
  return null;
}
