import { ChannelError } from '../../src/core/index.js';

/** The shape of telegraf's TelegramError (the Bot API answered ok=false). */
interface ApiErrorLike {
  response: { error_code: number; description?: string; parameters?: { retry_after?: number } };
}

function isApiError(error: unknown): error is ApiErrorLike {
  const response = (error as { response?: unknown } | null)?.response as ApiErrorLike['response'] | undefined;
  return typeof response === 'object' && response !== null && typeof response.error_code === 'number';
}

/** A ChannelError that remembers the Bot API error code (400, 403, 429, …) when there was one. */
export class TelegramChannelError extends ChannelError {
  constructor(
    failure: ChannelError['failure'],
    message: string,
    readonly apiCode?: number,
    retryAfterSec?: number,
  ) {
    super(failure, message, retryAfterSec);
  }
}

/** Bot API error code, or undefined when the failure was not an API answer (network, timeout). */
export function apiErrorCode(error: unknown): number | undefined {
  return isApiError(error) ? error.response.error_code : undefined;
}

/**
 * Sort a failed Bot API call by cause:
 * - `rate-limited`: 429 Too Many Requests (with `parameters.retry_after`);
 * - `refused`: the API said no for this chat or message (400 chat not found / message to copy not
 *   found, 403 blocked by the user or deactivated);
 * - `unreachable`: everything else — network errors, timeouts, 5xx, and 401/404/409 (the bot
 *   token or webhook set-up is wrong, no chat-specific answer possible).
 */
export function toChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  if (isApiError(error)) {
    const { error_code: code, description = '', parameters } = error.response;
    const message = `Bot API ${code}: ${description}`.trim();
    if (code === 429) return new TelegramChannelError('rate-limited', message, code, parameters?.retry_after ?? 1);
    if (code === 400 || code === 403) return new TelegramChannelError('refused', message, code);
    return new TelegramChannelError('unreachable', message, code);
  }
  const name = (error as { name?: string } | null)?.name ?? 'Error';
  const text = error instanceof Error ? error.message : String(error);
  // Network errors from node-fetch may include the request URL, which contains the bot token.
  return new TelegramChannelError('unreachable', `${name}: ${redactToken(text)}`);
}

/** Remove a bot token from a URL-ish text (`/bot123:ABC/method` → `/bot123:[REDACTED]/method`). */
export function redactToken(text: string): string {
  return text.replace(/\/bot(\d+):[^/\s]+/g, '/bot$1:[REDACTED]');
}

/**
 * A failure worth one more try of the same call: the API asked us to wait (429), the server
 * failed (5xx), or the connection was refused before anything was sent. Timeouts and resets are
 * not retried: Telegram may already have delivered the message, and a retry would send it twice.
 */
export function isRetryable(error: unknown): boolean {
  const code = apiErrorCode(error);
  if (code !== undefined) return code === 429 || code >= 500;
  const errno = (error as { code?: string; errno?: string } | null)?.code ?? (error as { errno?: string } | null)?.errno;
  return errno === 'ECONNREFUSED' || errno === 'ENOTFOUND' || errno === 'EAI_AGAIN';
}
