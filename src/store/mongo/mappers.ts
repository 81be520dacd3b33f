import type {
  Agent,
  Conversation,
  Inbox,
  Membership,
  Message,
  Offboarding,
  StoredHistoryEvent,
  ThreadRef,
} from '../../core/index.js';
import type {
  AgentDoc,
  ConversationDoc,
  HistoryDoc,
  InboxDoc,
  MembershipDoc,
  MessageDoc,
  OffboardingDoc,
  ThreadDoc,
} from './documents.js';

// Documents → core values. Fields are picked one by one, so `_id` and bookkeeping fields (`open`,
// `telegramUsernameLower`) never leave the store, and optional fields are absent when unset.

/** `{ [key]: value }` when the value is set, else `{}` (null and undefined both mean unset). */
function opt<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function toAgent(d: AgentDoc): Agent {
  return {
    handle: d.handle,
    name: d.name,
    role: d.role,
    status: d.status,
    availability: d.availability,
    capacity: d.capacity,
    openCount: d.openCount,
    homePlatform: d.homePlatform,
    ...opt('telegramUserId', d.telegramUserId),
    ...opt('telegramUsername', d.telegramUsername),
    ...opt('slackUserId', d.slackUserId),
    createdAt: d.createdAt,
  };
}

export function toInbox(d: InboxDoc): Inbox {
  return {
    name: d.name,
    platform: d.platform,
    ...opt('slackChannelId', d.slackChannelId),
    strategy: d.strategy,
    paused: d.paused,
    responseTimeoutSec: d.responseTimeoutSec,
    maxRedirects: d.maxRedirects,
    ...opt('fallbackAgent', d.fallbackAgent),
    cursor: d.cursor,
    createdAt: d.createdAt,
  };
}

export function toMembership(d: MembershipDoc): Membership {
  return { inbox: d.inbox, handle: d.handle, seq: d.seq, joinedAt: d.joinedAt };
}

export function toConversation(d: ConversationDoc): Conversation {
  const c = d.customer;
  return {
    number: d.number,
    inbox: d.inbox,
    status: d.status,
    assignee: d.assignee ?? null,
    customer: { platform: c.platform, id: c.id, name: c.name, chatId: c.chatId, ...opt('threadId', c.threadId) },
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...opt('closedAt', d.closedAt),
    ...opt('waitingSince', d.waitingSince),
    excluded: [...(d.excluded ?? [])],
    redirects: d.redirects,
    queuedNoticeSent: d.queuedNoticeSent,
    ...opt('lastMessageText', d.lastMessageText),
  };
}

export function toMessage(d: MessageDoc): Message {
  const original = d.original ? { platform: d.original.platform, chatId: d.original.chatId, messageId: d.original.messageId } : undefined;
  return { conversation: d.conversation, from: d.from, ...opt('handle', d.handle), text: d.text, at: d.at, ...opt('original', original), ...opt('key', d.key) };
}

export function toHistory(d: HistoryDoc): StoredHistoryEvent {
  return {
    conversation: d.conversation,
    reason: d.reason,
    from: d.from ?? null,
    to: d.to ?? null,
    actor: d.actor ?? null,
    ...opt('note', d.note),
    at: d.at,
    ...opt('offboarding', d.offboarding),
    seq: d.seq,
  };
}

export function toThread(d: ThreadDoc): ThreadRef {
  return { conversation: d.conversation, handle: d.handle, platform: d.platform, chatId: d.chatId, threadId: d.threadId };
}

export function toOffboarding(d: OffboardingDoc): Offboarding {
  return {
    id: d.id,
    code: d.code,
    agent: d.agent,
    supervisor: d.supervisor,
    mode: d.mode,
    ...opt('until', d.until),
    command: d.command,
    plan: (d.plan ?? []).map((m) => ({ conversation: m.conversation, inbox: m.inbox, to: m.to ?? null })),
    inboxes: [...(d.inboxes ?? [])],
    state: d.state,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    ...opt('confirmedAt', d.confirmedAt),
    ...opt('finishedAt', d.finishedAt),
    ...opt('reinstatedAt', d.reinstatedAt),
    ...opt('summary', d.summary),
  };
}
