import type { ChannelCapabilities } from '../../src/core/index.js';
import { MAX_CALLBACK_DATA_BYTES, MAX_MESSAGE_LENGTH } from './text.js';

/** What Telegram can do, as the core asks it. */
export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  // agents answer by replying to a relayed message in their private chat with the bot
  replies: 'reply-to',
  // customers write to the bot in private chats only
  channelInboxes: false,
  // copyMessage copies photos, documents, voice notes … with their caption
  copies: true,
  // inline keyboards, changed afterwards with editMessageText
  buttons: true,
  // no forms: a choice is a row of buttons, free text a reply
  modals: false,
  maxMessageLength: MAX_MESSAGE_LENGTH,
  maxButtonDataBytes: MAX_CALLBACK_DATA_BYTES,
  // /start CODE from the invite's deep link
  startCodes: true,
  commandNames: {},
  // Bot API limits: about 30 messages a second in all, one a second into one chat
  rate: { perSecond: 30, perChatPerSecond: 1 },
};
