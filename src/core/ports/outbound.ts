import type { Platform } from '../model/agent.js';
import type { Button } from './inbound.js';
import type { ChannelCapabilities } from './capabilities.js';

export interface Address {
  platform: Platform;
  /** Telegram chat id; Slack channel or user id (a user id opens a DM). */
  chatId: string;
  /** Slack: post inside this thread. */
  threadId?: string | undefined;
}

export interface OutboundMessage {
  to: Address;
  text: string;
  buttons?: Button[] | undefined;
  /** Copy a customer's non-text message (photo, document, …) when the platform is the same. */
  copyOf?: { platform: Platform; chatId: string; messageId: string } | undefined;
  /**
   * Agent-side messages about a conversation: the adapter's sent message ids are linked to it so
   * that a reply (Telegram) or thread reply (Slack) finds the conversation.
   */
  conversation?: number | undefined;
  /** The agent this message is for (thread bookkeeping, logs). */
  handle?: string | undefined;
  /** An agent's reply to a customer: who is told when it cannot be delivered. */
  replyOf?: { conversation: number; handle: string } | undefined;
}

/** What a platform returned for a sent message. */
export interface SentRef {
  chatId: string;
  messageId: string;
}

export type ChannelFailure = 'refused' | 'unreachable' | 'rate-limited';

/** Thrown by adapters when a platform call fails; `refused` = the platform said no (blocked, not found). */
export class ChannelError extends Error {
  constructor(
    readonly failure: ChannelFailure,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** What an operator sees of a platform's connection: in /readyz, in a metric, in the log. */
export const CHANNEL_STATES = ['connected', 'connecting', 'failed', 'off'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

/**
 * How an adapter tells the app where its connection stands. Call it at start (`connecting`, then
 * `connected` or `failed`) and again whenever that changes at runtime: an adapter that learns from
 * any platform call that its token was revoked or refused reports `failed` with the reason (naming
 * the variable to fix), and `connected` again after a later call succeeds.
 */
export type ChannelStateReporter = (state: Exclude<ChannelState, 'off'>, detail?: string) => void;

export interface ChannelStatus {
  state: ChannelState;
  /** Why it failed, in words for an operator (never message content). */
  reason?: string | undefined;
}

/** One per platform; implemented in adapters/. */
export interface ChannelAdapter {
  readonly platform: Platform;
  /** What this platform can do (threads, copies, buttons, forms, limits, command names). */
  readonly capabilities: ChannelCapabilities;
  /** Send one message; returns the ids of what was sent (a copied attachment and its marker may be two). */
  send(message: OutboundMessage): Promise<SentRef[]>;
  /**
   * The text of a message this bot posted (e.g. the root of a thread an agent answers in), or null
   * when the bot did not post it or the platform will not say. Asked only when a reply is not
   * linked to a conversation (its link not stored yet); platforms whose deliveries carry the
   * replied-to message (InboundEvent.quoted) need not offer it.
   */
  postedText?(chatId: string, messageId: string): Promise<string | null>;
  /**
   * Connect to the platform. Resolves once connected, or once the first attempt failed for a
   * passing reason (it keeps trying in the background with bounded backoff, reporting its state);
   * rejects when the platform refused the credentials. The app does not wait for it before it listens.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Platforms with a home view per user (Slack's App Home): the work shown there changed for these
   * platform users (their conversations, availability, or, for supervisors, queues and load). Told
   * after a short debounce; the adapter asks SwitchboardApi.homeView for the new content.
   */
  homeChanged?(userIds: readonly string[]): void;
  /** How the connection stands now (an adapter that cannot tell leaves it out). */
  status?(): ChannelStatus;
}
