import type { ChannelError } from '../ports/outbound.js';

/** What one failed try means: the error to give up with, and how long to wait before another try (null: no retry). */
export interface RetryJudgement {
  failure: ChannelError;
  waitMs: number | null;
}

export interface RetryBudget {
  /** Tries of one call, the first included. */
  maxAttempts: number;
  /** Total time one call may spend waiting between tries. */
  maxWaitMs: number;
  /** How to wait (adapters pass a timer; tests a fake). */
  sleep(ms: number): Promise<void>;
}

/**
 * Run one platform call, and after a failure the adapter judges retryable (rate limit, server
 * error, nothing sent) wait and try again, within the budget. Throws the judged ChannelError when
 * it gives up. Shared by every adapter so that "bounded" means the same everywhere.
 */
export async function retryBounded<T>(
  call: () => Promise<T>,
  judge: (error: unknown, attempt: number) => RetryJudgement,
  budget: RetryBudget,
  onRetry?: (failure: ChannelError, attempt: number, waitMs: number) => void,
): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const { failure, waitMs } = judge(error, attempt);
      if (waitMs === null || attempt >= budget.maxAttempts || waited + waitMs > budget.maxWaitMs) throw failure;
      onRetry?.(failure, attempt, waitMs);
      waited += waitMs;
      await budget.sleep(waitMs);
    }
  }
}

/** How long a platform connection waits before its next start attempt: doubling from `initialMs`, never above `maxMs`. */
export interface ReconnectBackoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { initialMs: 2_000, maxMs: 60_000 };

export function reconnectDelayMs(attempt: number, backoff: ReconnectBackoff = DEFAULT_RECONNECT_BACKOFF): number {
  const doubled = backoff.initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 20);
  return Math.min(backoff.maxMs, doubled);
}
