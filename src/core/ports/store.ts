import type { Agent, AgentPatch, AgentStatus, Platform } from '../model/agent.js';
import type { Inbox, InboxPatch, Membership, NewInbox } from '../model/inbox.js';
import type {
  Conversation,
  ConversationCondition,
  ConversationStatus,
  ConversationUpdate,
  Customer,
  Message,
} from '../model/conversation.js';
import type { HistoryEvent } from '../model/history.js';
import type { Offboarding, OffboardingState } from '../model/offboarding.js';
import type { DurableStore } from './durable.js';

/** A page of a list; `next` is the `after` value for the following page, or null at the end. */
export interface Page<T> {
  items: T[];
  next: string | null;
}
export interface PageRequest {
  limit: number;
  after?: string | undefined;
}

/** A routing pick: the member chosen and the agent after its slot was reserved. */
export interface Picked {
  membership: Membership;
  agent: Agent;
}

/** What an agent must be for a conditional update to apply. */
export interface AgentCondition {
  status?: readonly AgentStatus[];
}

export interface SlotOptions {
  /** Require availability=online (routing). */
  requireOnline: boolean;
  /** Allow going over capacity (explicit transfers and plans). status=active is always required. */
  ignoreCapacity: boolean;
}

/** A message the bot sent or received on a platform, tied to a conversation. */
export interface MessageLink {
  platform: Platform;
  chatId: string;
  messageId: string;
  conversation: number;
}

/** The thread a conversation has in an agent's chat (Slack: the notice message). */
export interface ThreadRef {
  conversation: number;
  handle: string;
  platform: Platform;
  chatId: string;
  threadId: string;
}

export interface Invite {
  code: string;
  handle: string;
  expiresAt: Date;
  usedAt?: Date | undefined;
}

export interface ConversationFilter {
  status?: ConversationStatus | undefined;
  assignee?: string | undefined;
  inbox?: string | undefined;
}

export interface HistoryFilter {
  /** Events where this handle is from, to or actor. */
  agent?: string | undefined;
  conversation?: number | undefined;
  offboarding?: string | undefined;
}

/** A history event as stored, with its place in the append-only log. */
export interface StoredHistoryEvent extends HistoryEvent {
  seq: number;
}

/**
 * Everything Switchboard persists. Every method that must not race is a single
 * conditional operation here: implementations apply it atomically (the memory
 * store synchronously, the MongoDB store as one conditional document update).
 * Expected failures are values (null / false), never exceptions; conflicts on
 * unique keys throw StoreConflict.
 */
export interface Store extends DurableStore {
  // agents
  createAgent(agent: Agent): Promise<Agent>; // StoreConflict when the handle exists or an identity is taken
  getAgent(handle: string): Promise<Agent | null>;
  getAgents(handles: readonly string[]): Promise<Agent[]>;
  findAgentByIdentity(platform: Platform, userId: string): Promise<Agent | null>;
  findAgentByTelegramUsername(username: string): Promise<Agent | null>;
  /**
   * Set fields; `undefined` values clear optional fields. Null when unknown, or when `condition` is
   * given and the agent does not meet it (checked and applied in one atomic operation).
   * StoreConflict on identity clash.
   */
  updateAgent(handle: string, patch: AgentPatch, condition?: AgentCondition): Promise<Agent | null>;
  listAgents(page: PageRequest): Promise<Page<Agent>>;
  /** Atomically openCount+1 if status=active (and online / below capacity per options). Null when refused. */
  reserveSlot(handle: string, options: SlotOptions): Promise<Agent | null>;
  /** Atomically openCount-1, never below 0. */
  releaseSlot(handle: string): Promise<void>;
  /** Set openCount to `value` only while it is still `expected` (load reconciliation). Null when it was not. */
  setOpenCount(handle: string, expected: number, value: number): Promise<Agent | null>;

  // inboxes
  createInbox(inbox: NewInbox & { createdAt: Date }): Promise<Inbox>; // StoreConflict on name
  getInbox(name: string): Promise<Inbox | null>;
  listInboxes(page: PageRequest): Promise<Page<Inbox>>;
  updateInbox(name: string, patch: InboxPatch): Promise<Inbox | null>;
  /**
   * Delete an inbox and its memberships, only while it has no open (queued, unassigned, assigned)
   * conversation. Closed conversations and history keep the inbox's name.
   */
  deleteInbox(name: string): Promise<'deleted' | 'not_found' | 'has_open'>;
  /**
   * Routing's pick as one atomic operation: choose the eligible member of the inbox (status active,
   * online, below capacity, not excluded) by the inbox's strategy — round-robin: the first after
   * the cursor in rotation order; least-busy: the fewest open conversations, ties by that order —
   * reserve its slot (openCount+1) and move the cursor to it. Null when nobody is eligible.
   * Concurrent picks never overshoot a capacity and each sees the cursor the previous one left.
   */
  pickAgent(inbox: string, excluded: readonly string[]): Promise<Picked | null>;
  /** Compare-and-set of the rotation cursor. False when it was not `expected`. */
  moveCursor(name: string, expected: number, next: number): Promise<boolean>;
  findInboxForPlatform(platform: Platform, slackChannelId?: string): Promise<Inbox | null>;

  // memberships (rotation order = seq order)
  /** Adds at the end of the rotation; returns the existing membership if already a member. */
  addMember(inbox: string, handle: string, at: Date): Promise<Membership>;
  removeMember(inbox: string, handle: string): Promise<boolean>;
  listMembers(inbox: string): Promise<Membership[]>;
  /** Members with seq > afterSeq in rotation order, at most `limit`. */
  membersAfter(inbox: string, afterSeq: number, limit: number): Promise<Membership[]>;
  countMembers(inbox: string): Promise<number>;
  /** How many times the inbox's member list was set as a whole (setMembers); 0 at first. */
  membersVersion(inbox: string): Promise<number>;
  /** Compare-and-set of the members version: false when it was not `expected` (another setMembers ran). */
  bumpMembersVersion(inbox: string, expected: number): Promise<boolean>;
  /**
   * Optional fast path for least-busy routing: the eligible member (status active, online, below
   * capacity, not excluded) with the fewest open conversations, ties going to the first after
   * `afterSeq` in rotation order (wrapping). Stores without it are served by a scan of the members.
   */
  leastBusyMember?(inbox: string, afterSeq: number, excluded: readonly string[]): Promise<Membership | null>;
  listMemberships(handle: string): Promise<Membership[]>;

  // conversations
  /**
   * The customer's open conversation in the inbox, or a new one (status 'queued', no assignee,
   * next number). At most one open conversation per inbox and customer, also under concurrency.
   */
  openConversation(inbox: string, customer: Customer, at: Date): Promise<{ conversation: Conversation; created: boolean }>;
  getConversation(number: number): Promise<Conversation | null>;
  /** Apply `update` only if the conversation meets `condition`; the updated conversation, or null. */
  updateConversation(number: number, condition: ConversationCondition, update: ConversationUpdate): Promise<Conversation | null>;
  listConversations(filter: ConversationFilter, page: PageRequest): Promise<Page<Conversation>>;
  /** Conversations of the inbox in these statuses, oldest (lowest number) first. */
  listWaiting(inbox: string, statuses: readonly ConversationStatus[], limit: number): Promise<Conversation[]>;
  /** Open conversations assigned to the agent, oldest first. */
  listAssigned(handle: string): Promise<Conversation[]>;

  // messages and history (append-only)
  addMessage(message: Message): Promise<void>;
  /** In the order they were added; with `last`, only the latest `last` of them (still oldest first). */
  listMessages(conversation: number, last?: number): Promise<Message[]>;
  countMessages(conversation: number): Promise<number>;
  addHistory(event: HistoryEvent): Promise<StoredHistoryEvent>;
  listHistory(filter: HistoryFilter, page: PageRequest): Promise<Page<StoredHistoryEvent>>;

  // platform bookkeeping
  /** Mark a delivery key handled (after its effects); true the first time, false when it was already. */
  recordDelivery(key: string, at: Date): Promise<boolean>;
  linkMessage(link: MessageLink): Promise<void>;
  findLinkedConversation(platform: Platform, chatId: string, messageId: string): Promise<number | null>;
  saveThread(thread: ThreadRef): Promise<void>;
  findThread(conversation: number, handle: string, platform: Platform): Promise<ThreadRef | null>;

  // invites
  createInvite(invite: Invite): Promise<void>;
  /** Marks the code used if it exists, is unused and not expired at `at`; returns the handle, else null. */
  consumeInvite(code: string, at: Date): Promise<string | null>;

  // offboardings
  createOffboarding(offboarding: Offboarding): Promise<void>;
  getOffboarding(id: string): Promise<Offboarding | null>;
  findOffboardingByCode(code: string): Promise<Offboarding | null>;
  /** Atomically change state if it is `from` (and, when given, the extra condition holds). */
  transitionOffboarding(
    id: string,
    from: OffboardingState,
    to: OffboardingState,
    fields?: Partial<Pick<Offboarding, 'confirmedAt' | 'finishedAt' | 'summary' | 'reinstatedAt'>>,
  ): Promise<Offboarding | null>;
  listOffboardings(filter: { state?: OffboardingState; agent?: string }): Promise<Offboarding[]>;

  // lifecycle
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class StoreConflict extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'StoreConflict';
  }
}
