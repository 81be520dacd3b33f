import { webApi } from '@slack/bolt';
import { ChannelError, retryBounded } from '../../src/core/index.js';

/** Slack answered "no" for good: retrying the same call will not help. */
const REFUSED = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'cannot_dm_bot',
  'restricted_action',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'missing_scope',
  'thread_not_found',
]);

/**
 * Slack refused the app's token: an operator problem (revoked, uninstalled, deactivated), not the
 * customer's. Nothing reaches Slack until someone fixes SLACK_BOT_TOKEN.
 */
export const AUTH_FAILURES = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/** The auth failure code of a Web API error, or null for any other error. */
export function authFailureOf(error: unknown): string | null {
  if (error instanceof webApi.WebAPIPlatformError && AUTH_FAILURES.has(error.data.error)) return error.data.error;
  if (error instanceof ChannelError && error.message.startsWith('slack: ') && AUTH_FAILURES.has(error.message.slice(7).split(' ')[0]!)) return error.message.slice(7).split(' ')[0]!;
  return null;
}

/** Slack's side failed; the same call may work later. */
const UNREACHABLE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Any failure of a Web API call → ChannelError (refused | unreachable | rate-limited). */
export function toChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return new ChannelError('rate-limited', `slack: rate limited, retry after ${error.retryAfter}s`, error.retryAfter);
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (code === 'ratelimited' || code === 'rate_limited') {
      return new ChannelError('rate-limited', `slack: ${code}`, error.data.response_metadata?.retryAfter ?? 1);
    }
    if (UNREACHABLE.has(code)) return new ChannelError('unreachable', `slack: ${code}`);
    // the token was refused: Slack cannot be reached at all until an operator fixes it (not the customer's doing)
    if (AUTH_FAILURES.has(code)) return new ChannelError('unreachable', `slack: ${code} (the bot token was refused: check SLACK_BOT_TOKEN)`);
    // Known refusals (REFUSED) and any other platform code: Slack said no to this call.
    return new ChannelError('refused', REFUSED.has(code) ? `slack: ${code}` : `slack: ${code} (unexpected)`);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const failure = error.statusCode >= 500 ? 'unreachable' : 'refused';
    return new ChannelError(failure, `slack: HTTP ${error.statusCode}`);
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return new ChannelError('unreachable', `slack: request failed (${error.original.message})`);
  }
  return new ChannelError('unreachable', `slack: ${error instanceof Error ? error.message : String(error)}`);
}

export interface RateLimitPolicy {
  /** Longest total time spent waiting for rate limits in one call, in seconds. */
  maxWaitSec: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = { maxWaitSec: 4, maxAttempts: 3 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wait before trying again a call that failed without reaching Slack (or with a 5xx answer). */
const RETRY_BACKOFF_SEC = 0.3;

/**
 * Worth one more try: the connection was refused or the host name did not resolve (nothing
 * reached Slack), or Slack's side answered 5xx. A timeout or a reset is not: Slack may already
 * have posted the message, and trying again would post it twice.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof webApi.WebAPIHTTPError) return error.statusCode >= 500;
  if (error instanceof webApi.WebAPIRequestError) {
    const cause = (error.original as { cause?: { code?: unknown } } | undefined)?.cause;
    return cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN';
  }
  return false;
}

/**
 * Run one Web API call; when Slack says "rate limited" and the wait it asks for fits in the
 * budget, wait and try again (likewise, after a short pause, for the failures `isRetryable`
 * names). Any failure left is thrown as a ChannelError.
 */
export async function callWithRetry<T>(call: () => Promise<T>, policy: RateLimitPolicy = DEFAULT_RATE_LIMIT_POLICY): Promise<T> {
  return retryBounded(
    call,
    (error) => {
      const failure = toChannelError(error);
      if (failure.failure === 'rate-limited') return { failure, waitMs: Math.max(failure.retryAfterSec ?? 1, 0) * 1000 };
      return { failure, waitMs: isRetryable(error) ? RETRY_BACKOFF_SEC * 1000 : null };
    },
    { maxAttempts: policy.maxAttempts, maxWaitMs: policy.maxWaitSec * 1000, sleep: policy.sleep ?? defaultSleep },
  );
}
