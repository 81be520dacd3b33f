import type { AdminApi, StoreAdminApi, AgentView, ConversationView, HistoryView, InboxView, InviteView, ListQuery } from '../api.js';
import type { Result } from '../errors.js';
import type { Page } from '../ports/store.js';
import type { AdminDeps } from './deps.js';
import * as agents from './agents.js';
import * as inboxes from './inboxes.js';
import { setMembers } from './members.js';
import * as conversations from './conversations.js';

export type { AdminDeps } from './deps.js';

export type { AdminApi };

/**
 * The admin use cases behind /api: validate input (strict, naming the field at fault), read and
 * change the store, and call back so that queues drain after changes that free or add capacity.
 */
export class AdminService implements StoreAdminApi {
  constructor(private readonly deps: AdminDeps) {}

  createAgent(input: unknown): Promise<Result<AgentView>> {
    return agents.createAgent(this.deps, input);
  }
  getAgent(handle: string): Promise<Result<AgentView>> {
    return agents.getAgent(this.deps, handle);
  }
  listAgents(query: ListQuery): Promise<Result<Page<AgentView>>> {
    return agents.listAgents(this.deps, query);
  }
  updateAgent(handle: string, patch: unknown): Promise<Result<AgentView>> {
    return agents.updateAgent(this.deps, handle, patch);
  }
  createInvite(handle: string): Promise<Result<InviteView>> {
    return agents.createInvite(this.deps, handle);
  }
  createInbox(input: unknown): Promise<Result<InboxView>> {
    return inboxes.createInbox(this.deps, input);
  }
  getInbox(name: string): Promise<Result<InboxView>> {
    return inboxes.getInbox(this.deps, name);
  }
  listInboxes(query: ListQuery): Promise<Result<Page<InboxView>>> {
    return inboxes.listInboxes(this.deps, query);
  }
  updateInbox(name: string, patch: unknown): Promise<Result<InboxView>> {
    return inboxes.updateInbox(this.deps, name, patch);
  }
  setMembers(inbox: string, body: unknown): Promise<Result<InboxView>> {
    return setMembers(this.deps, inbox, body);
  }
  listConversations(
    query: ListQuery & { status?: unknown; assignee?: unknown; inbox?: unknown },
  ): Promise<Result<Page<ConversationView>>> {
    return conversations.listConversations(this.deps, query);
  }
  getConversation(number: string | number): Promise<Result<ConversationView>> {
    return conversations.getConversation(this.deps, number);
  }
  deleteInbox(name: string): Promise<Result<{ name: string; deleted: true }>> {
    return inboxes.deleteInbox(this.deps, name);
  }
  listHistory(query: ListQuery & { agent?: unknown; conversation?: unknown }): Promise<Result<Page<HistoryView>>> {
    return conversations.listHistory(this.deps, query);
  }
}
