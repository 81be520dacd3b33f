import type { Model } from 'mongoose';
import type { Membership } from '../../core/index.js';
import { nextSeq } from './counters.js';
import type { CounterDoc, MembershipDoc } from './documents.js';
import { duplicateKey } from './duplicate-key.js';
import { toMembership } from './mappers.js';
import { op } from './filters.js';
import type { MemberCopies } from './member-copies.js';

/** Members of an inbox in seq order are its rotation; seq comes from one deployment-wide counter. */
export class MembershipRepo {
  constructor(
    private readonly memberships: Model<MembershipDoc>,
    private readonly counters: Model<CounterDoc>,
    private readonly copies: MemberCopies,
  ) {}

  async add(inbox: string, handle: string, at: Date): Promise<Membership> {
    const existing = await this.memberships.findOne({ inbox, handle }).lean<MembershipDoc>();
    if (existing) return toMembership(existing);
    const seq = await nextSeq(this.counters, 'membership');
    // The unique {inbox, handle} index decides between simultaneous joins: the upsert inserts only
    // when no membership exists, and otherwise returns the one that won.
    for (let attempt = 1; ; attempt++) {
      try {
        const doc = await this.memberships
          .findOneAndUpdate(
            { inbox, handle },
            { $setOnInsert: { seq, joinedAt: at } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean<MembershipDoc>();
        if (!doc) throw new Error(`membership of @${handle} in ${inbox} was not returned`);
        // routing finds the member only through the copy of its agent's fields
        await this.copies.adopt(handle);
        return toMembership(doc);
      } catch (error) {
        if (attempt < 3 && duplicateKey(error)) continue;
        throw error;
      }
    }
  }

  async remove(inbox: string, handle: string): Promise<boolean> {
    const result = await this.memberships.deleteOne({ inbox, handle });
    return result.deletedCount === 1;
  }

  async list(inbox: string): Promise<Membership[]> {
    const docs = await this.memberships.find({ inbox }).sort({ seq: 1 }).lean<MembershipDoc[]>();
    return docs.map(toMembership);
  }

  async after(inbox: string, afterSeq: number, limit: number): Promise<Membership[]> {
    if (limit <= 0) return [];
    const docs = await this.memberships
      .find({ inbox, seq: op({ $gt: afterSeq }) })
      .sort({ seq: 1 })
      .limit(limit)
      .lean<MembershipDoc[]>();
    return docs.map(toMembership);
  }

  async count(inbox: string): Promise<number> {
    return this.memberships.countDocuments({ inbox });
  }

  async ofAgent(handle: string): Promise<Membership[]> {
    const docs = await this.memberships.find({ handle }).sort({ seq: 1 }).lean<MembershipDoc[]>();
    return docs.map(toMembership);
  }
}
