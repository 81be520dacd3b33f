import type { Platform } from './agent.js';

export const CONVERSATION_STATUSES = ['queued', 'unassigned', 'assigned', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const OPEN_STATUSES: readonly ConversationStatus[] = ['queued', 'unassigned', 'assigned'];

/** Where a customer is and how to write back to them. */
export interface Customer {
  platform: Platform;
  /** Platform user id of the customer. */
  id: string;
  name: string;
  /** Chat to write back to (Telegram private chat id, Slack channel or DM id). */
  chatId: string;
  /** Slack: the thread the customer's conversation lives in. */
  threadId?: string | undefined;
}

export interface Conversation {
  number: number;
  inbox: string;
  status: ConversationStatus;
  assignee: string | null;
  customer: Customer;
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date | undefined;
  /** Set while a customer message waits for an agent answer. */
  waitingSince?: Date | undefined;
  /** Agents not to route this conversation to again (slow or just unassigned). */
  excluded: string[];
  /** Timeout redirects done so far. */
  redirects: number;
  /** The customer has been told that someone will answer (reset when assigned). */
  queuedNoticeSent: boolean;
  lastMessageText?: string | undefined;
}

/** A message on a platform, to copy a non-text message (photo, document, …) to an agent later. */
export interface MessageOrigin {
  platform: Platform;
  chatId: string;
  messageId: string;
}

export interface Message {
  conversation: number;
  from: 'customer' | 'agent';
  handle?: string | undefined;
  text: string;
  at: Date;
  /** The platform original of a non-text message, so that notices can copy it where the platform allows. */
  original?: MessageOrigin | undefined;
  /**
   * The delivery that brought it: a message with the key of one already in the conversation is
   * not added again (an update handled a second time after a failure).
   */
  key?: string | undefined;
}

/** Conditions a conversation must meet for a conditional update to apply. */
export interface ConversationCondition {
  status?: readonly ConversationStatus[];
  /** Exact assignee expected (null = no assignee). */
  assignee?: string | null;
  /** Exact wait expected: the instant the customer started waiting, or null = not waiting. */
  waitingSince?: Date | null;
  /** Whether the customer has been told they wait. */
  queuedNoticeSent?: boolean;
}

export type ConversationUpdate = Partial<
  Pick<
    Conversation,
    | 'status'
    | 'assignee'
    | 'updatedAt'
    | 'closedAt'
    | 'waitingSince'
    | 'excluded'
    | 'redirects'
    | 'queuedNoticeSent'
    | 'lastMessageText'
  >
>;
