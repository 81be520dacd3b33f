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
