/**
 * Wait for `work` at most `ms` milliseconds. Slack wants every request acknowledged within 3 s
 * and Bolt (with processBeforeResponse) answers the HTTP request only when our listener returns,
 * so listeners wait for the core this long and then let the rest finish in the background.
 * A rejection within the time is thrown; a later one is the caller's to handle on `work`.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Promises still running after their request was answered; awaited (bounded) on stop. */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  add(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    tracked.catch(() => {});
    this.running.add(tracked);
  }

  get size(): number {
    return this.running.size;
  }

  async drain(ms: number): Promise<void> {
    if (this.running.size === 0) return;
    await settleWithin(Promise.allSettled([...this.running]), ms);
  }
}
