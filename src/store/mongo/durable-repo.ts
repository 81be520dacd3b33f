import { Schema, type Connection, type Model } from 'mongoose';
import { PLATFORMS, type IntakeRecord, type OutboxInput, type OutboxPatch, type OutboxRecord, type Platform } from '../../core/index.js';
import { duplicateKey } from './duplicate-key.js';
import { op } from './filters.js';

interface IntakeDoc {
  _id: string;
  platform: Platform;
  lane: string;
  order: number;
  payload: unknown;
  receivedAt: Date;
}
interface LaneDoc {
  _id: string;
  owner: string;
  until: Date;
}
interface OutboxDoc {
  _id: string;
  lane: string;
  seq: number;
  message: unknown;
  state: 'pending' | 'sent';
  createdAt: Date;
  attempts: number;
  nextAt: Date;
  lastError?: string;
  sentAt?: Date;
  /** Set once sent: the TTL index removes the record a day later. */
  expireAt?: Date;
}
interface SeqDoc {
  _id: string;
  seq: number;
}

const SENT_KEPT_MS = 24 * 3600_000;
const strict = { strict: 'throw', strictQuery: 'throw', versionKey: false, id: false } as const;

const intakeSchema = new Schema<IntakeDoc>(
  {
    _id: { type: String, required: true },
    platform: { type: String, required: true, enum: PLATFORMS },
    lane: { type: String, required: true },
    order: { type: Number, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    receivedAt: { type: Date, required: true },
  },
  { ...strict, collection: 'intake', minimize: false },
);
intakeSchema.index({ lane: 1, order: 1, receivedAt: 1 });
intakeSchema.index({ order: 1, receivedAt: 1 });

const laneSchema = new Schema<LaneDoc>(
  { _id: { type: String, required: true }, owner: { type: String, required: true }, until: { type: Date, required: true } },
  { ...strict, collection: 'lanes' },
);

const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    lane: { type: String, required: true },
    seq: { type: Number, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    state: { type: String, required: true, enum: ['pending', 'sent'] },
    createdAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
    nextAt: { type: Date, required: true },
    lastError: String,
    sentAt: Date,
    expireAt: Date,
  },
  { ...strict, collection: 'outbox', minimize: false },
);
// pending records in send order; sent ones leave a day after they went out
outboxSchema.index({ state: 1, seq: 1 });
outboxSchema.index({ expireAt: 1 }, { expireAfterSeconds: 0 });

const seqSchema = new Schema<SeqDoc>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { ...strict, collection: 'counters' });

export interface DurableModels {
  intake: Model<IntakeDoc>;
  lanes: Model<LaneDoc>;
  outbox: Model<OutboxDoc>;
  counters: Model<SeqDoc>;
}

/** Registers the intake, lane and outbox models on this connection and creates their indexes. */
export async function createDurableModels(conn: Connection): Promise<DurableModels> {
  const models: DurableModels = {
    intake: conn.model<IntakeDoc>('Intake', intakeSchema),
    lanes: conn.model<LaneDoc>('Lane', laneSchema),
    outbox: conn.model<OutboxDoc>('Outbox', outboxSchema),
    // the shared counters collection; only the 'outbox' document is used here
    counters: conn.models.OutboxCounter ?? conn.model<SeqDoc>('OutboxCounter', seqSchema),
  };
  await Promise.all([models.intake.createIndexes(), models.lanes.createIndexes(), models.outbox.createIndexes()]);
  return models;
}

/** What "nothing is lost" keeps in MongoDB: acknowledged updates, lane leases, messages on their way. */
export class DurableRepo {
  constructor(private readonly m: DurableModels) {}

  async saveIntake(record: IntakeRecord): Promise<boolean> {
    try {
      await this.m.intake.insertOne({
        _id: record.key,
        platform: record.platform,
        lane: record.lane,
        order: record.order,
        payload: record.payload,
        receivedAt: record.receivedAt,
      });
      return true;
    } catch (error) {
      if (duplicateKey(error)) return false;
      throw error;
    }
  }

  async listIntake(filter: { lane?: string | undefined }, limit: number): Promise<IntakeRecord[]> {
    const docs = await this.m.intake
      .find(filter.lane !== undefined ? { lane: filter.lane } : {})
      .sort({ order: 1, receivedAt: 1 })
      .limit(limit)
      .lean<IntakeDoc[]>();
    return docs.map((d) => ({ key: d._id, platform: d.platform, lane: d.lane, order: d.order, payload: d.payload, receivedAt: d.receivedAt }));
  }

  async dropIntake(key: string): Promise<void> {
    await this.m.intake.deleteOne({ _id: key });
  }

  countIntake(): Promise<number> {
    return this.m.intake.countDocuments({});
  }

  /**
   * One conditional upsert: the lease is taken when it is free, expired, or already ours. When
   * another process holds it, the filter matches nothing and the upsert's insert hits the unique
   * `_id`: a duplicate key means "held".
   */
  async acquireLane(lane: string, owner: string, now: Date, until: Date): Promise<boolean> {
    try {
      await this.m.lanes.updateOne(
        { _id: lane, $or: [{ owner }, { until: op({ $lte: now }) }] },
        { $set: { owner, until } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (duplicateKey(error)) return false;
      throw error;
    }
  }

  async releaseLane(lane: string, owner: string): Promise<void> {
    await this.m.lanes.deleteOne({ _id: lane, owner });
  }

  async addOutbox(input: OutboxInput): Promise<OutboxRecord | null> {
    const counter = await this.m.counters
      .findOneAndUpdate({ _id: 'outbox' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
      .lean<SeqDoc>();
    const seq = counter?.seq ?? 0;
    const doc: OutboxDoc = {
      _id: input.key,
      lane: input.lane,
      seq,
      message: input.message,
      state: 'pending',
      createdAt: input.createdAt,
      attempts: input.attempts,
      nextAt: input.nextAt,
      ...(input.lastError !== undefined ? { lastError: input.lastError } : {}),
    };
    try {
      await this.m.outbox.insertOne(doc);
    } catch (error) {
      if (duplicateKey(error)) return null;
      throw error;
    }
    return toOutbox(doc);
  }

  async updateOutbox(key: string, patch: OutboxPatch): Promise<void> {
    const set: Partial<OutboxDoc> = {};
    if (patch.attempts !== undefined) set.attempts = patch.attempts;
    if (patch.nextAt !== undefined) set.nextAt = patch.nextAt;
    if (patch.lastError !== undefined) set.lastError = patch.lastError;
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.sentAt !== undefined) {
      set.sentAt = patch.sentAt;
      set.expireAt = new Date(patch.sentAt.getTime() + SENT_KEPT_MS);
    }
    await this.m.outbox.updateOne({ _id: key }, { $set: set });
  }

  /** Compare-and-set on nextAt: one conditional update, so two processes never take one record. */
  async claimOutbox(key: string, seen: Date, until: Date): Promise<boolean> {
    const r = await this.m.outbox.updateOne({ _id: key, state: 'pending', nextAt: seen }, { $set: { nextAt: until } });
    return r.modifiedCount === 1;
  }

  async dropOutbox(key: string): Promise<void> {
    await this.m.outbox.deleteOne({ _id: key });
  }

  async listOutbox(limit: number): Promise<OutboxRecord[]> {
    const docs = await this.m.outbox.find({ state: 'pending' }).sort({ seq: 1 }).limit(limit).lean<OutboxDoc[]>();
    return docs.map(toOutbox);
  }

  countOutbox(): Promise<number> {
    return this.m.outbox.countDocuments({ state: 'pending' });
  }
}

function toOutbox(d: OutboxDoc): OutboxRecord {
  return {
    key: d._id,
    lane: d.lane,
    seq: d.seq,
    message: d.message as OutboxRecord['message'],
    state: d.state,
    createdAt: d.createdAt,
    attempts: d.attempts,
    nextAt: d.nextAt,
    ...(d.lastError !== undefined ? { lastError: d.lastError } : {}),
    ...(d.sentAt !== undefined ? { sentAt: d.sentAt } : {}),
  };
}
