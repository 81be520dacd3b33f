import type { ConversationView, HistoryView, ListQuery } from '../api.js';
import { CONVERSATION_STATUSES, type ConversationStatus } from '../model/conversation.js';
import { HANDLE_PATTERN } from '../model/agent.js';
import { err, ok, type Result } from '../errors.js';
import type { ConversationFilter, HistoryFilter, Page, StoredHistoryEvent, Store } from '../ports/store.js';
import type { AdminDeps } from './deps.js';
import { agentNotFound } from './agent-errors.js';
import { inboxNotFound } from './inboxes.js';
import { HINTS } from './hints.js';
import { parsePage } from './paging.js';
import { positiveInt, queryText } from './validate.js';
import { conversationView, historyView } from './views.js';

const HISTORY_PAGE = 1000;

function conversationNotFound(number: number | string, field = 'number'): Result<never> {
  return err('conversation_not_found', `No conversation #${number}: list conversations with GET /api/conversations.`, field);
}

function invalidNumber(field: string): Result<never> {
  return err('invalid_argument', `${field} is invalid: ${HINTS.number}.`, field);
}

const AGENT_FILTER_HINT = 'an agent handle such as nina or @nina';

/** An agent named in a filter (`nina` or `@nina`) must exist (a typo should not look like "no results"). */
export async function agentFilter(store: Pick<Store, 'getAgent'>, value: unknown, field: string): Promise<Result<string | undefined>> {
  const text = queryText(value, field, AGENT_FILTER_HINT);
  if (!text.ok || text.value === undefined) return text;
  const handle = text.value.replace(/^@/, ''); // `@nina` as typed in chat
  if (handle.length > 64 || !HANDLE_PATTERN.test(handle)) return err('invalid_argument', `${field} is invalid: ${AGENT_FILTER_HINT}.`, field);
  if (!(await store.getAgent(handle))) return agentNotFound(handle, field);
  return ok(handle);
}

export async function listConversations(
  deps: AdminDeps,
  query: ListQuery & { status?: unknown; assignee?: unknown; inbox?: unknown },
): Promise<Result<Page<ConversationView>>> {
  const page = parsePage(query, 'number');
  if (!page.ok) return page;
  const filter: ConversationFilter = {};
  const status = queryText(query.status, 'status', HINTS.conversationStatus!);
  if (!status.ok) return status;
  if (status.value !== undefined) {
    if (!(CONVERSATION_STATUSES as readonly string[]).includes(status.value)) {
      return err('invalid_argument', `status is invalid: ${HINTS.conversationStatus}.`, 'status');
    }
    filter.status = status.value as ConversationStatus;
  }
  const assignee = await agentFilter(deps.store, query.assignee, 'assignee');
  if (!assignee.ok) return assignee;
  filter.assignee = assignee.value;
  const inbox = queryText(query.inbox, 'inbox', 'an inbox name');
  if (!inbox.ok) return inbox;
  if (inbox.value !== undefined) {
    if (!(await deps.store.getInbox(inbox.value))) return inboxNotFound(inbox.value, 'inbox');
    filter.inbox = inbox.value;
  }
  const conversations = await deps.store.listConversations(filter, page.value);
  return ok({ items: conversations.items.map((c) => conversationView(c)), next: conversations.next });
}

export async function getConversation(deps: AdminDeps, number: string | number): Promise<Result<ConversationView>> {
  const n = positiveInt(String(number));
  if (n === null) return invalidNumber('number');
  const conversation = await deps.store.getConversation(n);
  if (!conversation) return conversationNotFound(n);
  const [messages, history] = await Promise.all([deps.store.listMessages(n), allHistory(deps.store, n)]);
  return ok(conversationView(conversation, { messages, history }));
}

async function allHistory(store: Store, conversation: number): Promise<StoredHistoryEvent[]> {
  const events: StoredHistoryEvent[] = [];
  let after: string | undefined;
  do {
    const page = await store.listHistory({ conversation }, { limit: HISTORY_PAGE, after });
    events.push(...page.items);
    after = page.next ?? undefined;
  } while (after !== undefined);
  return events;
}

export async function listHistory(
  deps: AdminDeps,
  query: ListQuery & { agent?: unknown; conversation?: unknown },
): Promise<Result<Page<HistoryView>>> {
  const page = parsePage(query, 'number');
  if (!page.ok) return page;
  const filter: HistoryFilter = {};
  const agent = await agentFilter(deps.store, query.agent, 'agent');
  if (!agent.ok) return agent;
  filter.agent = agent.value;
  const conversation = queryText(query.conversation, 'conversation', HINTS.number!);
  if (!conversation.ok) return conversation;
  if (conversation.value !== undefined) {
    const n = positiveInt(conversation.value);
    if (n === null) return invalidNumber('conversation');
    if (!(await deps.store.getConversation(n))) return conversationNotFound(n, 'conversation');
    filter.conversation = n;
  }
  const events = await deps.store.listHistory(filter, page.value);
  return ok({ items: events.items.map(historyView), next: events.next });
}
