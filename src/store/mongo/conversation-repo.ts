import type { Model } from 'mongoose';
import {
  StoreConflict,
  type Conversation,
  type ConversationCondition,
  type ConversationFilter,
  type ConversationStatus,
  type ConversationUpdate,
  type Customer,
  type Page,
  type PageRequest,
} from '../../core/index.js';
import { giveBackNumber, takeNumber } from './counters.js';
import type { ConversationDoc, CounterDoc } from './documents.js';
import { duplicateKey, isDuplicateOn } from './duplicate-key.js';
import { toConversation } from './mappers.js';
import { INDEX } from './schemas.js';
import { op } from './filters.js';
import { numericAfter, toPage } from './paging.js';
import { isEmptyUpdate, setUnset } from './update-builder.js';

const UPDATABLE = ['status', 'assignee', 'updatedAt', 'closedAt', 'waitingSince', 'excluded', 'redirects', 'queuedNoticeSent', 'lastMessageText'];
const CLEARABLE = ['closedAt', 'waitingSince', 'lastMessageText'];
const OPEN_CUSTOMER_FIELDS = ['inbox', 'customer.platform', 'customer.id'];
const OPEN_ATTEMPTS = 5;

export class ConversationRepo {
  /** The last opening started in this process per inbox and customer (see `open`). */
  private readonly openings = new Map<string, Promise<unknown>>();

  constructor(
    private readonly conversations: Model<ConversationDoc>,
    private readonly counters: Model<CounterDoc>,
  ) {}

  /**
   * The customer's open conversation, or a new one.
   *
   * Correctness under concurrency, also across processes, comes from the unique partial index on
   * open conversations per {inbox, customer}: the loser of two simultaneous openings reads the
   * winner's. The loser has already taken a number: it gives it back, and the next new
   * conversation takes it, so no number is left out that a customer could notice. Openings for the
   * same customer in this process also wait for each other, so that only the first takes a number.
   */
  async open(inbox: string, customer: Customer, at: Date): Promise<{ conversation: Conversation; created: boolean }> {
    const key = JSON.stringify([inbox, customer.platform, customer.id]);
    const previous = this.openings.get(key) ?? Promise.resolve();
    const opening = previous.then(() => this.openOnce(inbox, customer, at));
    const settled = opening.catch(() => undefined);
    this.openings.set(key, settled);
    try {
      return await opening;
    } finally {
      if (this.openings.get(key) === settled) this.openings.delete(key);
    }
  }

  private async openOnce(inbox: string, customer: Customer, at: Date): Promise<{ conversation: Conversation; created: boolean }> {
    const key = { inbox, 'customer.platform': customer.platform, 'customer.id': customer.id, open: true };
    for (let attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
      const existing = await this.conversations.findOne(key).lean<ConversationDoc>();
      if (existing) return { conversation: toConversation(existing), created: false };
      const doc: ConversationDoc = {
        number: await takeNumber(this.counters),
        inbox,
        status: 'queued',
        open: true,
        assignee: null,
        customer: {
          platform: customer.platform,
          id: customer.id,
          name: customer.name,
          chatId: customer.chatId,
          ...(customer.threadId !== undefined ? { threadId: customer.threadId } : {}),
        },
        createdAt: at,
        updatedAt: at,
        excluded: [],
        redirects: 0,
        queuedNoticeSent: false,
      };
      try {
        await this.conversations.insertOne(doc);
        return { conversation: toConversation(doc), created: true };
      } catch (error) {
        if (!duplicateKey(error)) throw error;
        // Another process opened this customer's conversation first (the next turn reads it), and
        // the number went unused: give it back. Checked rather than told by the index's name, which
        // some compatible servers leave out: a number that is stored is never given back.
        if (!(await this.conversations.exists({ number: doc.number }))) await giveBackNumber(this.counters, doc.number);
      }
    }
    throw new Error(`could not open a conversation in ${inbox} after ${OPEN_ATTEMPTS} attempts`);
  }

  async get(number: number): Promise<Conversation | null> {
    const doc = await this.conversations.findOne({ number }).lean<ConversationDoc>();
    return doc ? toConversation(doc) : null;
  }

  /** One conditional update: the expected status, assignee and wait are part of the filter. */
  async update(number: number, condition: ConversationCondition, patch: ConversationUpdate): Promise<Conversation | null> {
    const filter = {
      number,
      ...(condition.status !== undefined ? { status: op({ $in: [...condition.status] }) } : {}),
      ...(condition.assignee !== undefined ? { assignee: condition.assignee } : {}),
      // null matches a conversation without a wait (the field is unset, never stored as null)
      ...(condition.waitingSince !== undefined ? { waitingSince: condition.waitingSince } : {}),
      ...(condition.queuedNoticeSent !== undefined ? { queuedNoticeSent: condition.queuedNoticeSent } : {}),
    };
    const update = setUnset(patch, UPDATABLE, CLEARABLE);
    if (update.$set?.status !== undefined) update.$set.open = update.$set.status !== 'closed';
    if (isEmptyUpdate(update)) {
      const doc = await this.conversations.findOne(filter).lean<ConversationDoc>();
      return doc ? toConversation(doc) : null;
    }
    try {
      const doc = await this.conversations.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean<ConversationDoc>();
      return doc ? toConversation(doc) : null;
    } catch (error) {
      // Reopening a closed conversation while the customer has another open one in the inbox.
      if (isDuplicateOn(error, INDEX.openCustomer, OPEN_CUSTOMER_FIELDS)) {
        throw new StoreConflict(`the customer of #${number} already has an open conversation`, 'status');
      }
      throw error;
    }
  }

  async list(filter: ConversationFilter, page: PageRequest): Promise<Page<Conversation>> {
    if (page.limit <= 0) return { items: [], next: null };
    const after = numericAfter(page.after);
    const docs = await this.conversations
      .find({
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.assignee !== undefined ? { assignee: filter.assignee } : {}),
        ...(filter.inbox !== undefined ? { inbox: filter.inbox } : {}),
        ...(after !== undefined ? { number: op({ $gt: after }) } : {}),
      })
      .sort({ number: 1 })
      .limit(page.limit + 1)
      .lean<ConversationDoc[]>();
    return toPage(docs, page.limit, toConversation, (c) => c.number);
  }

  async waiting(inbox: string, statuses: readonly ConversationStatus[], limit: number): Promise<Conversation[]> {
    if (limit <= 0 || statuses.length === 0) return [];
    const docs = await this.conversations
      .find({ inbox, status: op({ $in: [...statuses] }) })
      .sort({ number: 1 })
      .limit(limit)
      .lean<ConversationDoc[]>();
    return docs.map(toConversation);
  }

  async assignedTo(handle: string): Promise<Conversation[]> {
    const docs = await this.conversations.find({ assignee: handle, status: 'assigned' }).sort({ number: 1 }).lean<ConversationDoc[]>();
    return docs.map(toConversation);
  }
}
