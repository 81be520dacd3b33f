import type { TgUpdate } from './classify-update.js';

/**
 * Updates of one chat are handled one after the other, in arrival order (a customer's two quick
 * messages reach the agent in the order they were written); different chats run concurrently.
 */
export class UpdateQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly maxPending: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Updates accepted and not finished yet. */
  get size(): number {
    return this.pending;
  }

  /** Too many updates waiting: the webhook asks Telegram to deliver again later. */
  get full(): boolean {
    return this.pending >= this.maxPending;
  }

  /** Run `task` after the earlier tasks of the same key; resolves when it has run, never rejects. */
  run(key: string, task: () => Promise<void>): Promise<void> {
    this.pending++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.pending--;
        if (this.tails.get(key) === next) this.tails.delete(key);
        if (this.pending === 0) this.wakeIdle();
      });
    this.tails.set(key, next);
    return next;
  }

  /** Resolves true once nothing is pending, or false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** The chat an update belongs to, for ordering; updates without a chat share one lane. */
export function updateChatKey(update: TgUpdate): string {
  const chat = update.message?.chat?.id ?? update.callback_query?.message?.chat?.id ?? update.callback_query?.from?.id;
  return chat !== undefined ? String(chat) : 'other';
}
