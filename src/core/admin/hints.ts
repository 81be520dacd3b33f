import { AVAILABILITIES, PLATFORMS, ROLES } from '../model/agent.js';
import { STRATEGIES } from '../model/inbox.js';
import { CONVERSATION_STATUSES } from '../model/conversation.js';

/** What to send instead, per field: the second half of every validation message. */
export const HINTS: Record<string, string> = {
  handle: 'send lower-case letters, digits, "_", "." or "-" (at most 64, no "@"; not ".", ".." or "admin-api"), e.g. "amanda"',
  name: 'send a non-empty text of at most 200 characters, e.g. "Amanda Lee"',
  role: `send one of ${ROLES.join(', ')}`,
  capacity: 'send a whole number from 1 to 1000 (default 10)',
  availability: `send one of ${AVAILABILITIES.join(', ')}`,
  homePlatform: `send one of ${PLATFORMS.join(', ')}`,
  telegramUserId: 'send the numeric Telegram user id, e.g. 123456789, or null to unlink',
  telegramUsername: 'send a Telegram username (letters, digits, "_"), with or without "@", or null to unlink',
  slackUserId: 'send a Slack user id such as "U0123ABCD", or null to unlink',
  status: 'send one of active, suspended, disabled (remove an agent with "/offboard @handle --remove" in chat)',
  platform: `send one of ${PLATFORMS.join(', ')}`,
  slackChannelId: 'send a Slack channel id such as "C0123ABCD" (Slack inboxes only), or null for direct messages',
  strategy: `send one of ${STRATEGIES.join(', ')}`,
  paused: 'send true or false',
  responseTimeoutSec: 'send a number of seconds from 0 to 31536000, fractions allowed (0 turns redirects off, default 600)',
  maxRedirects: 'send a whole number from 0 to 100 (default 3)',
  fallbackAgent: 'send the handle of an existing agent, or null for none',
  handles: 'send {"handles": ["amanda", "mathew"]}: a list of agent handles, each once',
  limit: 'send a whole number from 1 to 1000 (default 100)',
  after: 'send the "next" value of the previous page',
  conversationStatus: `send one of ${CONVERSATION_STATUSES.join(', ')}`,
  number: 'send a conversation number, e.g. 42',
};

export const INBOX_NAME_HINT = 'send lower-case letters, digits and "-" (at most 64), e.g. "support"';

export function hint(field: string, overrides: Record<string, string> = {}): string {
  return overrides[field] ?? HINTS[field] ?? 'see the admin API documentation';
}
