import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import type { CounterDoc } from './documents.js';
import { duplicateKey } from './duplicate-key.js';

export type CounterName = 'conversation' | 'membership';

/**
 * The next value of a named sequence (1, 2, 3, …): one atomic `$inc` with upsert on the counter
 * document. Two first-ever upserts may race on the `_id`; the loser simply tries again.
 */
export async function nextSeq(counters: Model<CounterDoc>, name: CounterName): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const doc = await counters
        .findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
        .lean<CounterDoc>();
      if (!doc) throw new Error(`counter ${name} was not returned`);
      return doc.seq;
    } catch (error) {
      if (attempt < 3 && duplicateKey(error)) continue;
      throw error;
    }
  }
}

const CONVERSATION = 'conversation';
const spare = { $ifNull: ['$spare', []] };

/** The conversation counter as the driver sees it (an update pipeline, which mongoose would not cast). */
interface NumberCounter {
  _id: string;
  seq: number;
  spare?: number[];
  taken?: number;
}
function raw(counters: Model<CounterDoc>): Collection<NumberCounter> {
  return counters.collection as unknown as Collection<NumberCounter>;
}

/**
 * The number for a new conversation: the lowest one given back (see `giveBackNumber`), else the
 * next of the sequence, in one atomic update of the counter document (numbers given back are kept
 * on it, in `spare`).
 */
export async function takeNumber(counters: Model<CounterDoc>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const doc = await raw(counters).findOneAndUpdate(
        { _id: CONVERSATION },
        [
          { $set: { taken: { $cond: [{ $gt: [{ $size: spare }, 0] }, { $min: spare }, { $add: [{ $ifNull: ['$seq', 0] }, 1] }] } } },
          { $set: { seq: { $max: [{ $ifNull: ['$seq', 0] }, '$taken'] }, spare: { $filter: { input: spare, cond: { $ne: ['$$this', '$taken'] } } } } },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      const taken = doc?.taken;
      if (typeof taken !== 'number') throw new Error('the conversation counter returned no number');
      return taken;
    } catch (error) {
      if (attempt < 3 && duplicateKey(error)) continue;
      throw error;
    }
  }
}

/**
 * A number taken for a conversation that was certainly not stored (another process opened the
 * customer's conversation first): the next new conversation takes it, so customers see no gap.
 */
export async function giveBackNumber(counters: Model<CounterDoc>, number: number): Promise<void> {
  await raw(counters).updateOne({ _id: CONVERSATION }, { $addToSet: { spare: number } });
}
