import type { Platform } from '../model/agent.js';
import type { Clock } from '../ports/clock.js';
import type { IntakeRecord } from '../ports/durable.js';
import type { Store } from '../ports/store.js';
import type { Logger, Metrics } from '../ports/telemetry.js';

/** Handles one kept update; throws when it could not (the update stays kept and is tried again). */
export type IntakeHandler = (payload: unknown, record: IntakeRecord) => Promise<void>;
/** Told once an update was given up after every try failed (e.g. to answer the sender). */
export type IntakeGiveUp = (payload: unknown, record: IntakeRecord, error: unknown) => Promise<void>;

export interface IntakeOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** How long one process holds a lane before another may take it (renewed while it works). Default 30 s. */
  leaseMs?: number | undefined;
  /** How often kept updates nobody is handling are looked for (another process stopped, a lane was busy). Default 2 s. */
  sweepMs?: number | undefined;
  /** Tries of one update before it is given up (waiting 2 s, 4 s, … up to 5 min between them). Default 12, about half an hour. */
  maxTries?: number | undefined;
}

export class IntakeClosed extends Error {
  constructor() {
    super('not taking updates: stopping');
    this.name = 'IntakeClosed';
  }
}

/**
 * Durable intake: an update is written to the store before the platform is told it was received,
 * then handled in its lane (one chat's updates one at a time, in order, across every process on
 * the store: a lane is held with a lease) and dropped once handled. A failed handling leaves it
 * kept; it is tried again a moment later and at the next start.
 */
export class Intake {
  private readonly owner = globalThis.crypto.randomUUID();
  private readonly handlers = new Map<Platform, { handle: IntakeHandler; giveUp?: IntakeGiveUp | undefined }>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly tries = new Map<string, number>();
  /** A lane whose head failed waits until then (epoch ms) before its next try. */
  private readonly notBefore = new Map<string, number>();
  /** Lanes kicked while they were being handled: looked at again once that run ends. */
  private readonly again = new Set<string>();
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly maxTries: number;
  private accepting = true;
  /** Past the stop's deadline: leases are no longer renewed. */
  private stopped = false;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Lanes this process holds now (a drain acquired them); their leases are renewed together. */
  private readonly held = new Set<string>();
  private renewTimer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(private readonly o: IntakeOptions) {
    this.leaseMs = o.leaseMs ?? 30_000;
    this.sweepMs = o.sweepMs ?? 2_000;
    this.maxTries = o.maxTries ?? 12;
  }

  register(platform: Platform, handle: IntakeHandler, giveUp?: IntakeGiveUp): void {
    this.handlers.set(platform, { handle, giveUp });
  }

  /** False once stopping: platforms are then told to deliver again later (503). */
  get open(): boolean {
    return this.accepting;
  }

  /** Lanes being handled in this process now. */
  get busy(): number {
    return this.running.size;
  }

  /**
   * Keep the update, then handle it in its lane (not awaited). Resolves once it is kept: the
   * platform may be told it was received. Rejects when the store did not keep it (tell the
   * platform to deliver again) or when stopping (IntakeClosed). False for an update kept already.
   */
  async accept(record: Omit<IntakeRecord, 'receivedAt'>): Promise<boolean> {
    if (!this.accepting) throw new IntakeClosed();
    const kept = await this.o.store.saveIntake({ ...record, receivedAt: this.o.clock.now() });
    if (kept) this.kick(record.lane);
    return kept;
  }

  /** Handle what was kept before this start (replay), and keep looking for updates left waiting. */
  async start(): Promise<number> {
    this.accepting = true;
    this.stopped = false;
    this.started = true;
    const replayed = await this.sweep(true);
    this.sweepTimer = setInterval(() => {
      this.sweep(false).catch((e: unknown) => this.o.logger.warn({ error: String(e) }, 'intake sweep failed'));
    }, this.sweepMs);
    this.sweepTimer.unref();
    // one timer for every held lane (not one per drain): each is renewed well before its lease runs out
    this.renewTimer ??= setInterval(() => this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
    return replayed;
  }

  /** Renew the lease of every lane held here, however long its handling takes (an offboarding of many conversations). */
  private renew(): void {
    if (this.stopped) return; // stopped: what is unfinished is left to the next holder
    const { store, clock } = this.o;
    const until = new Date(clock.now().getTime() + this.leaseMs);
    for (const lane of this.held) store.acquireLane(lane, this.owner, clock.now(), until).catch(() => undefined);
  }

  /** Take no new updates; wait up to `deadlineMs` for those being handled. What is left stays kept for the next start. */
  async stop(deadlineMs: number): Promise<{ finished: boolean; left: number }> {
    this.accepting = false;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const all = Promise.allSettled([...this.running.values()]);
    const finished = await Promise.race([all.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), deadlineMs).unref())]);
    this.stopped = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    const left = await this.o.store.countIntake().catch(() => -1);
    return { finished, left };
  }

  /** Resolves once nothing is being handled in this process (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private async sweep(atStart: boolean): Promise<number> {
    const kept = await this.o.store.listIntake({}, 10_000);
    const lanes = new Map<string, IntakeRecord>();
    for (const r of kept) if (!lanes.has(r.lane)) lanes.set(r.lane, r);
    if (atStart && kept.length > 0) {
      const byPlatform = new Map<string, number>();
      for (const r of kept) byPlatform.set(r.platform, (byPlatform.get(r.platform) ?? 0) + 1);
      for (const [platform, n] of byPlatform) this.o.metrics.inc('intake_replayed', { platform }, n);
      this.o.logger.info({ updates: kept.length, lanes: lanes.size }, 'intake: handling updates acknowledged before the last stop');
    }
    for (const lane of lanes.keys()) this.kick(lane);
    return atStart ? kept.length : 0;
  }

  private kick(lane: string): void {
    if (!this.started) return;
    if (this.running.has(lane)) {
      this.again.add(lane);
      return;
    }
    if ((this.notBefore.get(lane) ?? 0) > this.o.clock.now().getTime()) return;
    const run = this.drain(lane)
      .catch((e: unknown) => this.o.logger.warn({ lane, error: String(e) }, 'intake lane failed; tried again shortly'))
      .finally(() => {
        this.running.delete(lane);
        if (this.again.delete(lane) && this.accepting) this.kick(lane);
      });
    this.running.set(lane, run);
  }

  /** Hold the lane and handle its kept updates in order until none is left (or one fails). */
  private async drain(lane: string): Promise<void> {
    const { store, clock, logger, metrics } = this.o;
    const lease = () => new Date(clock.now().getTime() + this.leaseMs);
    if (!(await store.acquireLane(lane, this.owner, clock.now(), lease()))) return; // another process handles it; the sweep looks again
    // the lane is held while this drain works (renewed with the others, see renew())
    this.held.add(lane);
    try {
      for (;;) {
        const next = (await store.listIntake({ lane }, 1))[0];
        if (!next) return;
        const handler = this.handlers.get(next.platform);
        if (!handler) {
          logger.warn({ platform: next.platform, update: next.key }, 'intake: no handler for this platform now; kept for later');
          return;
        }
        try {
          await handler.handle(next.payload, next);
        } catch (error) {
          const tries = (this.tries.get(next.key) ?? 0) + 1;
          this.tries.set(next.key, tries);
          metrics.inc('errors', { source: next.platform });
          if (tries < this.maxTries) {
            this.notBefore.set(lane, clock.now().getTime() + Math.min(300_000, 1000 * 2 ** tries));
            this.again.delete(lane);
            logger.warn({ platform: next.platform, update: next.key, tries, error: errorText(error) }, 'update handling failed; kept and tried again');
            return; // the lane waits: later updates of this chat must not overtake it
          }
          logger.error({ platform: next.platform, update: next.key, tries, error: errorText(error) }, 'update given up after every try failed');
          await handler.giveUp?.(next.payload, next, error).catch(() => undefined);
        }
        this.tries.delete(next.key);
        this.notBefore.delete(lane);
        // need not wait for the disk: written after what the handling wrote (stores that write in
        // order), so a crash before it is written leaves the update to be handled again, once
        await store.deferred().dropIntake(next.key);
      }
    } finally {
      this.held.delete(lane);
      await store.releaseLane(lane, this.owner).catch(() => undefined);
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
