import type { Platform } from './agent.js';

export const STRATEGIES = ['round-robin', 'least-busy'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const INBOX_NAME_PATTERN = /^[a-z0-9-]+$/;
export const DEFAULT_RESPONSE_TIMEOUT_SEC = 600;
export const DEFAULT_MAX_REDIRECTS = 3;

/**
 * Platforms whose inboxes may be bound to a channel (`slackChannelId`); on the others an inbox is
 * the bot's direct chats. Data of the inbox model (the admin API checks it even while the
 * platform's adapter is off); adapters say the same with their `channelInboxes` capability.
 */
export const CHANNEL_INBOXES: Readonly<Record<Platform, boolean>> = { telegram: false, slack: true };

/** An entry point where customers write. */
export interface Inbox {
  name: string;
  platform: Platform;
  /** Slack only: the channel customers write in; absent = direct messages to the app. */
  slackChannelId?: string | undefined;
  strategy: Strategy;
  paused: boolean;
  responseTimeoutSec: number;
  maxRedirects: number;
  fallbackAgent?: string | undefined;
  /** Rotation cursor: membership seq of the agent who got the last round-robin assignment. */
  cursor: number;
  createdAt: Date;
}

export type NewInbox = Omit<Inbox, 'cursor' | 'createdAt'>;
export type InboxPatch = Partial<Omit<Inbox, 'name' | 'platform' | 'cursor' | 'createdAt'>>;

/** Agent ↔ inbox. Members in seq order are the inbox's rotation. */
export interface Membership {
  inbox: string;
  handle: string;
  /** Increasing join order within the deployment; defines rotation order. */
  seq: number;
  joinedAt: Date;
}
