import type { Model } from 'mongoose';
import { StoreConflict, type Inbox, type InboxPatch, type NewInbox, type Page, type PageRequest, type Platform } from '../../core/index.js';
import type { InboxDoc } from './documents.js';
import { isDuplicateOn } from './duplicate-key.js';
import { toInbox } from './mappers.js';
import { INDEX } from './schemas.js';
import { op } from './filters.js';
import { toPage } from './paging.js';
import { isEmptyUpdate, setUnset } from './update-builder.js';

const PATCHABLE = ['slackChannelId', 'strategy', 'paused', 'responseTimeoutSec', 'maxRedirects', 'fallbackAgent'];
const CLEARABLE = ['slackChannelId', 'fallbackAgent'];

export class InboxRepo {
  constructor(private readonly inboxes: Model<InboxDoc>) {}

  async create(inbox: NewInbox & { createdAt: Date }): Promise<Inbox> {
    const doc: InboxDoc = {
      name: inbox.name,
      platform: inbox.platform,
      ...(inbox.slackChannelId !== undefined ? { slackChannelId: inbox.slackChannelId } : {}),
      strategy: inbox.strategy,
      paused: inbox.paused,
      responseTimeoutSec: inbox.responseTimeoutSec,
      maxRedirects: inbox.maxRedirects,
      ...(inbox.fallbackAgent !== undefined ? { fallbackAgent: inbox.fallbackAgent } : {}),
      cursor: 0,
      createdAt: inbox.createdAt,
    };
    try {
      await this.inboxes.insertOne(doc);
    } catch (error) {
      if (isDuplicateOn(error, INDEX.inboxName, ['name'])) throw new StoreConflict(`inbox ${inbox.name} already exists`, 'name');
      throw error;
    }
    return toInbox(doc);
  }

  async get(name: string): Promise<Inbox | null> {
    const doc = await this.inboxes.findOne({ name }).lean<InboxDoc>();
    return doc ? toInbox(doc) : null;
  }

  async list(page: PageRequest): Promise<Page<Inbox>> {
    if (page.limit <= 0) return { items: [], next: null };
    const filter = page.after === undefined ? {} : { name: op({ $gt: page.after }) };
    const docs = await this.inboxes.find(filter).sort({ name: 1 }).limit(page.limit + 1).lean<InboxDoc[]>();
    return toPage(docs, page.limit, toInbox, (i) => i.name);
  }

  async update(name: string, patch: InboxPatch): Promise<Inbox | null> {
    const update = setUnset(patch, PATCHABLE, CLEARABLE);
    if (isEmptyUpdate(update)) return this.get(name);
    const doc = await this.inboxes.findOneAndUpdate({ name }, update, { returnDocument: 'after' }).lean<InboxDoc>();
    return doc ? toInbox(doc) : null;
  }

  /** Compare-and-set in one conditional update: the expected cursor is part of the filter. */
  async membersVersion(name: string): Promise<number> {
    const doc = await this.inboxes.findOne({ name }, { membersVersion: 1 }).lean<InboxDoc>();
    return doc?.membersVersion ?? 0;
  }

  async bumpMembersVersion(name: string, expected: number): Promise<boolean> {
    const version = expected === 0 ? { membersVersion: op({ $in: [0, null] }) } : { membersVersion: expected };
    const result = await this.inboxes.updateOne({ name, ...version }, { $set: { membersVersion: expected + 1 } });
    return result.matchedCount === 1;
  }

  async moveCursor(name: string, expected: number, next: number): Promise<boolean> {
    const result = await this.inboxes.updateOne({ name, cursor: expected }, { $set: { cursor: next } });
    return result.matchedCount === 1;
  }

  /** Telegram: the first Telegram inbox. Slack: the inbox of that channel, or the DM inbox without one. */
  async findForPlatform(platform: Platform, slackChannelId?: string): Promise<Inbox | null> {
    const filter =
      platform === 'slack'
        ? { platform, slackChannelId: slackChannelId ?? op({ $exists: false }) }
        : { platform };
    const doc = await this.inboxes.findOne(filter).sort({ createdAt: 1, _id: 1 }).lean<InboxDoc>();
    return doc ? toInbox(doc) : null;
  }
}
