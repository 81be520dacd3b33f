import { Schema, type Connection, type Model, type SchemaOptions } from 'mongoose';
import {
  AGENT_STATUSES,
  AVAILABILITIES,
  CONVERSATION_STATUSES,
  HISTORY_REASONS,
  OFFBOARDING_STATES,
  OFFBOARD_MODES,
  PLATFORMS,
  ROLES,
  STRATEGIES,
} from '../../core/index.js';
import type {
  AgentDoc,
  ConversationDoc,
  CounterDoc,
  DeliveryDoc,
  HistoryDoc,
  InboxDoc,
  InviteDoc,
  LinkDoc,
  MembershipDoc,
  MessageDoc,
  OffboardingDoc,
  ThreadDoc,
} from './documents.js';

/** Index names the code relies on (duplicate-key errors are told apart by them). */
export const INDEX = {
  agentHandle: 'agent_handle',
  agentTelegramUserId: 'agent_telegram_user_id',
  agentSlackUserId: 'agent_slack_user_id',
  agentTelegramUsername: 'agent_telegram_username',
  inboxName: 'inbox_name',
  openCustomer: 'conversation_open_customer',
  offboardingId: 'offboarding_id',
  offboardingCode: 'offboarding_code',
  membershipReadyRotation: 'membership_ready_rotation',
  membershipReadyLoad: 'membership_ready_load',
} as const;

export const DELIVERY_TTL_SECONDS = 24 * 3600;

// Strict: unknown fields in documents, updates and filters are errors, never silently stored or dropped.
const strict = { strict: 'throw', strictQuery: 'throw', versionKey: false, id: false } as const satisfies SchemaOptions;
const nested = { ...strict, _id: false } as const satisfies SchemaOptions;

const platform = { type: String, required: true, enum: PLATFORMS };
const text = { type: String, default: '' };
const nullableHandle = { type: String, default: null };

const agentSchema = new Schema<AgentDoc>(
  {
    handle: { type: String, required: true },
    name: text,
    role: { type: String, required: true, enum: ROLES },
    status: { type: String, required: true, enum: AGENT_STATUSES },
    availability: { type: String, required: true, enum: AVAILABILITIES },
    capacity: { type: Number, required: true },
    openCount: { type: Number, required: true },
    homePlatform: platform,
    telegramUserId: String,
    telegramUsername: String,
    /** Lower-cased copy of telegramUsername: usernames are looked up case-insensitively. */
    telegramUsernameLower: String,
    slackUserId: String,
    createdAt: { type: Date, required: true },
    rev: Number,
  },
  { ...strict, collection: 'agents' },
);
agentSchema.index({ handle: 1 }, { unique: true, name: INDEX.agentHandle });
agentSchema.index({ telegramUserId: 1 }, { unique: true, sparse: true, name: INDEX.agentTelegramUserId });
agentSchema.index({ slackUserId: 1 }, { unique: true, sparse: true, name: INDEX.agentSlackUserId });
agentSchema.index({ telegramUsernameLower: 1 }, { unique: true, sparse: true, name: INDEX.agentTelegramUsername });

const inboxSchema = new Schema<InboxDoc>(
  {
    name: { type: String, required: true },
    platform,
    slackChannelId: String,
    strategy: { type: String, required: true, enum: STRATEGIES },
    paused: { type: Boolean, required: true },
    responseTimeoutSec: { type: Number, required: true },
    maxRedirects: { type: Number, required: true },
    fallbackAgent: String,
    cursor: { type: Number, required: true },
    membersVersion: Number,
    createdAt: { type: Date, required: true },
  },
  { ...strict, collection: 'inboxes' },
);
inboxSchema.index({ name: 1 }, { unique: true, name: INDEX.inboxName });
inboxSchema.index({ platform: 1, slackChannelId: 1, createdAt: 1 });

const membershipSchema = new Schema<MembershipDoc>(
  {
    inbox: { type: String, required: true },
    handle: { type: String, required: true },
    seq: { type: Number, required: true },
    joinedAt: { type: Date, required: true },
    ready: Boolean,
    load: Number,
    agentRev: Number,
  },
  { ...strict, collection: 'memberships' },
);
membershipSchema.index({ inbox: 1, handle: 1 }, { unique: true });
membershipSchema.index({ inbox: 1, seq: 1 }, { unique: true });
membershipSchema.index({ handle: 1, seq: 1 });
// Routing's picks: round-robin walks the ready members in rotation order from the cursor,
// least-busy takes the lowest load, ties in rotation order; both read one index entry or two.
membershipSchema.index({ inbox: 1, ready: 1, seq: 1 }, { name: INDEX.membershipReadyRotation });
membershipSchema.index({ inbox: 1, ready: 1, load: 1, seq: 1 }, { name: INDEX.membershipReadyLoad });

const customerSchema = new Schema(
  { platform, id: { type: String, required: true }, name: text, chatId: { type: String, required: true }, threadId: String },
  nested,
);

const conversationSchema = new Schema<ConversationDoc>(
  {
    number: { type: Number, required: true },
    inbox: { type: String, required: true },
    status: { type: String, required: true, enum: CONVERSATION_STATUSES },
    /** status !== 'closed', kept in step by every write: partial indexes cannot use $ne. */
    open: { type: Boolean, required: true },
    assignee: nullableHandle,
    customer: { type: customerSchema, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    closedAt: Date,
    waitingSince: Date,
    excluded: { type: [String], default: [] },
    redirects: { type: Number, required: true },
    queuedNoticeSent: { type: Boolean, required: true },
    lastMessageText: String,
  },
  { ...strict, collection: 'conversations' },
);
conversationSchema.index({ number: 1 }, { unique: true });
conversationSchema.index(
  { inbox: 1, 'customer.platform': 1, 'customer.id': 1 },
  { unique: true, partialFilterExpression: { open: true }, name: INDEX.openCustomer },
);
conversationSchema.index({ inbox: 1, status: 1, number: 1 });
conversationSchema.index({ assignee: 1, status: 1, number: 1 });
conversationSchema.index({ status: 1, number: 1 });

const originSchema = new Schema({ platform, chatId: { type: String, required: true }, messageId: { type: String, required: true } }, nested);

const messageSchema = new Schema<MessageDoc>(
  {
    conversation: { type: Number, required: true },
    from: { type: String, required: true, enum: ['customer', 'agent'] },
    handle: String,
    text,
    at: { type: Date, required: true },
    original: { type: originSchema, default: undefined },
    key: String,
  },
  { ...strict, collection: 'messages' },
);
messageSchema.index({ conversation: 1, at: 1, _id: 1 });
// one message per delivery and conversation: an update handled again does not add it twice
messageSchema.index({ conversation: 1, key: 1 }, { unique: true, partialFilterExpression: { key: { $exists: true } } });

const historySchema = new Schema<HistoryDoc>(
  {
    seq: { type: Number, required: true },
    conversation: { type: Number, required: true },
    reason: { type: String, required: true, enum: HISTORY_REASONS },
    from: nullableHandle,
    to: nullableHandle,
    actor: nullableHandle,
    note: String,
    at: { type: Date, required: true },
    offboarding: String,
  },
  { ...strict, collection: 'history' },
);
historySchema.index({ seq: 1 }, { unique: true });
historySchema.index({ conversation: 1, seq: 1 });
historySchema.index({ from: 1, seq: 1 });
historySchema.index({ to: 1, seq: 1 });
historySchema.index({ actor: 1, seq: 1 });
historySchema.index({ offboarding: 1, seq: 1 });

const counterSchema = new Schema<CounterDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, {
  ...strict,
  collection: 'counters',
});

const deliverySchema = new Schema<DeliveryDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } }, {
  ...strict,
  collection: 'deliveries',
});
deliverySchema.index({ at: 1 }, { expireAfterSeconds: DELIVERY_TTL_SECONDS });

const linkSchema = new Schema<LinkDoc>(
  { platform, chatId: { type: String, required: true }, messageId: { type: String, required: true }, conversation: { type: Number, required: true } },
  { ...strict, collection: 'message_links' },
);
linkSchema.index({ platform: 1, chatId: 1, messageId: 1 }, { unique: true });

const threadSchema = new Schema<ThreadDoc>(
  {
    conversation: { type: Number, required: true },
    handle: { type: String, required: true },
    platform,
    chatId: { type: String, required: true },
    threadId: { type: String, required: true },
  },
  { ...strict, collection: 'threads' },
);
threadSchema.index({ conversation: 1, handle: 1, platform: 1 }, { unique: true });

const inviteSchema = new Schema<InviteDoc>(
  { code: { type: String, required: true }, handle: { type: String, required: true }, expiresAt: { type: Date, required: true }, usedAt: Date },
  { ...strict, collection: 'invites' },
);
inviteSchema.index({ code: 1 }, { unique: true });

const moveSchema = new Schema(
  { conversation: { type: Number, required: true }, inbox: { type: String, required: true }, to: nullableHandle },
  nested,
);

const offboardingSchema = new Schema<OffboardingDoc>(
  {
    id: { type: String, required: true },
    code: { type: String, required: true },
    agent: { type: String, required: true },
    supervisor: { type: String, required: true },
    mode: { type: String, required: true, enum: OFFBOARD_MODES },
    until: Date,
    command: text,
    plan: { type: [moveSchema], default: [] },
    inboxes: { type: [String], default: [] },
    state: { type: String, required: true, enum: OFFBOARDING_STATES },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    confirmedAt: Date,
    finishedAt: Date,
    reinstatedAt: Date,
    summary: String,
  },
  { ...strict, collection: 'offboardings' },
);
offboardingSchema.index({ id: 1 }, { unique: true, name: INDEX.offboardingId });
offboardingSchema.index({ code: 1 }, { unique: true, name: INDEX.offboardingCode });
offboardingSchema.index({ state: 1, createdAt: 1 });
offboardingSchema.index({ agent: 1, createdAt: 1 });

export interface Models {
  agents: Model<AgentDoc>;
  inboxes: Model<InboxDoc>;
  memberships: Model<MembershipDoc>;
  conversations: Model<ConversationDoc>;
  messages: Model<MessageDoc>;
  history: Model<HistoryDoc>;
  counters: Model<CounterDoc>;
  deliveries: Model<DeliveryDoc>;
  links: Model<LinkDoc>;
  threads: Model<ThreadDoc>;
  invites: Model<InviteDoc>;
  offboardings: Model<OffboardingDoc>;
}

/** Registers the models on this connection (never on the global mongoose instance). */
export function createModels(conn: Connection): Models {
  return {
    agents: conn.model<AgentDoc>('Agent', agentSchema),
    inboxes: conn.model<InboxDoc>('Inbox', inboxSchema),
    memberships: conn.model<MembershipDoc>('Membership', membershipSchema),
    conversations: conn.model<ConversationDoc>('Conversation', conversationSchema),
    messages: conn.model<MessageDoc>('Message', messageSchema),
    history: conn.model<HistoryDoc>('HistoryEvent', historySchema),
    counters: conn.model<CounterDoc>('Counter', counterSchema),
    deliveries: conn.model<DeliveryDoc>('Delivery', deliverySchema),
    links: conn.model<LinkDoc>('MessageLink', linkSchema),
    threads: conn.model<ThreadDoc>('Thread', threadSchema),
    invites: conn.model<InviteDoc>('Invite', inviteSchema),
    offboardings: conn.model<OffboardingDoc>('Offboarding', offboardingSchema),
  };
}

/** Creates every collection's indexes (existing ones are left as they are). */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all((Object.values(models) as Model<unknown>[]).map((model) => model.createIndexes()));
}
