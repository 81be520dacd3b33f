import { retryBounded, type Logger } from '../../src/core/index.js';
import { apiErrorCode, isRetryable, toChannelError } from './errors.js';

export interface RetryPolicy {
  /** Tries of one call, the first included. */
  maxAttempts: number;
  /** Total time one call may spend waiting between tries (429 retry_after included). */
  maxWaitMs: number;
  /** Wait before retrying a 5xx or refused connection, multiplied by the try number. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, maxWaitMs: 5_000, backoffMs: 250 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run one Bot API call; on a retryable failure wait (Telegram's retry_after for 429, a short
 * backoff otherwise) and try again, bounded by the policy. Throws a ChannelError when it gives up.
 */
export async function callWithRetry<T>(
  method: string,
  call: () => Promise<T>,
  logger: Logger,
  policy: RetryPolicy = DEFAULT_RETRY,
  fields: Record<string, unknown> = {},
): Promise<T> {
  return retryBounded(
    call,
    (error, attempt) => {
      const failure = toChannelError(error);
      const waitMs = apiErrorCode(error) === 429 ? (failure.retryAfterSec ?? 1) * 1000 : policy.backoffMs * attempt;
      return { failure, waitMs: isRetryable(error) ? waitMs : null };
    },
    { maxAttempts: policy.maxAttempts, maxWaitMs: policy.maxWaitMs, sleep },
    (failure, attempt, waitMs) =>
      logger.warn({ ...fields, platform: 'telegram', method, failure: failure.failure, attempt, waitMs }, 'Bot API call failed, retrying'),
  );
}
