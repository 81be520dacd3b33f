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
