import type { Model } from 'mongoose';
import type { HistoryEvent, HistoryFilter, Message, Page, PageRequest, StoredHistoryEvent } from '../../core/index.js';
import type { HistoryDoc, MessageDoc } from './documents.js';
import { duplicateKey } from './duplicate-key.js';
import { KeyLock } from './key-lock.js';
import { toHistory, toMessage } from './mappers.js';
import { op } from './filters.js';
import { numericAfter, toPage } from './paging.js';

/** Appends that lost their place to another process, in a row, before the append gives up. */
const APPEND_TRIES = 200;

/**
 * The append-only logs: messages of conversations and the assignment history.
 *
 * History `seq` is the order events became visible, with no holes: an event takes seq n+1 only
 * once n is stored (read as the highest stored seq), and the unique index on seq turns away a
 * second writer of the same place, which then reads the highest again and takes the next.
 * So the stored seqs are always 1…n, and an event written while someone pages always lands after
 * everything already there: a reader paging by seq never misses one. (Taking seq from a counter
 * first left a window in which n+1 could be stored and read before n.) Appends of this process
 * take turns, so they never race each other for a place; each reads the highest seq afresh, so
 * that appends of several processes win places about equally (a process that remembered its
 * last place would keep winning, one insert ahead, and starve the others).
 */
export class HistoryRepo {
  private readonly appends = new KeyLock();

  constructor(
    private readonly messages: Model<MessageDoc>,
    private readonly history: Model<HistoryDoc>,
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

  addHistory(event: HistoryEvent): Promise<StoredHistoryEvent> {
    return this.appends.run('history', () => this.append(event));
  }

  private async append(event: HistoryEvent): Promise<StoredHistoryEvent> {
    for (let attempt = 1; ; attempt++) {
      const doc: HistoryDoc = {
        seq: (await this.highestSeq()) + 1,
        conversation: event.conversation,
        reason: event.reason,
        from: event.from,
        to: event.to,
        actor: event.actor,
        ...(event.note !== undefined ? { note: event.note } : {}),
        at: event.at,
        ...(event.offboarding !== undefined ? { offboarding: event.offboarding } : {}),
      };
      try {
        await this.history.insertOne(doc);
        return toHistory(doc);
      } catch (error) {
        // The only unique index of history is seq's: another process took this place first.
        if (attempt >= APPEND_TRIES || !duplicateKey(error)) throw error;
        // a pause of a few milliseconds, different each time, so that two losers do not meet again
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 5)));
      }
    }
  }

  /** The highest stored seq (0 for none): every seq up to it is stored. */
  private async highestSeq(): Promise<number> {
    const top = await this.history.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean<Pick<HistoryDoc, 'seq'>>();
    return top?.seq ?? 0;
  }

  async listHistory(filter: HistoryFilter, page: PageRequest): Promise<Page<StoredHistoryEvent>> {
    if (page.limit <= 0) return { items: [], next: null };
    const after = numericAfter(page.after);
    // Every seq up to the highest at this moment is stored: reading only up to it, the page never
    // holds an event stored after one it lacks, whatever the server shows of later writes meanwhile.
    const upTo = await this.highestSeq();
    const seq = { ...(after !== undefined ? { $gt: after } : {}), $lte: upTo };
    const docs = await this.history
      .find({
        ...(filter.conversation !== undefined ? { conversation: filter.conversation } : {}),
        ...(filter.offboarding !== undefined ? { offboarding: filter.offboarding } : {}),
        ...(filter.agent !== undefined ? { $or: [{ from: filter.agent }, { to: filter.agent }, { actor: filter.agent }] } : {}),
        seq: op(seq),
      })
      .sort({ seq: 1 })
      .limit(page.limit + 1)
      .lean<HistoryDoc[]>();
    return toPage(docs, page.limit, toHistory, (e) => e.seq);
  }
}
