import { duplicateKey } from './duplicate-key.js';
import type { Model } from 'mongoose';
import type { HistoryEvent, HistoryFilter, Message, Page, PageRequest, StoredHistoryEvent } from '../../core/index.js';
import { nextSeq } from './counters.js';
import type { CounterDoc, HistoryDoc, MessageDoc } from './documents.js';
import { toHistory, toMessage } from './mappers.js';
import { op } from './filters.js';
import { numericAfter, toPage } from './paging.js';

/** The append-only logs: messages of conversations and the assignment history. */
export class HistoryRepo {
  constructor(
    private readonly messages: Model<MessageDoc>,
    private readonly history: Model<HistoryDoc>,
    private readonly counters: Model<CounterDoc>,
  ) {}

  /** A message with a key already stored for the conversation is not added again (the unique partial index says so). */
  async addMessage(message: Message): Promise<void> {
    try {
      await this.messages.insertOne({
        conversation: message.conversation,
        from: message.from,
        ...(message.handle !== undefined ? { handle: message.handle } : {}),
        text: message.text,
        at: message.at,
        ...(message.original ? { original: { ...message.original } } : {}),
        ...(message.key !== undefined ? { key: message.key } : {}),
      });
    } catch (error) {
      if (message.key !== undefined && duplicateKey(error)) return;
      throw error;
    }
  }

  /** In time order; messages with the same time in the order they were added (by _id). */
  async listMessages(conversation: number, last?: number): Promise<Message[]> {
    if (last === undefined) {
      const docs = await this.messages.find({ conversation }).sort({ at: 1, _id: 1 }).lean<MessageDoc[]>();
      return docs.map(toMessage);
    }
    // the latest `last` through the index, newest first, then back into time order
    const docs = await this.messages.find({ conversation }).sort({ at: -1, _id: -1 }).limit(Math.max(0, last)).lean<MessageDoc[]>();
    return docs.reverse().map(toMessage);
  }

  countMessages(conversation: number): Promise<number> {
    return this.messages.countDocuments({ conversation });
  }

  async addHistory(event: HistoryEvent): Promise<StoredHistoryEvent> {
    const doc: HistoryDoc = {
      seq: await nextSeq(this.counters, 'history'),
      conversation: event.conversation,
      reason: event.reason,
      from: event.from,
      to: event.to,
      actor: event.actor,
      ...(event.note !== undefined ? { note: event.note } : {}),
      at: event.at,
      ...(event.offboarding !== undefined ? { offboarding: event.offboarding } : {}),
    };
    await this.history.insertOne(doc);
    return toHistory(doc);
  }

  async listHistory(filter: HistoryFilter, page: PageRequest): Promise<Page<StoredHistoryEvent>> {
    if (page.limit <= 0) return { items: [], next: null };
    const after = numericAfter(page.after);
    const docs = await this.history
      .find({
        ...(filter.conversation !== undefined ? { conversation: filter.conversation } : {}),
        ...(filter.offboarding !== undefined ? { offboarding: filter.offboarding } : {}),
        ...(filter.agent !== undefined ? { $or: [{ from: filter.agent }, { to: filter.agent }, { actor: filter.agent }] } : {}),
        ...(after !== undefined ? { seq: op({ $gt: after }) } : {}),
      })
      .sort({ seq: 1 })
      .limit(page.limit + 1)
      .lean<HistoryDoc[]>();
    return toPage(docs, page.limit, toHistory, (e) => e.seq);
  }
}
