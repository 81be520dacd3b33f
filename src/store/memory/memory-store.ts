import {
  StoreConflict,
  type Agent,
  type AgentCondition,
  type AgentPatch,
  type Conversation,
  type ConversationCondition,
  type ConversationFilter,
  type ConversationStatus,
  type ConversationUpdate,
  type Customer,
  type HistoryEvent,
  type HistoryFilter,
  type Inbox,
  type InboxPatch,
  type Invite,
  type Membership,
  type Message,
  type MessageLink,
  type NewInbox,
  type Offboarding,
  type OffboardingState,
  type Page,
  type PageRequest,
  type Picked,
  type Platform,
  type SlotOptions,
  type Store,
  type StoredHistoryEvent,
  type ThreadRef,
  type IntakeRecord,
  type OutboxInput,
  type OutboxPatch,
  type OutboxRecord,
} from '../../core/index.js';
import { LRUCache } from 'lru-cache';
import { pageBy } from './paging.js';
import { LoadIndex } from './load-index.js';
import { orderedKey, type RecordListener } from './record-changes.js';
import { HistoryLog } from './history-log.js';
import {
  ConversationTable,
  SharedStrings,
  applyUpdate,
  conversationOf,
  keepConversation,
  type KeptConversation,
} from './kept-records.js';

const DELIVERY_TTL_MS = 24 * 3600_000;
/** Handled keys remembered at most (a day of updates at ~6 a second); the oldest go first beyond it. */
const MAX_HANDLED_KEYS = 500_000;
/** How long a sent outbox record is kept, so an update handled again does not send twice. */
const SENT_TTL_MS = 24 * 3600_000;

const cloneAgent = (a: Agent): Agent => ({ ...a });
const cloneInbox = (i: Inbox): Inbox => ({ ...i });
const cloneOffboarding = (o: Offboarding): Offboarding => ({ ...o, plan: o.plan.map((m) => ({ ...m })), inboxes: [...o.inboxes] });

/** A sent outbox message as kept for a day: only its key is needed (the same message is not sent twice). */
interface SentOutboxRecord {
  key: string;
  state: 'sent';
  sentAt: Date;
}

/**
 * The in-process store: the embedded default and the store of most tests. Every method runs
 * synchronously inside its promise, so each conditional operation is atomic in this process.
 * Every change of a kept record is told, as it happens, to the listener given with
 * `onRecordChange` (the data directory's journal); `restoreRecord` loads such records back.
 */
export class MemoryStore implements Store {
  private changed: RecordListener = () => {};
  private agents = new Map<string, Agent>();
  private byTelegramId = new Map<string, string>();
  private bySlackId = new Map<string, string>();
  private byTelegramUsername = new Map<string, string>();
  private inboxes = new Map<string, Inbox>();
  private members = new Map<string, Membership[]>();
  private memberSeq = 0;
  private memberVersions = new Map<string, number>();
  /** handle → inbox → seq */
  private membershipsOf = new Map<string, Map<string, number>>();
  private loads = new LoadIndex();
  /** Repeating strings of conversations and history, one copy each. */
  readonly #shared = new SharedStrings();
  private conversations = new ConversationTable();
  private conversationSeq = 0;
  /** inbox → platform → customer id → open conversation (the id string is the conversation's own). */
  private openByCustomer = new Map<string, Map<string, Map<string, number>>>();
  private waitingByInbox = new Map<string, Set<number>>();
  private assignedByAgent = new Map<string, Set<number>>();
  private messages = new Map<number, Message[]>();
  private history = new HistoryLog();
  /** Handled delivery keys → when: bounded and expiring, O(1) per update (lru-cache). */
  private deliveries = new LRUCache<string, number>({
    // bounded by size (each key counts 1), not by `max`: `max` allocates its tables for every key up front (about 14 MB)
    maxSize: MAX_HANDLED_KEYS,
    sizeCalculation: () => 1,
    ttl: DELIVERY_TTL_MS,
    ttlAutopurge: false,
    updateAgeOnGet: false,
    dispose: (_value, key, reason) => {
      if (reason !== 'set') this.changed('delivery', key, () => undefined);
    },
  });
  private intake = new Map<string, IntakeRecord>();
  private intakeByLane = new Map<string, IntakeRecord[]>();
  private lanes = new Map<string, { owner: string; until: number }>();
  private outbox = new Map<string, OutboxRecord>();
  /** Pending outbox keys in seq order (Map keeps insertion order, and seq grows with it). */
  private pendingOutbox = new Map<string, true>();
  /** Sent outbox keys in the order they were sent, pruned from the oldest. */
  private sentOutbox = new Map<string, number>();
  private outboxSeq = 0;
  private links = new Map<string, number>();
  private threads = new Map<string, ThreadRef>();
  private invites = new Map<string, Invite>();
  private offboardings = new Map<string, Offboarding>();

  // ---- agents

  async createAgent(agent: Agent): Promise<Agent> {
    if (this.agents.has(agent.handle)) throw new StoreConflict(`agent @${agent.handle} already exists`, 'handle');
    this.checkIdentities(agent.handle, agent);
    const stored = cloneAgent(agent);
    this.agents.set(agent.handle, stored);
    this.indexIdentities(stored);
    this.agentChanged(agent.handle);
    return cloneAgent(stored);
  }

  async getAgent(handle: string): Promise<Agent | null> {
    const a = this.agents.get(handle);
    return a ? cloneAgent(a) : null;
  }

  async getAgents(handles: readonly string[]): Promise<Agent[]> {
    const out: Agent[] = [];
    for (const h of handles) {
      const a = this.agents.get(h);
      if (a) out.push(cloneAgent(a));
    }
    return out;
  }

  async findAgentByIdentity(platform: Platform, userId: string): Promise<Agent | null> {
    const handle = (platform === 'telegram' ? this.byTelegramId : this.bySlackId).get(userId);
    return handle ? this.getAgent(handle) : null;
  }

  async findAgentByTelegramUsername(username: string): Promise<Agent | null> {
    const handle = this.byTelegramUsername.get(username.toLowerCase());
    return handle ? this.getAgent(handle) : null;
  }

  async updateAgent(handle: string, patch: AgentPatch, condition?: AgentCondition): Promise<Agent | null> {
    const current = this.agents.get(handle);
    if (!current) return null;
    if (condition?.status && !condition.status.includes(current.status)) return null;
    const next: Agent = { ...current };
    for (const [k, v] of Object.entries(patch)) (next as unknown as Record<string, unknown>)[k] = v;
    this.checkIdentities(handle, next);
    this.unindexIdentities(current);
    this.agents.set(handle, next);
    this.indexIdentities(next);
    this.loads.update(this.membershipsOf.get(handle) ?? new Map(), current, next);
    this.agentChanged(handle);
    return cloneAgent(next);
  }

  async listAgents(page: PageRequest): Promise<Page<Agent>> {
    const sorted = [...this.agents.values()].sort((a, b) => (a.handle < b.handle ? -1 : 1));
    const p = pageBy(sorted, (a) => a.handle, page);
    return { items: p.items.map(cloneAgent), next: p.next };
  }

  async reserveSlot(handle: string, options: SlotOptions): Promise<Agent | null> {
    const a = this.agents.get(handle);
    if (!a || a.status !== 'active') return null;
    if (options.requireOnline && a.availability !== 'online') return null;
    if (!options.ignoreCapacity && a.openCount >= a.capacity) return null;
    const before = cloneAgent(a);
    a.openCount += 1;
    this.loads.update(this.membershipsOf.get(handle) ?? new Map(), before, a);
    this.countChanged(handle);
    return cloneAgent(a);
  }

  async releaseSlot(handle: string): Promise<void> {
    const a = this.agents.get(handle);
    if (a && a.openCount > 0) {
      const before = cloneAgent(a);
      a.openCount -= 1;
      this.loads.update(this.membershipsOf.get(handle) ?? new Map(), before, a);
      this.countChanged(handle);
    }
  }

  async setOpenCount(handle: string, expected: number, value: number): Promise<Agent | null> {
    const a = this.agents.get(handle);
    if (!a || a.openCount !== expected) return null;
    const before = cloneAgent(a);
    a.openCount = Math.max(0, value);
    this.loads.update(this.membershipsOf.get(handle) ?? new Map(), before, a);
    this.countChanged(handle);
    return cloneAgent(a);
  }

  private agentChanged(handle: string): void {
    this.changed('agent', handle, () => this.agents.get(handle));
  }

  /** An agent's open-conversation count changed (a slot taken or given back), nothing else of theirs. */
  protected countChanged(handle: string): void {
    this.agentChanged(handle);
  }

  /**
   * Set every agent's open-conversation count to the conversations assigned to them (for a store
   * that does not record the count's changes: after loading its records).
   */
  recountOpen(): void {
    for (const a of this.agents.values()) {
      const held = this.assignedByAgent.get(a.handle)?.size ?? 0;
      if (a.openCount === held) continue;
      const before = cloneAgent(a);
      a.openCount = held;
      this.loads.update(this.membershipsOf.get(a.handle) ?? new Map(), before, a);
    }
  }

  private inboxChanged(name: string): void {
    this.changed('inbox', name, () => this.inboxes.get(name));
  }

  private checkIdentities(handle: string, a: Pick<Agent, 'telegramUserId' | 'slackUserId' | 'telegramUsername'>): void {
    const clash = (map: Map<string, string>, key: string | undefined, field: string): void => {
      if (key === undefined) return;
      const owner = map.get(field === 'telegramUsername' ? key.toLowerCase() : key);
      if (owner !== undefined && owner !== handle) throw new StoreConflict(`${field} ${key} belongs to @${owner}`, field);
    };
    clash(this.byTelegramId, a.telegramUserId, 'telegramUserId');
    clash(this.bySlackId, a.slackUserId, 'slackUserId');
    clash(this.byTelegramUsername, a.telegramUsername, 'telegramUsername');
  }

  private indexIdentities(a: Agent): void {
    if (a.telegramUserId !== undefined) this.byTelegramId.set(a.telegramUserId, a.handle);
    if (a.slackUserId !== undefined) this.bySlackId.set(a.slackUserId, a.handle);
    if (a.telegramUsername !== undefined) this.byTelegramUsername.set(a.telegramUsername.toLowerCase(), a.handle);
  }

  private unindexIdentities(a: Agent): void {
    if (a.telegramUserId !== undefined) this.byTelegramId.delete(a.telegramUserId);
    if (a.slackUserId !== undefined) this.bySlackId.delete(a.slackUserId);
    if (a.telegramUsername !== undefined) this.byTelegramUsername.delete(a.telegramUsername.toLowerCase());
  }

  // ---- inboxes

  async createInbox(inbox: NewInbox & { createdAt: Date }): Promise<Inbox> {
    if (this.inboxes.has(inbox.name)) throw new StoreConflict(`inbox ${inbox.name} already exists`, 'name');
    const stored: Inbox = { ...inbox, cursor: 0 };
    this.inboxes.set(inbox.name, stored);
    this.members.set(inbox.name, []);
    this.inboxChanged(inbox.name);
    return cloneInbox(stored);
  }

  async getInbox(name: string): Promise<Inbox | null> {
    const i = this.inboxes.get(name);
    return i ? cloneInbox(i) : null;
  }

  async listInboxes(page: PageRequest): Promise<Page<Inbox>> {
    const sorted = [...this.inboxes.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const p = pageBy(sorted, (i) => i.name, page);
    return { items: p.items.map(cloneInbox), next: p.next };
  }

  async updateInbox(name: string, patch: InboxPatch): Promise<Inbox | null> {
    const current = this.inboxes.get(name);
    if (!current) return null;
    const next: Inbox = { ...current };
    for (const [k, v] of Object.entries(patch)) (next as unknown as Record<string, unknown>)[k] = v;
    this.inboxes.set(name, next);
    this.inboxChanged(name);
    return cloneInbox(next);
  }

  async pickAgent(name: string, excluded: readonly string[]): Promise<Picked | null> {
    const inbox = this.inboxes.get(name);
    const list = this.members.get(name);
    if (!inbox || !list) return null;
    const skip = new Set(excluded);
    let seq: number | undefined;
    if (inbox.strategy === 'least-busy') seq = this.loads.pick(name, inbox.cursor, skip)?.seq;
    else {
      const start = firstAfter(list, inbox.cursor);
      for (let i = 0; i < list.length && seq === undefined; i++) {
        const m = list[(start + i) % list.length]!;
        const a = this.agents.get(m.handle);
        if (a && !skip.has(a.handle) && a.status === 'active' && a.availability === 'online' && a.openCount < a.capacity) seq = m.seq;
      }
    }
    const membership = seq === undefined ? undefined : findBySeq(list, seq);
    const agent = membership ? this.agents.get(membership.handle) : undefined;
    if (!membership || !agent) return null;
    const before = cloneAgent(agent);
    agent.openCount += 1;
    this.loads.update(this.membershipsOf.get(agent.handle) ?? new Map(), before, agent);
    this.countChanged(agent.handle);
    inbox.cursor = membership.seq;
    this.inboxChanged(name);
    return { membership: { ...membership }, agent: cloneAgent(agent) };
  }

  async moveCursor(name: string, expected: number, next: number): Promise<boolean> {
    const i = this.inboxes.get(name);
    if (!i || i.cursor !== expected) return false;
    i.cursor = next;
    this.inboxChanged(name);
    return true;
  }

  /** Synchronous from check to delete, so nothing opens a conversation in between (and the journal sees every change). */
  async deleteInbox(name: string): Promise<'deleted' | 'not_found' | 'has_open'> {
    if (!this.inboxes.has(name)) return 'not_found';
    for (const c of this.conversations.values()) if (c.inbox === name && c.status !== 'closed') return 'has_open';
    for (const m of [...(this.members.get(name) ?? [])]) this.dropMember(name, m.handle);
    this.inboxes.delete(name);
    this.members.delete(name);
    this.waitingByInbox.delete(name);
    this.inboxChanged(name);
    return 'deleted';
  }

  async findInboxForPlatform(platform: Platform, slackChannelId?: string): Promise<Inbox | null> {
    let found: Inbox | undefined;
    for (const i of this.inboxes.values()) {
      if (i.platform !== platform) continue;
      if (platform === 'slack' && (i.slackChannelId ?? undefined) !== slackChannelId) continue;
      if (!found || i.createdAt < found.createdAt) found = i;
    }
    return found ? cloneInbox(found) : null;
  }

  // ---- memberships

  async addMember(inbox: string, handle: string, at: Date): Promise<Membership> {
    const list = this.members.get(inbox) ?? [];
    const existingSeq = this.membershipsOf.get(handle)?.get(inbox);
    const existing = existingSeq === undefined ? undefined : findBySeq(list, existingSeq);
    if (existing) return { ...existing };
    const m: Membership = { inbox, handle, seq: ++this.memberSeq, joinedAt: at };
    list.push(m);
    this.members.set(inbox, list);
    let mine = this.membershipsOf.get(handle);
    if (!mine) this.membershipsOf.set(handle, (mine = new Map()));
    mine.set(inbox, m.seq);
    const agent = this.agents.get(handle);
    if (agent) this.loads.add(inbox, m.seq, agent);
    this.changed('member', orderedKey(m.seq), () => m);
    this.changed('counter', 'member', () => this.memberSeq);
    return { ...m };
  }

  async removeMember(inbox: string, handle: string): Promise<boolean> {
    return this.dropMember(inbox, handle);
  }

  private dropMember(inbox: string, handle: string): boolean {
    const list = this.members.get(inbox);
    if (!list) return false;
    const idx = list.findIndex((m) => m.handle === handle);
    if (idx < 0) return false;
    const [m] = list.splice(idx, 1);
    this.membershipsOf.get(handle)?.delete(inbox);
    const agent = this.agents.get(handle);
    if (agent && m) this.loads.remove(inbox, m.seq, agent);
    if (m) this.changed('member', orderedKey(m.seq), () => undefined);
    return true;
  }

  async listMembers(inbox: string): Promise<Membership[]> {
    return (this.members.get(inbox) ?? []).map((m) => ({ ...m }));
  }

  async membersAfter(inbox: string, afterSeq: number, limit: number): Promise<Membership[]> {
    const list = this.members.get(inbox) ?? [];
    // binary search: the list is in ascending seq order
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return list.slice(lo, lo + limit).map((m) => ({ ...m }));
  }

  async leastBusyMember(inbox: string, afterSeq: number, excluded: readonly string[]): Promise<Membership | null> {
    const picked = this.loads.pick(inbox, afterSeq, new Set(excluded));
    if (!picked) return null;
    const m = findBySeq(this.members.get(inbox) ?? [], picked.seq);
    return m ? { ...m } : null;
  }

  async countMembers(inbox: string): Promise<number> {
    return this.members.get(inbox)?.length ?? 0;
  }

  async membersVersion(inbox: string): Promise<number> {
    return this.memberVersions.get(inbox) ?? 0;
  }

  async bumpMembersVersion(inbox: string, expected: number): Promise<boolean> {
    if ((this.memberVersions.get(inbox) ?? 0) !== expected) return false;
    this.memberVersions.set(inbox, expected + 1);
    this.changed('counter', `members:${inbox}`, () => this.memberVersions.get(inbox));
    return true;
  }

  async listMemberships(handle: string): Promise<Membership[]> {
    const out: Membership[] = [];
    for (const [inbox, seq] of this.membershipsOf.get(handle) ?? []) {
      const m = findBySeq(this.members.get(inbox) ?? [], seq);
      if (m) out.push({ ...m });
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  // ---- conversations

  async openConversation(inbox: string, customer: Customer, at: Date): Promise<{ conversation: Conversation; created: boolean }> {
    const existing = this.openByCustomer.get(inbox)?.get(customer.platform)?.get(customer.id);
    if (existing !== undefined) return { conversation: conversationOf(this.conversations.get(existing)!), created: false };
    const opened: Conversation = {
      number: ++this.conversationSeq,
      inbox,
      status: 'queued',
      assignee: null,
      customer: { ...customer },
      createdAt: at,
      updatedAt: at,
      excluded: [],
      redirects: 0,
      queuedNoticeSent: false,
    };
    const c = keepConversation(opened, this.#shared);
    this.conversations.set(c.number, c);
    this.markOpen(c);
    this.index(c);
    this.conversationChanged(c.number);
    this.changed('counter', 'conversation', () => this.conversationSeq);
    return { conversation: conversationOf(c), created: true };
  }

  async getConversation(number: number): Promise<Conversation | null> {
    const c = this.conversations.get(number);
    return c ? conversationOf(c) : null;
  }

  async updateConversation(number: number, condition: ConversationCondition, update: ConversationUpdate): Promise<Conversation | null> {
    const c = this.conversations.get(number);
    if (!c) return null;
    if (condition.status && !condition.status.includes(c.status)) return null;
    if (condition.assignee !== undefined && c.assignee !== condition.assignee) return null;
    if (condition.queuedNoticeSent !== undefined && c.queuedNoticeSent !== condition.queuedNoticeSent) return null;
    if (condition.waitingSince !== undefined && (c.waitingSince ?? null) !== (condition.waitingSince?.getTime() ?? null)) return null;
    this.unindex(c);
    applyUpdate(c, update, this.#shared);
    this.index(c);
    if (c.status === 'closed') this.unmarkOpen(c);
    this.conversationChanged(number);
    return conversationOf(c);
  }

  async listConversations(filter: ConversationFilter, page: PageRequest): Promise<Page<Conversation>> {
    let source: Iterable<KeptConversation> = this.conversations.values();
    if (filter.assignee !== undefined && filter.status === 'assigned') {
      source = [...(this.assignedByAgent.get(filter.assignee) ?? [])].map((n) => this.conversations.get(n)!);
    }
    const after = page.after === undefined ? 0 : Number(page.after);
    const matches: KeptConversation[] = [];
    for (const c of source) {
      if (c.number <= after) continue;
      if (filter.status !== undefined && c.status !== filter.status) continue;
      if (filter.assignee !== undefined && c.assignee !== filter.assignee) continue;
      if (filter.inbox !== undefined && c.inbox !== filter.inbox) continue;
      matches.push(c);
    }
    matches.sort((a, b) => a.number - b.number);
    const items = matches.slice(0, page.limit).map(conversationOf);
    const more = matches.length > page.limit;
    return { items, next: more ? String(items[items.length - 1]!.number) : null };
  }

  async listWaiting(inbox: string, statuses: readonly ConversationStatus[], limit: number): Promise<Conversation[]> {
    if (statuses.some((st) => st !== 'queued' && st !== 'unassigned')) {
      // Not what the index holds: scan (only the waiting statuses are asked for in practice).
      return [...this.conversations.values()]
        .filter((c) => c.inbox === inbox && statuses.includes(c.status))
        .sort((a, b) => a.number - b.number)
        .slice(0, limit)
        .map(conversationOf);
    }
    const set = this.waitingByInbox.get(inbox);
    if (!set) return [];
    return [...set]
      .sort((a, b) => a - b)
      .map((n) => this.conversations.get(n)!)
      .filter((c) => statuses.includes(c.status))
      .slice(0, limit)
      .map(conversationOf);
  }

  async listAssigned(handle: string): Promise<Conversation[]> {
    return [...(this.assignedByAgent.get(handle) ?? [])]
      .sort((a, b) => a - b)
      .map((n) => conversationOf(this.conversations.get(n)!));
  }

  private conversationChanged(number: number): void {
    this.changed('conversation', orderedKey(number), () => {
      const c = this.conversations.get(number);
      return c && conversationOf(c);
    });
  }

  private markOpen(c: KeptConversation): void {
    let byPlatform = this.openByCustomer.get(c.inbox);
    if (!byPlatform) this.openByCustomer.set(c.inbox, (byPlatform = new Map()));
    let open = byPlatform.get(c.customer.platform);
    if (!open) byPlatform.set(c.customer.platform, (open = new Map()));
    open.set(c.customer.id, c.number);
  }

  private unmarkOpen(c: KeptConversation): void {
    const byPlatform = this.openByCustomer.get(c.inbox);
    const open = byPlatform?.get(c.customer.platform);
    if (!byPlatform || !open || open.get(c.customer.id) !== c.number) return;
    open.delete(c.customer.id);
    if (open.size === 0) byPlatform.delete(c.customer.platform);
    if (byPlatform.size === 0) this.openByCustomer.delete(c.inbox);
  }

  private index(c: KeptConversation): void {
    if (c.status === 'queued' || c.status === 'unassigned') {
      let set = this.waitingByInbox.get(c.inbox);
      if (!set) this.waitingByInbox.set(c.inbox, (set = new Set()));
      set.add(c.number);
    }
    if (c.status === 'assigned' && c.assignee) {
      let set = this.assignedByAgent.get(c.assignee);
      if (!set) this.assignedByAgent.set(c.assignee, (set = new Set()));
      set.add(c.number);
    }
  }

  private unindex(c: KeptConversation): void {
    this.waitingByInbox.get(c.inbox)?.delete(c.number);
    if (c.assignee) this.assignedByAgent.get(c.assignee)?.delete(c.number);
  }

  // ---- messages and history

  async addMessage(message: Message): Promise<void> {
    let list = this.messages.get(message.conversation);
    if (!list) this.messages.set(message.conversation, (list = []));
    // the last few are enough: an update handled again comes back within moments
    if (message.key !== undefined) for (let i = list.length - 1; i >= Math.max(0, list.length - 50); i--) if (list[i]!.key === message.key) return;
    const stored = { ...message, ...(message.original ? { original: { ...message.original } } : {}) };
    list.push(stored);
    this.changed('message', orderedKey(message.conversation, list.length), () => stored);
  }

  async listMessages(conversation: number, last?: number): Promise<Message[]> {
    const all = this.messages.get(conversation) ?? [];
    const from = last === undefined ? 0 : Math.max(0, all.length - last);
    return all.slice(from).map((m) => ({ ...m, ...(m.original ? { original: { ...m.original } } : {}) }));
  }

  async countMessages(conversation: number): Promise<number> {
    return this.messages.get(conversation)?.length ?? 0;
  }

  async addHistory(event: HistoryEvent): Promise<StoredHistoryEvent> {
    const stored = this.history.append(event);
    this.changed('history', orderedKey(stored.seq), () => this.history.event(stored.seq));
    return stored;
  }

  async listHistory(filter: HistoryFilter, page: PageRequest): Promise<Page<StoredHistoryEvent>> {
    return this.history.list(filter, page);
  }

  // ---- platform bookkeeping

  async recordDelivery(key: string, at: Date): Promise<boolean> {
    if (this.deliveries.has(key)) return false;
    this.deliveries.set(key, at.getTime());
    this.changed('delivery', key, () => this.deliveries.peek(key));
    return true;
  }

  async isHandled(key: string): Promise<boolean> {
    return this.deliveries.has(key);
  }

  // ---- intake, lanes and outbox

  async saveIntake(record: IntakeRecord): Promise<boolean> {
    if (this.intake.has(record.key)) return false;
    this.keepIntake({ ...record });
    this.changed('intake', record.key, () => this.intake.get(record.key));
    return true;
  }

  /** Kept by key and, per lane, in order (a lane's next update is its first). */
  private keepIntake(record: IntakeRecord): void {
    this.intake.set(record.key, record);
    let lane = this.intakeByLane.get(record.lane);
    if (!lane) this.intakeByLane.set(record.lane, (lane = []));
    let at = lane.length;
    while (at > 0 && intakeBefore(record, lane[at - 1]!)) at--;
    lane.splice(at, 0, record);
  }

  async listIntake(filter: { lane?: string | undefined }, limit: number): Promise<IntakeRecord[]> {
    const all = filter.lane !== undefined ? (this.intakeByLane.get(filter.lane) ?? []) : [...this.intake.values()].sort((a, b) => (intakeBefore(a, b) ? -1 : 1));
    return all.slice(0, limit).map((r) => ({ ...r }));
  }

  async dropIntake(key: string): Promise<void> {
    const record = this.intake.get(key);
    if (!record) return;
    this.intake.delete(key);
    const lane = this.intakeByLane.get(record.lane);
    const at = lane?.indexOf(record) ?? -1;
    if (lane && at >= 0) lane.splice(at, 1);
    if (lane && lane.length === 0) this.intakeByLane.delete(record.lane);
    this.changed('intake', key, () => this.intake.get(key));
  }

  async countIntake(): Promise<number> {
    return this.intake.size;
  }

  async acquireLane(lane: string, owner: string, now: Date, until: Date): Promise<boolean> {
    const held = this.lanes.get(lane);
    if (held && held.owner !== owner && held.until > now.getTime()) return false;
    this.lanes.set(lane, { owner, until: until.getTime() });
    return true;
  }

  async releaseLane(lane: string, owner: string): Promise<void> {
    if (this.lanes.get(lane)?.owner === owner) this.lanes.delete(lane);
  }

  async addOutbox(input: OutboxInput): Promise<OutboxRecord | null> {
    this.pruneSent(input.createdAt.getTime());
    if (this.outbox.has(input.key) || this.sentOutbox.has(input.key)) return null;
    const record: OutboxRecord = { ...input, seq: ++this.outboxSeq, state: 'pending' };
    this.changed('counter', 'outbox', () => this.outboxSeq);
    this.outbox.set(record.key, record);
    this.pendingOutbox.set(record.key, true);
    this.changed('outbox', record.key, () => this.outboxRecordOf(record.key));
    return { ...record };
  }

  async updateOutbox(key: string, patch: OutboxPatch): Promise<void> {
    const record = this.outbox.get(key);
    if (!record) return;
    Object.assign(record, patch);
    if (record.state === 'sent') {
      // kept a day only so that its key is known: nothing else of it is kept, in memory or on disk
      this.outbox.delete(key);
      this.pendingOutbox.delete(key);
      this.sentOutbox.delete(key);
      this.sentOutbox.set(key, (record.sentAt ?? new Date()).getTime());
    }
    this.changed('outbox', key, () => this.outboxRecordOf(key));
  }

  /** What a record listener is told of an outbox key: a waiting message in full, a sent one as its key and time. */
  private outboxRecordOf(key: string): OutboxRecord | SentOutboxRecord | undefined {
    const pending = this.outbox.get(key);
    if (pending) return pending;
    const sentAt = this.sentOutbox.get(key);
    return sentAt === undefined ? undefined : { key, state: 'sent', sentAt: new Date(sentAt) };
  }

  async claimOutbox(key: string, seen: Date, until: Date): Promise<boolean> {
    const record = this.outbox.get(key);
    if (!record || record.state !== 'pending' || record.nextAt.getTime() !== seen.getTime()) return false;
    record.nextAt = until;
    this.changed('outbox', key, () => this.outboxRecordOf(key));
    return true;
  }

  async dropOutbox(key: string): Promise<void> {
    const waiting = this.outbox.delete(key);
    const sent = this.sentOutbox.delete(key);
    if (!waiting && !sent) return;
    this.pendingOutbox.delete(key);
    this.changed('outbox', key, () => this.outboxRecordOf(key));
  }

  async listOutbox(limit: number): Promise<OutboxRecord[]> {
    const out: OutboxRecord[] = [];
    for (const key of this.pendingOutbox.keys()) {
      if (out.length >= limit) break;
      const r = this.outbox.get(key);
      if (r) out.push({ ...r });
    }
    return out;
  }

  async countOutbox(): Promise<number> {
    return this.pendingOutbox.size;
  }

  /** Forget sent records older than a day, oldest first: each is looked at once. */
  private pruneSent(now: number): void {
    for (const [key, sentAt] of this.sentOutbox) {
      if (sentAt > now - SENT_TTL_MS) break;
      this.sentOutbox.delete(key);
      this.changed('outbox', key, () => undefined);
    }
  }

  async linkMessage(link: MessageLink): Promise<void> {
    const key = `${link.platform}|${link.chatId}|${link.messageId}`;
    this.links.set(key, link.conversation);
    this.changed('link', key, () => this.links.get(key));
  }

  async findLinkedConversation(platform: Platform, chatId: string, messageId: string): Promise<number | null> {
    return this.links.get(`${platform}|${chatId}|${messageId}`) ?? null;
  }

  async saveThread(thread: ThreadRef): Promise<void> {
    const key = `${thread.conversation}|${thread.handle}|${thread.platform}`;
    if (this.threads.has(key)) return;
    this.threads.set(key, { ...thread });
    this.changed('thread', key, () => this.threads.get(key));
  }

  async findThread(conversation: number, handle: string, platform: Platform): Promise<ThreadRef | null> {
    const t = this.threads.get(`${conversation}|${handle}|${platform}`);
    return t ? { ...t } : null;
  }

  // ---- invites

  async createInvite(invite: Invite): Promise<void> {
    if (this.invites.has(invite.code)) throw new StoreConflict('invite code exists', 'code');
    this.invites.set(invite.code, { ...invite });
    this.changed('invite', invite.code, () => this.invites.get(invite.code));
  }

  async consumeInvite(code: string, at: Date): Promise<string | null> {
    const inv = this.invites.get(code);
    if (!inv || inv.usedAt || inv.expiresAt.getTime() <= at.getTime()) return null;
    inv.usedAt = at;
    this.changed('invite', code, () => this.invites.get(code));
    return inv.handle;
  }

  // ---- offboardings

  async createOffboarding(offboarding: Offboarding): Promise<void> {
    if (this.offboardings.has(offboarding.id)) throw new StoreConflict('offboarding exists', 'id');
    for (const o of this.offboardings.values()) if (o.code === offboarding.code) throw new StoreConflict('offboarding code exists', 'code');
    this.offboardings.set(offboarding.id, cloneOffboarding(offboarding));
    this.changed('offboarding', offboarding.id, () => this.offboardings.get(offboarding.id));
  }

  async getOffboarding(id: string): Promise<Offboarding | null> {
    const o = this.offboardings.get(id);
    return o ? cloneOffboarding(o) : null;
  }

  async findOffboardingByCode(code: string): Promise<Offboarding | null> {
    for (const o of this.offboardings.values()) if (o.code === code) return cloneOffboarding(o);
    return null;
  }

  async transitionOffboarding(
    id: string,
    from: OffboardingState,
    to: OffboardingState,
    fields?: Partial<Pick<Offboarding, 'confirmedAt' | 'finishedAt' | 'summary' | 'reinstatedAt'>>,
  ): Promise<Offboarding | null> {
    const o = this.offboardings.get(id);
    if (!o || o.state !== from) return null;
    o.state = to;
    Object.assign(o, fields ?? {});
    this.changed('offboarding', id, () => this.offboardings.get(id));
    return cloneOffboarding(o);
  }

  async listOffboardings(filter: { state?: OffboardingState; agent?: string }): Promise<Offboarding[]> {
    return [...this.offboardings.values()]
      .filter((o) => (filter.state === undefined || o.state === filter.state) && (filter.agent === undefined || o.agent === filter.agent))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map(cloneOffboarding);
  }

  // ---- kept records (the data directory)

  /** Tell `listener` of every record change from now on, synchronously, as it happens. */
  onRecordChange(listener: RecordListener): void {
    this.changed = listener;
  }

  /**
   * Put back one record as it was told to the listener; records come collection by collection
   * in the order of RECORD_COLLECTIONS, each in key order. Tells no listener.
   */
  restoreRecord(collection: string, key: string, value: unknown): void {
    switch (collection) {
      case 'counter':
        if (key === 'member') this.memberSeq = value as number;
        else if (key.startsWith('members:')) this.memberVersions.set(key.slice('members:'.length), value as number);
        else if (key === 'conversation') this.conversationSeq = value as number;
        else if (key === 'outbox') this.outboxSeq = Math.max(this.outboxSeq, value as number);
        else throw new Error(`unknown counter ${key}`);
        return;
      case 'agent': {
        const a = cloneAgent(value as Agent);
        this.agents.set(a.handle, a);
        this.indexIdentities(a);
        return;
      }
      case 'inbox': {
        const i = cloneInbox(value as Inbox);
        this.inboxes.set(i.name, i);
        if (!this.members.has(i.name)) this.members.set(i.name, []);
        return;
      }
      case 'member': {
        const m = { ...(value as Membership) };
        let list = this.members.get(m.inbox);
        if (!list) this.members.set(m.inbox, (list = []));
        list.push(m);
        let mine = this.membershipsOf.get(m.handle);
        if (!mine) this.membershipsOf.set(m.handle, (mine = new Map()));
        mine.set(m.inbox, m.seq);
        const agent = this.agents.get(m.handle);
        if (agent) this.loads.add(m.inbox, m.seq, agent);
        this.memberSeq = Math.max(this.memberSeq, m.seq);
        return;
      }
      case 'conversation': {
        const c = keepConversation(value as Conversation, this.#shared);
        this.conversations.set(c.number, c);
        if (c.status !== 'closed') this.markOpen(c);
        this.index(c);
        this.conversationSeq = Math.max(this.conversationSeq, c.number);
        return;
      }
      case 'message': {
        const m = value as Message;
        let list = this.messages.get(m.conversation);
        if (!list) this.messages.set(m.conversation, (list = []));
        list.push(m);
        return;
      }
      case 'history':
        this.history.restore(value as StoredHistoryEvent);
        return;
      case 'delivery': {
        const ttl = DELIVERY_TTL_MS - Math.max(0, Date.now() - (value as number));
        if (ttl > 0) this.deliveries.set(key, value as number, { ttl });
        return;
      }
      case 'intake': {
        const r = value as IntakeRecord;
        this.keepIntake({ ...r, receivedAt: new Date(r.receivedAt) });
        return;
      }
      case 'outbox': {
        const r = value as OutboxRecord | SentOutboxRecord;
        if (typeof (r as OutboxRecord).seq === 'number') this.outboxSeq = Math.max(this.outboxSeq, (r as OutboxRecord).seq);
        if (r.state === 'sent') {
          // its key and time (earlier versions kept the whole record)
          this.sentOutbox.set(key, new Date(r.sentAt ?? (r as OutboxRecord).createdAt).getTime());
          return;
        }
        this.outbox.set(key, { ...r, createdAt: new Date(r.createdAt), nextAt: new Date(r.nextAt) });
        this.pendingOutbox.set(key, true);
        return;
      }
      case 'link':
        this.links.set(key, value as number);
        return;
      case 'thread':
        this.threads.set(key, { ...(value as ThreadRef) });
        return;
      case 'invite':
        this.invites.set(key, { ...(value as Invite) });
        return;
      case 'offboarding':
        this.offboardings.set(key, cloneOffboarding(value as Offboarding));
        return;
      default:
        throw new Error(`unknown record collection ${collection}`);
    }
  }

  // ---- lifecycle

  // every change is made inside the call: nothing waits to be written
  deferred(): Store {
    return this;
  }

  async flush(): Promise<void> {}

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

function intakeBefore(a: IntakeRecord, b: IntakeRecord): boolean {
  return a.order < b.order || (a.order === b.order && a.receivedAt.getTime() < b.receivedAt.getTime());
}

/** Index of the first membership with seq > `seq` (0 when none: the rotation wraps). */
function firstAfter(list: readonly Membership[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo === list.length ? 0 : lo;
}

/** Binary search in a membership list kept in ascending seq order. */
function findBySeq(list: readonly Membership[], seq: number): Membership | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = list[mid]!;
    if (m.seq === seq) return m;
    if (m.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
