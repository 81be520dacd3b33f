import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/core/index.js';
import { callWithRetry, toChannelError } from '../../../adapters/slack/errors.js';

const platform = (error: string, extra: Record<string, unknown> = {}) => new webApi.WebAPIPlatformError({ ok: false, error, ...extra });

describe('toChannelError', () => {
  // a refused token is the operator's problem, not the customer's: Slack is unreachable until it is fixed
  it.each(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed'])('calls %s unreachable, naming the bot token', (code) => {
    const e = toChannelError(platform(code));
    expect(e.failure).toBe('unreachable');
    expect(e.message).toBe(`slack: ${code} (the bot token was refused: check SLACK_BOT_TOKEN)`);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found'])('calls %s refused', (code) => {
    const e = toChannelError(platform(code));
    expect(e).toBeInstanceOf(ChannelError);
    expect(e.failure).toBe('refused');
    expect(e.message).toContain(code);
  });

  it('calls a 429 and a ratelimited answer rate-limited with the wait Slack asked for', () => {
    expect(toChannelError(new webApi.WebAPIRateLimitedError(7))).toMatchObject({ failure: 'rate-limited', retryAfterSec: 7 });
    expect(toChannelError(platform('ratelimited', { response_metadata: { retryAfter: 3 } }))).toMatchObject({ failure: 'rate-limited', retryAfterSec: 3 });
  });

  it('calls network failures, 5xx and Slack-side errors unreachable', () => {
    expect(toChannelError(new webApi.WebAPIRequestError(new Error('ECONNREFUSED'))).failure).toBe('unreachable');
    expect(toChannelError(new webApi.WebAPIHTTPError(503, 'Service Unavailable', {})).failure).toBe('unreachable');
    expect(toChannelError(platform('internal_error')).failure).toBe('unreachable');
  });
});

describe('callWithRetry', () => {
  it('waits out a short rate limit and tries again', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await callWithRetry(
      async () => {
        calls += 1;
        if (calls === 1) throw new webApi.WebAPIRateLimitedError(2);
        return 'sent';
      },
      { maxWaitSec: 4, maxAttempts: 3, sleep: async (ms) => void waits.push(ms) },
    );
    expect(value).toBe('sent');
    expect(waits).toEqual([2000]);
  });

  it('gives up at once when Slack asks for a longer wait than the budget', async () => {
    const waits: number[] = [];
    const call = callWithRetry(
      async () => {
        throw new webApi.WebAPIRateLimitedError(120);
      },
      { maxWaitSec: 4, maxAttempts: 3, sleep: async (ms) => void waits.push(ms) },
    );
    await expect(call).rejects.toMatchObject({ failure: 'rate-limited', retryAfterSec: 120 });
    expect(waits).toEqual([]);
  });

  it('tries again when nothing reached Slack, but never after a timeout (the message may be posted)', async () => {
    const refused = new webApi.WebAPIRequestError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
    const timedOut = new webApi.WebAPIRequestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    const policy = { maxWaitSec: 4, maxAttempts: 3, sleep: async () => {} };
    let calls = 0;
    await expect(
      callWithRetry(async () => {
        calls += 1;
        if (calls === 1) throw refused;
        return 'sent';
      }, policy),
    ).resolves.toBe('sent');
    calls = 0;
    await expect(
      callWithRetry(async () => {
        calls += 1;
        throw timedOut;
      }, policy),
    ).rejects.toMatchObject({ failure: 'unreachable' });
    expect(calls).toBe(1);
  });

  it('does not retry a refusal', async () => {
    let calls = 0;
    await expect(
      callWithRetry(async () => {
        calls += 1;
        throw platform('channel_not_found');
      }),
    ).rejects.toMatchObject({ failure: 'refused' });
    expect(calls).toBe(1);
  });
});
