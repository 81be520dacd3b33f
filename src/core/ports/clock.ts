export interface Clock {
  now(): Date;
  /**
   * Call `fn` once, `ms` milliseconds from now; the returned function cancels it. Clocks that
   * leave it out get the system's timers (see `afterDelay`).
   */
  after?(ms: number, fn: () => void): () => void;
}

/** A timer on the system clock that never keeps the process alive by itself. */
function systemAfter(ms: number, fn: () => void): () => void {
  const t = setTimeout(fn, ms) as unknown as { unref?: () => void };
  t.unref?.();
  return () => clearTimeout(t as unknown as Parameters<typeof clearTimeout>[0]);
}

export const systemClock: Clock = { now: () => new Date(), after: systemAfter };

/** `clock.after`, or the system's timers for a clock without its own. */
export function afterDelay(clock: Clock, ms: number, fn: () => void): () => void {
  return clock.after ? clock.after(ms, fn) : systemAfter(ms, fn);
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told; its timers fire as `advance` or `set` passes them. For tests and benchmarks. */
export class ManualClock implements Clock {
  private t: number;
  private timers: PendingTimer[] = [];
  private seq = 0;
  constructor(start: Date | number = Date.UTC(2026, 0, 1, 9, 0, 0)) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  after(ms: number, fn: () => void): () => void {
    const timer: PendingTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
  /** Timers set and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.moveTo(this.t + ms);
  }
  set(at: Date): void {
    this.moveTo(at.getTime());
  }
  /** Fires each timer due on the way, oldest first, with the clock at its time. */
  private moveTo(target: number): void {
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = target;
  }
}

/** Timers as a port, so that debounced work (App Home refreshes) runs when a test says, not after a real wait. */
export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout(run, ms) {
    const handle = setTimeout(run, ms);
    // a pending refresh never keeps the process alive
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Timers that fire only when a test moves them on (with a ManualClock, move both). */
export class ManualTimers implements Timers {
  private seq = 0;
  private now = 0;
  private readonly due = new Map<number, { at: number; run: () => void }>();

  setTimeout(run: () => void, ms: number): number {
    const id = ++this.seq;
    this.due.set(id, { at: this.now + Math.max(0, ms), run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** How many timers wait to fire. */
  get pending(): number {
    return this.due.size;
  }

  /** Move on by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].run();
    }
    this.now = until;
  }
}
