import type { AgentView, ConversationView, HistoryView, InboxView } from '../api.js';
import type { Agent } from '../model/agent.js';
import type { Inbox } from '../model/inbox.js';
import type { Conversation, Message } from '../model/conversation.js';
import type { StoredHistoryEvent } from '../ports/store.js';

/** Store objects → what the admin API shows. Agents are named by handle everywhere. */

export function agentView(agent: Agent, inboxes: string[]): AgentView {
  return {
    handle: agent.handle,
    name: agent.name,
    role: agent.role,
    status: agent.status,
    availability: agent.availability,
    capacity: agent.capacity,
    homePlatform: agent.homePlatform,
    // stored as text (ids of every platform are), read back as the number Telegram uses
    telegramUserId: agent.telegramUserId ? Number(agent.telegramUserId) : null,
    telegramUsername: agent.telegramUsername ?? null,
    slackUserId: agent.slackUserId ?? null,
    openCount: agent.openCount,
    inboxes,
    createdAt: agent.createdAt.toISOString(),
  };
}

export function inboxView(inbox: Inbox, members: string[]): InboxView {
  return {
    name: inbox.name,
    platform: inbox.platform,
    slackChannelId: inbox.slackChannelId ?? null,
    strategy: inbox.strategy,
    paused: inbox.paused,
    responseTimeoutSec: inbox.responseTimeoutSec,
    maxRedirects: inbox.maxRedirects,
    fallbackAgent: inbox.fallbackAgent ?? null,
    members,
    createdAt: inbox.createdAt.toISOString(),
  };
}

export function historyView(event: StoredHistoryEvent): HistoryView {
  const view: HistoryView = {
    conversation: event.conversation,
    reason: event.reason,
    from: event.from,
    to: event.to,
    actor: event.actor,
    at: event.at.toISOString(),
  };
  if (event.note !== undefined) view.note = event.note;
  return view;
}

function messageView(m: Message): NonNullable<ConversationView['messages']>[number] {
  const view: NonNullable<ConversationView['messages']>[number] = { from: m.from, text: m.text, at: m.at.toISOString() };
  if (m.handle !== undefined) view.handle = m.handle;
  return view;
}

export function conversationView(
  c: Conversation,
  details?: { messages: Message[]; history: StoredHistoryEvent[] },
): ConversationView {
  const view: ConversationView = {
    number: c.number,
    inbox: c.inbox,
    status: c.status,
    assignee: c.assignee,
    customer: { platform: c.customer.platform, id: c.customer.id, name: c.customer.name },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
  if (details) {
    view.messages = details.messages.map(messageView);
    view.history = details.history.map(historyView);
  }
  return view;
}
