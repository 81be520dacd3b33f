import type {
  Agent,
  Conversation,
  Customer,
  Inbox,
  Invite,
  Membership,
  Message,
  MessageLink,
  Offboarding,
  PlannedMove,
  StoredHistoryEvent,
  ThreadRef,
} from '../../core/index.js';

// The shapes stored in MongoDB: the core's types, plus the few fields that exist only for queries.
// Optional fields are absent when unset (never null), except the nullable handles (assignee,
// history from/to/actor, planned move `to`), which are null as in the core.

export type AgentDoc = Agent & {
  /** Lower-cased copy of telegramUsername for the case-insensitive unique index. */
  telegramUsernameLower?: string;
  /**
   * Bumped by every write that can change whether the agent may be routed to (status,
   * availability, capacity, openCount): the copies on its memberships take the newest only.
   * Missing on documents written before it existed (counts as 0).
   */
  rev?: number;
};
export type InboxDoc = Inbox & {
  /** Bumped by each setMembers (compare-and-set); missing means 0. */
  membersVersion?: number;
};
/**
 * A membership, with a copy of what routing needs from its agent so that a pick is one indexed
 * query on the inbox's memberships (no scan of members and agents). The agent document stays the
 * truth: a slot is only ever reserved there, conditionally.
 */
export type MembershipDoc = Membership & {
  /** The agent is active, online and below capacity. */
  ready?: boolean;
  /** The agent's openCount. */
  load?: number;
  /** The agent's `rev` these copies come from: an older copy never overwrites a newer one. */
  agentRev?: number;
};
export type CustomerDoc = Customer;
export type ConversationDoc = Conversation & {
  /** status != closed, for the partial unique index of one open conversation per customer. */
  open: boolean;
};
export type MessageDoc = Message;
export type HistoryDoc = StoredHistoryEvent;
export type LinkDoc = MessageLink;
export type ThreadDoc = ThreadRef;
export type InviteDoc = Invite;
export type MoveDoc = PlannedMove;
export type OffboardingDoc = Offboarding;

export interface CounterDoc {
  _id: string;
  seq: number;
}

export interface DeliveryDoc {
  _id: string;
  at: Date;
}
