import type { Platform } from '../model/agent.js';
import type { OutboundMessage } from './outbound.js';
import type { Store } from './store.js';

/**
 * An update or event the platform was told was received, kept until it has been handled: the
 * webhook writes it before answering 200, and whoever holds its lane handles it and drops it. After
 * a crash, what is left is handled at the next start.
 */
export interface IntakeRecord {
  /** The delivery key (Telegram `update_id`, Slack `event_id`): the same key the dedupe uses. */
  key: string;
  platform: Platform;
  /** Updates of one lane (a chat) are handled one at a time, in `order`. */
  lane: string;
  /** Place among the lane's updates (Telegram's update_id; arrival time elsewhere). */
  order: number;
  /** The update as the platform sent it (JSON). */
  payload: unknown;
  receivedAt: Date;
}

export type OutboxState = 'pending' | 'sent';

/**
 * A message on its way to a platform. Written before the first try, so a crash between the
 * decision and the send loses nothing, and keyed so that an update handled again after a failure
 * does not send it twice. A message the platform did not take for a passing reason stays
 * `pending` and is tried again, in order per chat, until it goes through or the give-up time.
 */
export interface OutboxRecord {
  /** Idempotency key: the handled update's key, the chat and the message's place among that update's messages to it. */
  key: string;
  /** `<platform>:<chatId>`: messages of one lane go out in `seq` order. */
  lane: string;
  /** Allocated by the store on insert; increasing. */
  seq: number;
  message: OutboundMessage;
  state: OutboxState;
  createdAt: Date;
  /** Tries so far. */
  attempts: number;
  /** Not tried again before this time. */
  nextAt: Date;
  lastError?: string | undefined;
  /** When it went through (kept a day so a re-handled update finds it). */
  sentAt?: Date | undefined;
}

export type OutboxInput = Omit<OutboxRecord, 'seq' | 'state' | 'sentAt'>;
export type OutboxPatch = Partial<Pick<OutboxRecord, 'attempts' | 'nextAt' | 'lastError' | 'state' | 'sentAt'>>;

/** The store's part in "nothing is lost": handled keys, the intake, lane leases and the outbox. */
export interface DurableStore {
  /** True once `recordDelivery` marked the key handled. */
  isHandled(key: string): Promise<boolean>;

  /** Keep an acknowledged update; false when it is already kept (a redelivery). */
  saveIntake(record: IntakeRecord): Promise<boolean>;
  /** A lane's kept updates (all lanes without `lane`) in `order`, then arrival. */
  listIntake(filter: { lane?: string | undefined }, limit: number): Promise<IntakeRecord[]>;
  dropIntake(key: string): Promise<void>;
  countIntake(): Promise<number>;

  /**
   * Hold a lane until `until` (one holder at a time across processes); true when taken. A holder
   * may take it again to extend; a lease past its time may be taken by anyone.
   */
  acquireLane(lane: string, owner: string, now: Date, until: Date): Promise<boolean>;
  releaseLane(lane: string, owner: string): Promise<void>;

  /** Insert unless the key exists; the stored record (with its seq) or null for a known key. */
  addOutbox(record: OutboxInput): Promise<OutboxRecord | null>;
  updateOutbox(key: string, patch: OutboxPatch): Promise<void>;
  /**
   * Take a pending record for a try: only when its `nextAt` is still `seen` (nobody else took it
   * meanwhile), moving it to `until`. True when taken.
   */
  claimOutbox(key: string, seen: Date, until: Date): Promise<boolean>;
  dropOutbox(key: string): Promise<void>;
  /** Pending records in seq order (the oldest first). */
  listOutbox(limit: number): Promise<OutboxRecord[]>;
  countOutbox(): Promise<number>;

  /**
   * This store with calls that may resolve before what they changed is durable (the changes are
   * durable after `flush()` on either view). For work that is done again after a crash, such as
   * the handling of a kept update: a crash may lose what it changed, never half of it (stores
   * that write in order keep a prefix of the changes), and the work is redone. Whatever leaves
   * the process meanwhile (a send, an answer) calls `flush()` first. Stores whose every call is
   * durable at once return themselves.
   */
  deferred(): Store;
  /**
   * Resolves once every change made so far survives a crash (at once on stores that write
   * through); changes made after the call are not waited for. The deferred `addOutbox` makes its
   * change before it returns, so a flush asked right after it covers the record (the courier
   * relies on this: it asks then, and sends once that resolved).
   */
  flush(): Promise<void>;
}
