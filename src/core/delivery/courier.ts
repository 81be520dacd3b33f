import PQueue from 'p-queue';
import { LRUCache } from 'lru-cache';
import type { Platform } from '../model/agent.js';
import type { ChannelCapabilities } from '../ports/capabilities.js';
import type { Clock } from '../ports/clock.js';
import type { OutboxPatch, OutboxRecord } from '../ports/durable.js';
import { ChannelError, type OutboundMessage, type SentRef } from '../ports/outbound.js';
import type { Store } from '../ports/store.js';
import type { Logger, Metrics } from '../ports/telemetry.js';
import type { ChannelRegistry } from '../deps.js';
import { reconnectDelayMs, type ReconnectBackoff } from './bounded-retry.js';

export interface DeliveryResult {
  ok: boolean;
  sent: SentRef[];
  /** Not taken yet for a passing reason: kept in the outbox and tried again until it goes through. */
  pending?: boolean | undefined;
  /** This update was handled before and the message already went (or waits) under its key. */
  duplicate?: boolean | undefined;
  failure?: ChannelError['failure'] | undefined;
  reason?: string | undefined;
}

/** A message the courier gave up on after trying for the whole give-up time. */
export interface GivenUp {
  message: OutboundMessage;
  reason: string;
  attempts: number;
  since: Date;
}

export interface CourierOptions {
  store: Store;
  channels: ChannelRegistry;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Sent: the bookkeeping of an agent-side message (links, threads), given the message as it was sent. */
  onSent(message: OutboundMessage, sent: SentRef[]): Promise<void>;
  /** Where an agent-side message about a conversation goes, resolved at send time (Slack threads). */
  resolve(message: OutboundMessage): Promise<OutboundMessage>;
  /** Told once a message is given up (not delivered for `giveUpAfterMs`, or refused after waiting). */
  onGiveUp(given: GivenUp): Promise<void>;
  /** Default one day. */
  giveUpAfterMs?: number | undefined;
  /** Wait before the next try after a passing failure (doubling; default 1 s up to 5 min). */
  backoff?: ReconnectBackoff | undefined;
  /** Notices waiting for one chat from which a digest is sent instead (default 3). */
  digestFrom?: number | undefined;
  /** Keep to the platforms' rates (capabilities.rate); default true. Off, nothing waits and no digests are made. */
  pace?: boolean | undefined;
}

/** A record nobody tried for this long after its time is taken over by any process (its owner stopped). */
const CLAIM_MS = 60_000;
const DAY_MS = 24 * 3600_000;
const DEFAULT_BACKOFF: ReconnectBackoff = { initialMs: 1_000, maxMs: 300_000 };

interface Item {
  message: OutboundMessage;
  /** The record once written (null: this key was sent before; undefined: not written yet). */
  record: OutboxRecord | null | undefined;
  written: Promise<void>;
  /** Resolves once what led to the message, and its record, is durable (or the store could not write it). */
  durable: Promise<void>;
  settle(result: DeliveryResult): void;
  settled: boolean;
  /** Taken over from the store (a restart, or another process that stopped). */
  resumed: boolean;
}

interface Lane {
  key: string;
  platform: Platform;
  items: Item[];
  running: boolean;
  /** Not tried again before this time (epoch ms): the head waits for a retry. */
  blockedUntil: number;
  /** When this chat's last send started (epoch ms, real time): the next waits the chat interval. */
  lastSentAt: number;
  wake: (() => void) | null;
}

/**
 * The courier for the handling of one platform delivery: each message it sends gets the key
 * `<delivery>><lane>#<n>` (the n-th message of this handling into that chat), so handling the same
 * delivery again after a failure finds the messages already sent and does not send them twice.
 */
export function forDelivery(courier: Courier, key: string): Courier {
  const counts = new Map<string, number>();
  const scoped = Object.create(courier) as Courier;
  scoped.send = (message: OutboundMessage) => {
    const lane = laneOf(message);
    const n = (counts.get(lane) ?? 0) + 1;
    counts.set(lane, n);
    return courier.send(message, `${key}>${lane}#${n}`);
  };
  return scoped;
}

export function laneOf(message: Pick<OutboundMessage, 'to'>): string {
  return `${message.to.platform}:${message.to.chatId}`;
}

/**
 * The outbox: every message is written before its first try, sent in order per chat at the
 * platform's pace, and — when the platform does not take it for a passing reason (5xx, timeout,
 * connection reset, 429) — tried again with backoff until it goes through or a day has passed.
 * A refusal (blocked bot, chat gone) is final at once. Several notices waiting for one chat go out
 * as one digest. What is still pending at a stop is taken up again at the next start.
 */
export class Courier {
  private readonly lanes = new Map<string, Lane>();
  private readonly global = new Map<Platform, PQueue>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Keys this process sent (bounded): the sweep never takes them up again. */
  // bounded by size (each key counts 1): `max` would allocate its tables for every key up front
  private readonly sentHere = new LRUCache<string, true>({ maxSize: 100_000, sizeCalculation: () => 1 });
  private readonly giveUpAfterMs: number;
  private readonly backoff: ReconnectBackoff;
  private readonly digestFrom: number;
  private readonly pace: boolean;
  /**
   * The outbox's own writes need not each wait to be durable: a message's record is made durable
   * by the flush before its send, and a lost "sent" mark only risks sending it again.
   */
  private readonly outbox: Store;
  private stopping = false;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: CourierOptions) {
    this.outbox = o.store.deferred();
    this.giveUpAfterMs = o.giveUpAfterMs ?? DAY_MS;
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.digestFrom = o.digestFrom ?? 3;
    this.pace = o.pace ?? true;
  }

  /**
   * Queue a message; resolves after its first try (or at once when it waits behind a message that
   * is being retried): sent, refused, or pending (kept and tried again). Messages are queued in the
   * order of the calls, so call it for a batch without awaiting each.
   */
  send(message: OutboundMessage, key: string = globalThis.crypto.randomUUID()): Promise<DeliveryResult> {
    const lane = this.lane(message);
    let settle!: (r: DeliveryResult) => void;
    const result = new Promise<DeliveryResult>((resolve) => (settle = resolve));
    const now = this.o.clock.now();
    const item: Item = {
      message,
      record: undefined,
      resumed: false,
      settled: false,
      settle: (r) => {
        if (item.settled) return;
        item.settled = true;
        settle(r);
      },
      written: Promise.resolve(),
      durable: Promise.resolve(),
    };
    item.written = this.outbox
      .addOutbox({ key, lane: lane.key, message, createdAt: now, attempts: 0, nextAt: new Date(now.getTime() + CLAIM_MS) })
      .then(
        (record) => {
          item.record = record;
          if (record === null) item.settle({ ok: true, sent: [], duplicate: true });
          else if (lane.blockedUntil > this.o.clock.now().getTime()) {
            // its sender is told it is kept: it is, once durable
            const pending = () => item.settle(pendingResult('waiting behind a message that is tried again'));
            return this.o.store.flush().then(pending, pending);
          }
        },
        (error: unknown) => {
          // not written: nothing was sent; the caller fails and the update is handled again later
          item.record = null;
          item.settled = true;
          settle(Promise.reject(error) as unknown as DeliveryResult);
        },
      );
    // Asked now, right after the record was added: the store's changes up to this point, not those
    // other work makes until the try (on a busy process it would otherwise wait for theirs too).
    // A store that cannot write now still lets it go: nothing is lost by sending.
    item.durable = this.o.store.flush().catch(() => undefined);
    lane.items.push(item);
    this.kick(lane);
    return result;
  }

  /** Messages kept in the outbox that wait to be sent again. */
  waiting(): Promise<number> {
    return this.o.store.countOutbox();
  }

  /**
   * Take up what the outbox holds from before (a restart), and every minute what another process
   * left behind when it stopped. Returns how many were taken up now.
   */
  async start(): Promise<number> {
    this.stopping = false;
    const taken = await this.sweep(true);
    this.sweepTimer = setInterval(() => {
      this.sweep(false).catch((e: unknown) => this.o.logger.warn({ error: String(e) }, 'outbox sweep failed'));
    }, CLAIM_MS);
    this.sweepTimer.unref();
    return taken;
  }

  /** No new tries; waits up to `deadlineMs` for sends in flight. What waits stays in the outbox. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const lane of this.lanes.values()) lane.wake?.();
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, deadlineMs).unref())]);
  }

  private async sweep(atStart: boolean): Promise<number> {
    if (this.stopping) return 0;
    const known = new Set<string>();
    for (const lane of this.lanes.values()) for (const item of lane.items) if (item.record) known.add(item.record.key);
    const now = this.o.clock.now().getTime();
    let taken = 0;
    for (const record of await this.o.store.listOutbox(10_000)) {
      if (known.has(record.key)) continue;
      if (this.sentHere.has(record.key)) {
        await this.markSent(record.key, { state: 'sent', sentAt: this.o.clock.now() });
        continue;
      }
      // at start everything pending is ours to take (its sender stopped); later only what nobody tried in time
      if (!atStart && record.nextAt.getTime() + CLAIM_MS > now) continue;
      // at start: try now (the process that wrote it is gone); later: when it was due
      const until = new Date(atStart ? now : Math.max(now, record.nextAt.getTime()));
      if (!(await this.o.store.claimOutbox(record.key, record.nextAt, until))) continue;
      record.nextAt = until;
      const lane = this.lane(record.message);
      // in its place among what this process queued for the chat (by seq), not after it
      const resumed: Item = { message: record.message, record, written: Promise.resolve(), durable: Promise.resolve(), settle: () => {}, settled: true, resumed: true };
      const at = lane.items.findIndex((i, n) => n > 0 && i.record !== undefined && i.record !== null && i.record.seq > record.seq);
      if (at < 0) lane.items.push(resumed);
      else lane.items.splice(at, 0, resumed);
      taken++;
      this.kick(lane);
    }
    if (taken > 0) {
      this.o.metrics.inc('outbox_resumed', {}, taken);
      this.o.logger.info({ taken }, 'outbox: messages from before taken up again');
    }
    return taken;
  }

  private lane(message: OutboundMessage): Lane {
    const key = laneOf(message);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, platform: message.to.platform, items: [], running: false, blockedUntil: 0, lastSentAt: 0, wake: null };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private kick(lane: Lane): void {
    if (lane.running) return;
    lane.running = true;
    const run = this.run(lane)
      .catch((e: unknown) => this.o.logger.error({ lane: lane.key, error: String(e) }, 'outbox lane failed'))
      .finally(() => {
        lane.running = false;
        this.inFlight.delete(run);
        if (lane.items.length > 0 && !this.stopping) this.kick(lane);
        else if (lane.items.length === 0) this.lanes.delete(lane.key);
      });
    this.inFlight.add(run);
  }

  private caps(platform: Platform): ChannelCapabilities | undefined {
    return this.o.channels.get(platform)?.capabilities;
  }

  private async run(lane: Lane): Promise<void> {
    while (lane.items.length > 0 && !this.stopping) {
      const head = lane.items[0]!;
      await head.written;
      const record = head.record;
      if (!record) {
        lane.items.shift(); // a duplicate, or not written (its caller was told)
        continue;
      }
      const wait = Math.max(lane.blockedUntil, head.resumed || record.attempts > 0 ? record.nextAt.getTime() : 0) - this.o.clock.now().getTime();
      if (wait > 0) {
        // what is queued behind it meanwhile is told it is pending, instead of waiting with it
        lane.blockedUntil = Math.max(lane.blockedUntil, this.o.clock.now().getTime() + wait);
        for (const item of lane.items) if (item.record) item.settle(pendingResult('waiting behind a message that is tried again'));
        await this.sleep(lane, wait);
        if (this.stopping) return;
        continue;
      }
      if (record.attempts > 0 || head.resumed) {
        // a retry: take the record (another process may have taken it up meanwhile)
        const until = new Date(this.o.clock.now().getTime() + CLAIM_MS);
        let taken: boolean;
        try {
          taken = await this.o.store.claimOutbox(record.key, record.nextAt, until);
        } catch (e) {
          // the store did not answer: the message keeps its place and is tried a moment later
          lane.blockedUntil = this.o.clock.now().getTime() + reconnectDelayMs(1, this.backoff);
          this.o.logger.warn({ lane: lane.key, error: String(e) }, 'outbox record not taken; tried again shortly');
          continue;
        }
        if (!taken) {
          lane.items.shift();
          head.settle(pendingResult('taken up by another process'));
          continue;
        }
        record.nextAt = until;
      }
      const batch = await this.batch(lane);
      await this.tryOnce(lane, batch);
    }
  }

  /** The head, or — when enough notices wait for this chat — the notices that fit one digest. */
  private async batch(lane: Lane): Promise<Item[]> {
    const head = lane.items[0]!;
    const caps = this.caps(lane.platform);
    if (!this.pace || !caps?.rate || caps.replies !== 'reply-to' || !isNotice(head.message)) return [head];
    const ready: Item[] = [];
    for (const item of lane.items) {
      if (item.record === undefined) await item.written;
      if (!item.record || !isNotice(item.message) || item.record.attempts > 0 !== head.record!.attempts > 0) break;
      ready.push(item);
    }
    if (ready.length < this.digestFrom) return [head];
    const out: Item[] = [];
    let length = DIGEST_HEADER.length;
    for (const item of ready) {
      const add = item.message.text.length + DIGEST_SEPARATOR.length;
      if (out.length > 0 && length + add > caps.maxMessageLength) break;
      length += add;
      out.push(item);
    }
    return out;
  }

  private async tryOnce(lane: Lane, batch: Item[]): Promise<void> {
    const head = batch[0]!;
    const digest = batch.length > 1;
    const message = digest ? digestOf(batch.map((i) => i.message)) : head.message;
    const platform = lane.platform;
    const channel = this.o.channels.get(platform);
    let sent: SentRef[];
    let resolved = message;
    try {
      if (!channel) throw new ChannelError('unreachable', `${platform} is not connected`);
      if (!digest) resolved = await this.o.resolve(message);
      // what led to this message is durable before it leaves
      for (const item of batch) await item.durable;
      sent = await this.paced(lane, () => channel.send(resolved));
    } catch (e) {
      const failure = e instanceof ChannelError ? e : new ChannelError('unreachable', (e as Error).message);
      await this.failed(lane, batch, failure);
      return;
    }
    lane.items.splice(0, batch.length);
    const sentAt = this.o.clock.now();
    // remembered here too: should the store not take the mark, this process still never sends them again
    for (const item of batch) this.sentHere.set(item.record!.key, true);
    // linked before marked sent: a store that keeps its writes in order never holds the mark without the link
    try {
      if (!digest) await this.o.onSent(resolved, sent);
      else if (new Set(batch.map((i) => i.message.conversation)).size === 1) await this.o.onSent({ ...message, conversation: head.message.conversation }, sent);
    } catch (e) {
      this.o.logger.warn({ lane: lane.key, error: String(e) }, 'sent message not linked to its conversation');
    }
    for (const item of batch) {
      await this.markSent(item.record!.key, { state: 'sent', sentAt, attempts: item.record!.attempts + 1 });
      if (item.record!.attempts > 0 || item.resumed) this.o.metrics.inc('outbox_delivered_late', { platform });
    }
    if (digest) this.o.metrics.inc('outbox_digests', { platform });
    for (const item of batch) item.settle({ ok: true, sent });
  }

  private async markSent(key: string, patch: OutboxPatch): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.outbox.updateOutbox(key, patch);
        return;
      } catch (e) {
        if (attempt === 3) this.o.logger.warn({ key, error: String(e) }, 'sent message not marked sent in the store');
      }
    }
  }

  private async failed(lane: Lane, batch: Item[], failure: ChannelError): Promise<void> {
    const { logger, metrics, clock } = this.o;
    const platform = lane.platform;
    const now = clock.now();
    const fields = { platform, lane: lane.key, failure: failure.failure, reason: failure.message };
    if (failure.failure === 'refused') {
      // final: the platform said no for this chat or message
      lane.items.splice(0, batch.length);
      metrics.inc('deliveries_failed', { platform, failure: 'refused' });
      logger.warn(fields, 'delivery refused');
      for (const item of batch) {
        await this.o.store.dropOutbox(item.record!.key).catch(() => undefined);
        if (item.settled) await this.giveUp(item, failure.message);
        item.settle({ ok: false, sent: [], failure: 'refused', reason: failure.message });
      }
      return;
    }
    const head = batch[0]!;
    const attempts = head.record!.attempts + 1;
    const since = head.record!.createdAt;
    if (now.getTime() - since.getTime() >= this.giveUpAfterMs) {
      lane.items.splice(0, batch.length);
      for (const item of batch) {
        await this.o.store.dropOutbox(item.record!.key).catch(() => undefined);
        await this.giveUp(item, failure.message);
        item.settle({ ok: false, sent: [], failure: failure.failure, reason: failure.message });
      }
      return;
    }
    const waitMs = failure.failure === 'rate-limited' && failure.retryAfterSec !== undefined ? failure.retryAfterSec * 1000 : reconnectDelayMs(attempts, this.backoff);
    const nextAt = new Date(now.getTime() + waitMs);
    lane.blockedUntil = nextAt.getTime();
    metrics.inc('deliveries_failed', { platform, failure: failure.failure });
    logger.warn({ ...fields, attempts, retryInMs: waitMs }, 'delivery failed; kept in the outbox and tried again');
    for (const item of batch) {
      item.record!.attempts = attempts;
      item.record!.lastError = failure.message;
      try {
        await this.o.store.updateOutbox(item.record!.key, { attempts, nextAt, lastError: failure.message });
        item.record!.nextAt = nextAt; // what the store holds: the next claim compares with it
      } catch (e) {
        logger.warn({ lane: lane.key, error: String(e) }, 'outbox record not updated');
      }
      item.settle(pendingResult(failure.message, failure.failure));
    }
    // what waits behind it in this chat is kept too, and its senders told it is pending
    for (const item of lane.items.slice(batch.length)) if (item.record) item.settle(pendingResult('waiting behind a message that is tried again'));
  }

  private async giveUp(item: Item, reason: string): Promise<void> {
    this.o.metrics.inc('outbox_given_up', { platform: item.message.to.platform });
    this.o.logger.error(
      { platform: item.message.to.platform, conversation: item.message.conversation ?? item.message.replyOf?.conversation, attempts: item.record?.attempts, reason },
      'message given up: not delivered',
    );
    await this.o
      .onGiveUp({ message: item.message, reason, attempts: item.record?.attempts ?? 0, since: item.record?.createdAt ?? this.o.clock.now() })
      .catch((e: unknown) => this.o.logger.error({ error: String(e) }, 'could not tell that a message was given up'));
  }

  /**
   * One send at the platform's pace: one chat's sends at least the chat interval apart (the lane is
   * sequential, so waiting here is enough), and its share of the overall rate (p-queue).
   */
  private async paced<T>(lane: Lane, send: () => Promise<T>): Promise<T> {
    const rate = this.caps(lane.platform)?.rate;
    if (!rate || !this.pace) return send();
    let global = this.global.get(lane.platform);
    if (!global) {
      global = new PQueue({ intervalCap: rate.perSecond, interval: 1000 });
      this.global.set(lane.platform, global);
    }
    const gap = Math.ceil(1000 / rate.perChatPerSecond);
    const wait = lane.lastSentAt + gap - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return global.add(
      () => {
        lane.lastSentAt = Date.now();
        return send();
      },
      { throwOnTimeout: true },
    );
  }

  private sleep(lane: Lane, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        lane.wake = null;
        resolve();
      }, ms);
      timer.unref?.();
      lane.wake = () => {
        clearTimeout(timer);
        lane.wake = null;
        resolve();
      };
    });
  }
}

const DIGEST_HEADER = 'Several conversations need you (answer one with #N and your text, or reply to its next message):';
const DIGEST_SEPARATOR = '\n\n— — —\n\n';

/** Agent-side messages about a conversation, without a copy: these may share one digest. */
function isNotice(message: OutboundMessage): boolean {
  return message.conversation !== undefined && message.handle !== undefined && !message.copyOf && !message.to.threadId;
}

function digestOf(messages: OutboundMessage[]): OutboundMessage {
  const first = messages[0]!;
  return { to: first.to, handle: first.handle, text: `${DIGEST_HEADER}${DIGEST_SEPARATOR}${messages.map((m) => m.text).join(DIGEST_SEPARATOR)}` };
}

function pendingResult(reason: string, failure: ChannelError['failure'] = 'unreachable'): DeliveryResult {
  return { ok: false, sent: [], pending: true, failure, reason };
}
