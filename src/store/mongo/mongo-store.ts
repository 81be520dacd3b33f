import { createDurableModels, DurableRepo, type DurableModels } from './durable-repo.js';
import { createConnection, type Connection } from 'mongoose';
import {
  silentLogger,
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
  type Logger,
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
import { OPEN_STATUSES } from '../../core/index.js';
import { op } from './filters.js';
import { AgentRepo } from './agent-repo.js';
import { pickAgent, type PickDeps } from './pick-agent.js';
import { KeyLock } from './key-lock.js';
import { MemberCopies } from './member-copies.js';
import { BookkeepingRepo } from './bookkeeping-repo.js';
import { ConversationRepo } from './conversation-repo.js';
import { HistoryRepo } from './history-repo.js';
import { InboxRepo } from './inbox-repo.js';
import { MembershipRepo } from './membership-repo.js';
import { OffboardingRepo } from './offboarding-repo.js';
import { pingDatabase } from './ping.js';
import { MongoStoreStartError, type ConnectStage } from './connect-error.js';
import { DEFAULT_DATABASE, databaseNameIn } from './connection-uri.js';
import { createModels, ensureIndexes, type Models } from './schemas.js';
import type { InboxDoc } from './documents.js';

export interface MongoStoreOptions {
  /** Database to use; default: the one named in the URI, else `switchboard` (never the driver's `test`). */
  dbName?: string;
  /** How long an operation waits for a reachable server before failing (default 10 s). */
  serverSelectionTimeoutMS?: number;
  logger?: Logger;
  /** Have the driver report every command it sends (tests count operations with it). */
  monitorCommands?: boolean;
}

/**
 * Connects with its own mongoose connection (not the global one), sanitized filters and strict
 * schemas, and creates every index before returning. Throws a MongoStoreStartError, one line naming
 * MONGODB_URI, when no server answers in time or the indexes cannot be created.
 *
 * The database is `options.dbName`, else the one in the URI's path, else `switchboard`: without
 * this default the driver would silently use `test`. Only the database changes; credentials are
 * still checked against the URI's authSource (or `admin`), as the driver does for such a URI.
 * `store.db()` is this database, so Agenda's backend given it keeps its jobs next to the data.
 */
export async function connectMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const logger = options.logger ?? silentLogger;
  const dbName = options.dbName ?? databaseNameIn(uri) ?? DEFAULT_DATABASE;
  const conn = createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    connectTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    sanitizeFilter: true,
    autoIndex: false,
    autoCreate: false,
    ...(options.monitorCommands ? { monitorCommands: true } : {}),
  });
  let stage: ConnectStage = 'connect';
  try {
    await conn.asPromise();
    stage = 'indexes';
    const models = createModels(conn);
    await ensureIndexes(models);
    const durable = await createDurableModels(conn);
    const store = new MongoStore(conn, models, logger, durable);
    const mended = await store.copies.mend();
    if (mended > 0) logger.info({ db: conn.name, agents: mended }, 'copied agents onto their memberships for routing');
    logger.info({ db: conn.name }, 'mongodb store ready');
    return store;
  } catch (error) {
    await conn.close().catch(() => undefined);
    throw new MongoStoreStartError(uri, stage, dbName, error);
  }
}

/** The Store on MongoDB. Every operation that must not race is one conditional document update. */
export class MongoStore implements Store {
  private readonly agents: AgentRepo;
  private readonly inboxes: InboxRepo;
  private readonly members: MembershipRepo;
  private readonly conversations: ConversationRepo;
  private readonly logs: HistoryRepo;
  private readonly bookkeeping: BookkeepingRepo;
  private readonly offboardings: OffboardingRepo;
  private readonly durable: DurableRepo | null;
  private readonly picks: PickDeps;
  /** The copies of agents' routing fields on memberships (see MemberCopies). */
  readonly copies: MemberCopies;
  private closing = false;

  constructor(
    private readonly conn: Connection,
    private readonly models: Models,
    logger: Logger = silentLogger,
    durable?: DurableModels,
  ) {
    this.durable = durable ? new DurableRepo(durable) : null;
    conn.on('disconnected', () => {
      if (!this.closing) logger.warn({ db: conn.name }, 'mongodb disconnected');
    });
    conn.on('reconnected', () => logger.info({ db: conn.name }, 'mongodb reconnected'));
    this.copies = new MemberCopies(models.memberships, models.agents, logger);
    this.agents = new AgentRepo(models.agents, this.copies);
    this.inboxes = new InboxRepo(models.inboxes);
    this.members = new MembershipRepo(models.memberships, models.counters, this.copies);
    const lock = new KeyLock();
    this.picks = { inboxes: models.inboxes, memberships: models.memberships, agents: this.agents, copies: this.copies, lock };
    this.conversations = new ConversationRepo(models.conversations, models.counters);
    this.logs = new HistoryRepo(models.messages, models.history);
    this.bookkeeping = new BookkeepingRepo(models);
    this.offboardings = new OffboardingRepo(models.offboardings);
  }

  /** The native driver `Db` of this store's database (for Agenda's MongoDB backend). */
  db(): unknown {
    return this.conn.db;
  }

  // agents
  createAgent(agent: Agent): Promise<Agent> {
    return this.agents.create(agent);
  }
  getAgent(handle: string): Promise<Agent | null> {
    return this.agents.get(handle);
  }
  getAgents(handles: readonly string[]): Promise<Agent[]> {
    return this.agents.getMany(handles);
  }
  findAgentByIdentity(platform: Platform, userId: string): Promise<Agent | null> {
    return this.agents.findByIdentity(platform, userId);
  }
  findAgentByTelegramUsername(username: string): Promise<Agent | null> {
    return this.agents.findByTelegramUsername(username);
  }
  updateAgent(handle: string, patch: AgentPatch, condition?: AgentCondition): Promise<Agent | null> {
    return this.agents.update(handle, patch, condition);
  }
  listAgents(page: PageRequest): Promise<Page<Agent>> {
    return this.agents.list(page);
  }
  reserveSlot(handle: string, options: SlotOptions): Promise<Agent | null> {
    return this.agents.reserveSlot(handle, options);
  }
  releaseSlot(handle: string): Promise<void> {
    return this.agents.releaseSlot(handle);
  }
  setOpenCount(handle: string, expected: number, value: number): Promise<Agent | null> {
    return this.agents.setOpenCount(handle, expected, value);
  }

  // inboxes
  createInbox(inbox: NewInbox & { createdAt: Date }): Promise<Inbox> {
    return this.inboxes.create(inbox);
  }
  getInbox(name: string): Promise<Inbox | null> {
    return this.inboxes.get(name);
  }
  listInboxes(page: PageRequest): Promise<Page<Inbox>> {
    return this.inboxes.list(page);
  }
  updateInbox(name: string, patch: InboxPatch): Promise<Inbox | null> {
    return this.inboxes.update(name, patch);
  }
  pickAgent(inbox: string, excluded: readonly string[]): Promise<Picked | null> {
    return pickAgent(this.picks, inbox, excluded);
  }
  moveCursor(name: string, expected: number, next: number): Promise<boolean> {
    return this.inboxes.moveCursor(name, expected, next);
  }
  /**
   * Count, then delete: no transaction is needed for the rule an operator relies on (an inbox with
   * open conversations is kept). A customer whose first message lands in the same instant opens a
   * conversation that keeps the inbox's name, like a closed one, and is listed by it.
   */
  async deleteInbox(name: string): Promise<'deleted' | 'not_found' | 'has_open'> {
    const inbox = await this.models.inboxes.findOne({ name }).lean<InboxDoc & { _id: unknown }>();
    if (!inbox) return 'not_found';
    const hasOpen = async () => (await this.models.conversations.countDocuments({ inbox: name, status: op({ $in: [...OPEN_STATUSES] }) }).limit(1)) > 0;
    if (await hasOpen()) return 'has_open';
    const deleted = await this.models.inboxes.deleteOne({ _id: inbox._id });
    if (deleted.deletedCount !== 1) return 'not_found';
    // A customer's first message may have opened a conversation between the count and the delete:
    // the inbox is put back as it was (unless one of that name was created meanwhile), members kept.
    if (await hasOpen()) {
      await this.models.inboxes.collection.updateOne({ name }, { $setOnInsert: inbox }, { upsert: true });
      return 'has_open';
    }
    await this.models.memberships.deleteMany({ inbox: name });
    return 'deleted';
  }

  findInboxForPlatform(platform: Platform, slackChannelId?: string): Promise<Inbox | null> {
    return this.inboxes.findForPlatform(platform, slackChannelId);
  }

  // memberships
  addMember(inbox: string, handle: string, at: Date): Promise<Membership> {
    return this.members.add(inbox, handle, at);
  }
  removeMember(inbox: string, handle: string): Promise<boolean> {
    return this.members.remove(inbox, handle);
  }
  listMembers(inbox: string): Promise<Membership[]> {
    return this.members.list(inbox);
  }
  membersAfter(inbox: string, afterSeq: number, limit: number): Promise<Membership[]> {
    return this.members.after(inbox, afterSeq, limit);
  }
  countMembers(inbox: string): Promise<number> {
    return this.members.count(inbox);
  }
  membersVersion(inbox: string): Promise<number> {
    return this.inboxes.membersVersion(inbox);
  }
  bumpMembersVersion(inbox: string, expected: number): Promise<boolean> {
    return this.inboxes.bumpMembersVersion(inbox, expected);
  }
  listMemberships(handle: string): Promise<Membership[]> {
    return this.members.ofAgent(handle);
  }

  // conversations
  openConversation(inbox: string, customer: Customer, at: Date): Promise<{ conversation: Conversation; created: boolean }> {
    return this.conversations.open(inbox, customer, at);
  }
  getConversation(number: number): Promise<Conversation | null> {
    return this.conversations.get(number);
  }
  updateConversation(number: number, condition: ConversationCondition, update: ConversationUpdate): Promise<Conversation | null> {
    return this.conversations.update(number, condition, update);
  }
  listConversations(filter: ConversationFilter, page: PageRequest): Promise<Page<Conversation>> {
    return this.conversations.list(filter, page);
  }
  listWaiting(inbox: string, statuses: readonly ConversationStatus[], limit: number): Promise<Conversation[]> {
    return this.conversations.waiting(inbox, statuses, limit);
  }
  listAssigned(handle: string): Promise<Conversation[]> {
    return this.conversations.assignedTo(handle);
  }

  // messages and history
  addMessage(message: Message): Promise<void> {
    return this.logs.addMessage(message);
  }
  listMessages(conversation: number, last?: number): Promise<Message[]> {
    return this.logs.listMessages(conversation, last);
  }
  countMessages(conversation: number): Promise<number> {
    return this.logs.countMessages(conversation);
  }
  addHistory(event: HistoryEvent): Promise<StoredHistoryEvent> {
    return this.logs.addHistory(event);
  }
  listHistory(filter: HistoryFilter, page: PageRequest): Promise<Page<StoredHistoryEvent>> {
    return this.logs.listHistory(filter, page);
  }

  // each call is acknowledged by the server once it is written: nothing waits in this process
  deferred(): Store {
    return this;
  }
  async flush(): Promise<void> {}

  // platform bookkeeping
  recordDelivery(key: string, at: Date): Promise<boolean> {
    return this.bookkeeping.recordDelivery(key, at);
  }
  linkMessage(link: MessageLink): Promise<void> {
    return this.bookkeeping.linkMessage(link);
  }
  findLinkedConversation(platform: Platform, chatId: string, messageId: string): Promise<number | null> {
    return this.bookkeeping.findLinkedConversation(platform, chatId, messageId);
  }
  saveThread(thread: ThreadRef): Promise<void> {
    return this.bookkeeping.saveThread(thread);
  }
  findThread(conversation: number, handle: string, platform: Platform): Promise<ThreadRef | null> {
    return this.bookkeeping.findThread(conversation, handle, platform);
  }

  // invites
  createInvite(invite: Invite): Promise<void> {
    return this.bookkeeping.createInvite(invite);
  }
  consumeInvite(code: string, at: Date): Promise<string | null> {
    return this.bookkeeping.consumeInvite(code, at);
  }

  // offboardings
  createOffboarding(offboarding: Offboarding): Promise<void> {
    return this.offboardings.create(offboarding);
  }
  getOffboarding(id: string): Promise<Offboarding | null> {
    return this.offboardings.get(id);
  }
  findOffboardingByCode(code: string): Promise<Offboarding | null> {
    return this.offboardings.findByCode(code);
  }
  transitionOffboarding(
    id: string,
    from: OffboardingState,
    to: OffboardingState,
    fields?: Partial<Pick<Offboarding, 'confirmedAt' | 'finishedAt' | 'summary' | 'reinstatedAt'>>,
  ): Promise<Offboarding | null> {
    return this.offboardings.transition(id, from, to, fields);
  }
  listOffboardings(filter: { state?: OffboardingState; agent?: string }): Promise<Offboarding[]> {
    return this.offboardings.list(filter);
  }

  // intake, lanes and outbox
  isHandled(key: string): Promise<boolean> {
    return this.bookkeeping.isHandled(key);
  }
  saveIntake(record: IntakeRecord): Promise<boolean> {
    return this.kept().saveIntake(record);
  }
  listIntake(filter: { lane?: string | undefined }, limit: number): Promise<IntakeRecord[]> {
    return this.kept().listIntake(filter, limit);
  }
  dropIntake(key: string): Promise<void> {
    return this.kept().dropIntake(key);
  }
  countIntake(): Promise<number> {
    return this.kept().countIntake();
  }
  acquireLane(lane: string, owner: string, now: Date, until: Date): Promise<boolean> {
    return this.kept().acquireLane(lane, owner, now, until);
  }
  releaseLane(lane: string, owner: string): Promise<void> {
    return this.kept().releaseLane(lane, owner);
  }
  addOutbox(record: OutboxInput): Promise<OutboxRecord | null> {
    return this.kept().addOutbox(record);
  }
  updateOutbox(key: string, patch: OutboxPatch): Promise<void> {
    return this.kept().updateOutbox(key, patch);
  }
  claimOutbox(key: string, seen: Date, until: Date): Promise<boolean> {
    return this.kept().claimOutbox(key, seen, until);
  }
  dropOutbox(key: string): Promise<void> {
    return this.kept().dropOutbox(key);
  }
  listOutbox(limit: number): Promise<OutboxRecord[]> {
    return this.kept().listOutbox(limit);
  }
  countOutbox(): Promise<number> {
    return this.kept().countOutbox();
  }
  private kept(): DurableRepo {
    if (!this.durable) throw new Error('this MongoStore was built without its intake and outbox collections (use connectMongoStore)');
    return this.durable;
  }

  // lifecycle
  /** A real round trip to the server, false when it does not answer within a short time. */
  ping(): Promise<boolean> {
    return pingDatabase(this.conn);
  }
  async close(): Promise<void> {
    this.closing = true;
    await this.conn.close();
  }
}
