import type { Model } from 'mongoose';
import { StoreConflict, type Agent, type AgentCondition, type AgentPatch, type Page, type PageRequest, type Platform, type SlotOptions } from '../../core/index.js';
import type { AgentDoc } from './documents.js';
import { duplicateKey } from './duplicate-key.js';
import { toAgent } from './mappers.js';
import { INDEX } from './schemas.js';
import { op } from './filters.js';
import { toPage } from './paging.js';
import { isEmptyUpdate, setUnset } from './update-builder.js';
import type { MemberCopies } from './member-copies.js';

const PATCHABLE = ['name', 'role', 'status', 'availability', 'capacity', 'homePlatform', 'telegramUserId', 'telegramUsername', 'slackUserId'];
const CLEARABLE = ['telegramUserId', 'telegramUsername', 'slackUserId'];
/** The fields routing copies onto memberships (see MemberCopies): a write to one bumps `rev`. */
const ROUTING = ['status', 'availability', 'capacity'];

export class AgentRepo {
  constructor(
    private readonly agents: Model<AgentDoc>,
    private readonly copies: MemberCopies,
  ) {}

  async create(agent: Agent): Promise<Agent> {
    const doc: AgentDoc = {
      handle: agent.handle,
      name: agent.name,
      role: agent.role,
      status: agent.status,
      availability: agent.availability,
      capacity: agent.capacity,
      openCount: agent.openCount,
      homePlatform: agent.homePlatform,
      ...withIdentities(agent),
      createdAt: agent.createdAt,
      rev: 0,
    };
    try {
      await this.agents.insertOne(doc);
    } catch (error) {
      throw conflict(error, agent.handle) ?? error;
    }
    return toAgent(doc);
  }

  async get(handle: string): Promise<Agent | null> {
    const doc = await this.agents.findOne({ handle }).lean<AgentDoc>();
    return doc ? toAgent(doc) : null;
  }

  async getMany(handles: readonly string[]): Promise<Agent[]> {
    if (handles.length === 0) return [];
    const docs = await this.agents.find({ handle: op({ $in: [...handles] }) }).lean<AgentDoc[]>();
    return docs.map(toAgent);
  }

  async findByIdentity(platform: Platform, userId: string): Promise<Agent | null> {
    const filter = platform === 'telegram' ? { telegramUserId: userId } : { slackUserId: userId };
    const doc = await this.agents.findOne(filter).lean<AgentDoc>();
    return doc ? toAgent(doc) : null;
  }

  async findByTelegramUsername(username: string): Promise<Agent | null> {
    const doc = await this.agents.findOne({ telegramUsernameLower: username.toLowerCase() }).lean<AgentDoc>();
    return doc ? toAgent(doc) : null;
  }

  async update(handle: string, patch: AgentPatch, condition?: AgentCondition): Promise<Agent | null> {
    const update = setUnset(patch, PATCHABLE, CLEARABLE);
    if ('telegramUsername' in patch) {
      const username = patch.telegramUsername;
      if (username === undefined) update.$unset = { ...update.$unset, telegramUsernameLower: '' };
      else update.$set = { ...update.$set, telegramUsernameLower: username.toLowerCase() };
    }
    const filter = { handle, ...(condition?.status ? { status: op({ $in: [...condition.status] }) } : {}) };
    if (isEmptyUpdate(update)) return (await this.agents.findOne(filter).lean<AgentDoc>().then((d) => (d ? toAgent(d) : null)));
    const routing = ROUTING.some((key) => key in patch);
    try {
      const doc = await this.agents
        .findOneAndUpdate(filter, routing ? { ...update, $inc: { rev: 1 } } : update, { returnDocument: 'after' })
        .lean<AgentDoc>();
      if (routing) await this.copies.publishAfterWrite(doc);
      return doc ? toAgent(doc) : null;
    } catch (error) {
      throw conflict(error, handle) ?? error;
    }
  }

  async list(page: PageRequest): Promise<Page<Agent>> {
    if (page.limit <= 0) return { items: [], next: null };
    const filter = page.after === undefined ? {} : { handle: op({ $gt: page.after }) };
    const docs = await this.agents.find(filter).sort({ handle: 1 }).limit(page.limit + 1).lean<AgentDoc[]>();
    return toPage(docs, page.limit, toAgent, (a) => a.handle);
  }

  /** One conditional `$inc`: the filter holds every condition, so concurrent reservations never overshoot. */
  async reserveSlot(handle: string, options: SlotOptions): Promise<Agent | null> {
    const doc = await this.reserve(handle, options);
    return doc ? toAgent(doc) : null;
  }

  /**
   * reserveSlot, also requiring the agent's openCount to be `expectedOpenCount` when given (a
   * least-busy pick reserves only the load it compared). The stored document, copies published.
   */
  async reserve(handle: string, options: SlotOptions, expectedOpenCount?: number): Promise<AgentDoc | null> {
    const doc = await this.agents
      .findOneAndUpdate(
        {
          handle,
          status: 'active',
          ...(options.requireOnline ? { availability: 'online' } : {}),
          ...(expectedOpenCount !== undefined ? { openCount: expectedOpenCount } : {}),
          ...(options.ignoreCapacity ? {} : { $expr: op({ $lt: ['$openCount', '$capacity'] }) }),
        },
        { $inc: { openCount: 1, rev: 1 } },
        { returnDocument: 'after' },
      )
      .lean<AgentDoc>();
    await this.copies.publishAfterWrite(doc);
    return doc;
  }

  async releaseSlot(handle: string): Promise<void> {
    const doc = await this.agents
      .findOneAndUpdate({ handle, openCount: op({ $gt: 0 }) }, { $inc: { openCount: -1, rev: 1 } }, { returnDocument: 'after' })
      .lean<AgentDoc>();
    await this.copies.publishAfterWrite(doc);
  }

  /** Compare-and-set of the count: a reservation or release landing meanwhile makes it refuse. */
  async setOpenCount(handle: string, expected: number, value: number): Promise<Agent | null> {
    const doc = await this.agents
      .findOneAndUpdate({ handle, openCount: expected }, { $set: { openCount: Math.max(0, value) }, $inc: { rev: 1 } }, { returnDocument: 'after' })
      .lean<AgentDoc>();
    await this.copies.publishAfterWrite(doc);
    return doc ? toAgent(doc) : null;
  }
}

function withIdentities(a: Pick<Agent, 'telegramUserId' | 'telegramUsername' | 'slackUserId'>): Partial<AgentDoc> {
  return {
    ...(a.telegramUserId !== undefined ? { telegramUserId: a.telegramUserId } : {}),
    ...(a.telegramUsername !== undefined
      ? { telegramUsername: a.telegramUsername, telegramUsernameLower: a.telegramUsername.toLowerCase() }
      : {}),
    ...(a.slackUserId !== undefined ? { slackUserId: a.slackUserId } : {}),
  };
}

const FIELD_BY_INDEX: Record<string, string> = {
  [INDEX.agentHandle]: 'handle',
  [INDEX.agentTelegramUserId]: 'telegramUserId',
  [INDEX.agentSlackUserId]: 'slackUserId',
  [INDEX.agentTelegramUsername]: 'telegramUsername',
  handle: 'handle',
  telegramUserId: 'telegramUserId',
  slackUserId: 'slackUserId',
  telegramUsernameLower: 'telegramUsername',
};

/** The StoreConflict for a duplicate key on one of the agent's unique fields, else null. */
function conflict(error: unknown, handle: string): StoreConflict | null {
  const dup = duplicateKey(error);
  if (!dup) return null;
  const field = (dup.index !== undefined ? FIELD_BY_INDEX[dup.index] : undefined) ?? FIELD_BY_INDEX[dup.fields[0] ?? ''] ?? 'handle';
  const message = field === 'handle' ? `agent @${handle} already exists` : `${field} already belongs to another agent`;
  return new StoreConflict(message, field);
}
