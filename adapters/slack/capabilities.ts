import type { ChannelCapabilities } from '../../src/core/index.js';

/**
 * The longest text the core hands over for one message. Slack takes 40,000 characters of `text`
 * but recommends at most 4,000, and escaping (`&` → `&amp;`) can make a text up to five times
 * longer: 4,000 keeps every message whole, in at most 7 section blocks of 3,000.
 */
export const SLACK_MAX_MESSAGE_LENGTH = 4000;
/** Slack's limit for a button's value. */
export const SLACK_MAX_BUTTON_VALUE = 2000;

/** What Slack can do, as the core asks it. */
export const SLACK_CAPABILITIES: ChannelCapabilities = {
  // each conversation's notice starts a thread; the agent answers inside it
  replies: 'thread',
  // an inbox may be a channel; each customer's top-level message there starts their thread
  channelInboxes: true,
  // files are not re-uploaded (a channel file is linked instead)
  copies: false,
  buttons: true,
  // views.open with the trigger of a button or shortcut
  modals: true,
  maxMessageLength: SLACK_MAX_MESSAGE_LENGTH,
  maxButtonDataBytes: SLACK_MAX_BUTTON_VALUE,
  startCodes: false,
  // Slack's own /help and /away win over an app's: ours are /sb-help and /sb away
  commandNames: { help: '/sb-help', away: '/sb away' },
  // chat.postMessage: about one message a second into one channel; the tier of the other methods in all
  rate: { perSecond: 20, perChatPerSecond: 1 },
};
