import type { Model } from 'mongoose';
import type { Invite, MessageLink, Platform, ThreadRef } from '../../core/index.js';
import { StoreConflict } from '../../core/index.js';
import type { DeliveryDoc, InviteDoc, LinkDoc, ThreadDoc } from './documents.js';
import { duplicateKey } from './duplicate-key.js';
import { toThread } from './mappers.js';
import { op } from './filters.js';

export interface BookkeepingModels {
  deliveries: Model<DeliveryDoc>;
  links: Model<LinkDoc>;
  threads: Model<ThreadDoc>;
  invites: Model<InviteDoc>;
}

/** Platform bookkeeping: seen deliveries, message ↔ conversation links, agent threads, invite codes. */
export class BookkeepingRepo {
  constructor(private readonly m: BookkeepingModels) {}

  /** An insert keyed by the delivery key: the unique `_id` turns a repeat into a duplicate-key error. */
  async recordDelivery(key: string, at: Date): Promise<boolean> {
    try {
      await this.m.deliveries.insertOne({ _id: key, at });
      return true;
    } catch (error) {
      if (duplicateKey(error)) return false;
      throw error;
    }
  }

  async isHandled(key: string): Promise<boolean> {
    return (await this.m.deliveries.exists({ _id: key })) !== null;
  }

  async linkMessage(link: MessageLink): Promise<void> {
    const key = { platform: link.platform, chatId: link.chatId, messageId: link.messageId };
    await retryOnDuplicate(() => this.m.links.updateOne(key, { $set: { conversation: link.conversation } }, { upsert: true }));
  }

  async findLinkedConversation(platform: Platform, chatId: string, messageId: string): Promise<number | null> {
    const doc = await this.m.links.findOne({ platform, chatId, messageId }).lean<LinkDoc>();
    return doc ? doc.conversation : null;
  }

  /** Inserts only when no thread exists for the key: the first one saved is kept. */
  async saveThread(thread: ThreadRef): Promise<void> {
    const key = { conversation: thread.conversation, handle: thread.handle, platform: thread.platform };
    try {
      await this.m.threads.updateOne(key, { $setOnInsert: { chatId: thread.chatId, threadId: thread.threadId } }, { upsert: true });
    } catch (error) {
      // A simultaneous save inserted first; that one is kept.
      if (!duplicateKey(error)) throw error;
    }
  }

  async findThread(conversation: number, handle: string, platform: Platform): Promise<ThreadRef | null> {
    const doc = await this.m.threads.findOne({ conversation, handle, platform }).lean<ThreadDoc>();
    return doc ? toThread(doc) : null;
  }

  async createInvite(invite: Invite): Promise<void> {
    try {
      await this.m.invites.insertOne({
        code: invite.code,
        handle: invite.handle,
        expiresAt: invite.expiresAt,
        ...(invite.usedAt !== undefined ? { usedAt: invite.usedAt } : {}),
      });
    } catch (error) {
      if (duplicateKey(error)) throw new StoreConflict('invite code exists', 'code');
      throw error;
    }
  }

  /** One conditional update: unused and unexpired are part of the filter, so a code works once. */
  async consumeInvite(code: string, at: Date): Promise<string | null> {
    const doc = await this.m.invites
      .findOneAndUpdate(
        { code, usedAt: op({ $exists: false }), expiresAt: op({ $gt: at }) },
        { $set: { usedAt: at } },
        { returnDocument: 'after' },
      )
      .lean<InviteDoc>();
    return doc ? doc.handle : null;
  }
}

async function retryOnDuplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!duplicateKey(error)) throw error;
    return write();
  }
}
