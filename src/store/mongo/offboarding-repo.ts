import type { Model } from 'mongoose';
import { StoreConflict, type Offboarding, type OffboardingState } from '../../core/index.js';
import type { OffboardingDoc } from './documents.js';
import { duplicateKey } from './duplicate-key.js';
import { toOffboarding } from './mappers.js';
import { INDEX } from './schemas.js';
import { setUnset } from './update-builder.js';

type TransitionFields = Partial<Pick<Offboarding, 'confirmedAt' | 'finishedAt' | 'summary' | 'reinstatedAt'>>;
const TRANSITION_FIELDS = ['confirmedAt', 'finishedAt', 'summary', 'reinstatedAt'];

/** Offboardings are one document each, plan included (10,000 moves stay far below the 16 MB limit). */
export class OffboardingRepo {
  constructor(private readonly offboardings: Model<OffboardingDoc>) {}

  async create(o: Offboarding): Promise<void> {
    const doc: OffboardingDoc = {
      id: o.id,
      code: o.code,
      agent: o.agent,
      supervisor: o.supervisor,
      mode: o.mode,
      ...(o.until !== undefined ? { until: o.until } : {}),
      command: o.command,
      plan: o.plan.map((m) => ({ conversation: m.conversation, inbox: m.inbox, to: m.to })),
      inboxes: [...o.inboxes],
      state: o.state,
      createdAt: o.createdAt,
      expiresAt: o.expiresAt,
      ...(o.confirmedAt !== undefined ? { confirmedAt: o.confirmedAt } : {}),
      ...(o.finishedAt !== undefined ? { finishedAt: o.finishedAt } : {}),
      ...(o.reinstatedAt !== undefined ? { reinstatedAt: o.reinstatedAt } : {}),
      ...(o.summary !== undefined ? { summary: o.summary } : {}),
    };
    try {
      await this.offboardings.insertOne(doc);
    } catch (error) {
      const dup = duplicateKey(error);
      if (!dup) throw error;
      const field = dup.index === INDEX.offboardingCode || dup.fields[0] === 'code' ? 'code' : 'id';
      throw new StoreConflict(`offboarding ${field} exists`, field);
    }
  }

  async get(id: string): Promise<Offboarding | null> {
    const doc = await this.offboardings.findOne({ id }).lean<OffboardingDoc>();
    return doc ? toOffboarding(doc) : null;
  }

  async findByCode(code: string): Promise<Offboarding | null> {
    const doc = await this.offboardings.findOne({ code }).lean<OffboardingDoc>();
    return doc ? toOffboarding(doc) : null;
  }

  /** One conditional update: the expected state is part of the filter. */
  async transition(id: string, from: OffboardingState, to: OffboardingState, fields: TransitionFields = {}): Promise<Offboarding | null> {
    const extra = setUnset(fields, TRANSITION_FIELDS, TRANSITION_FIELDS);
    const doc = await this.offboardings
      .findOneAndUpdate(
        { id, state: from },
        { $set: { ...extra.$set, state: to }, ...(extra.$unset ? { $unset: extra.$unset } : {}) },
        { returnDocument: 'after' },
      )
      .lean<OffboardingDoc>();
    return doc ? toOffboarding(doc) : null;
  }

  async list(filter: { state?: OffboardingState; agent?: string }): Promise<Offboarding[]> {
    const docs = await this.offboardings
      .find({
        ...(filter.state !== undefined ? { state: filter.state } : {}),
        ...(filter.agent !== undefined ? { agent: filter.agent } : {}),
      })
      .sort({ createdAt: 1, _id: 1 })
      .lean<OffboardingDoc[]>();
    return docs.map(toOffboarding);
  }
}
