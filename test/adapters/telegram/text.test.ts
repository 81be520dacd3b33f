import { describe, expect, it } from 'vitest';
import { inlineKeyboard, split, truncate } from '../../../adapters/telegram/text.js';
import { toChannelError } from '../../../adapters/telegram/errors.js';

describe('Telegram text limits', () => {
  it('leaves a short text alone and cuts a long one to 4,096 with an ellipsis', () => {
    expect(truncate('short')).toBe('short');
    const cut = truncate('x'.repeat(5000));
    expect(cut).toHaveLength(4096);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never cuts an emoji in half', () => {
    for (const text of ['😀'.repeat(3000), 'a' + '😀'.repeat(3000)]) {
      // each emoji is two UTF-16 units; one of the two texts puts a pair across every limit
      expectWhole(text);
    }
  });

  function expectWhole(text: string): void {
    const cut = truncate(text);
    expect(cut.length).toBeLessThanOrEqual(4096);
    expect(() => encodeURIComponent(cut)).not.toThrow(); // a lone surrogate would throw
    for (const part of split(text)) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(() => encodeURIComponent(part)).not.toThrow();
    }
    expect(split(text).join('')).toBe(text);
  }

  it('splits at line ends when it can', () => {
    const text = `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`;
    expect(split(text)).toEqual(['a'.repeat(3000), 'b'.repeat(3000)]);
  });

  it('leaves out buttons whose callback data is over 64 bytes', () => {
    const { markup, dropped } = inlineKeyboard([
      { label: 'Claim', action: 'claim', value: '12' },
      { label: 'Too long', action: 'offboard-confirm', value: 'x'.repeat(60) },
    ]);
    expect(dropped).toBe(1);
    expect(markup).toEqual({ inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:12' }]] });
  });
});

describe('Bot API error classification', () => {
  const apiError = (error_code: number, description: string, parameters?: object) => ({ response: { ok: false, error_code, description, parameters } });

  it.each([
    [403, 'Forbidden: bot was blocked by the user', 'refused'],
    [403, 'Forbidden: user is deactivated', 'refused'],
    [400, 'Bad Request: chat not found', 'refused'],
    [401, 'Unauthorized', 'unreachable'],
    [409, 'Conflict: terminated by other getUpdates request', 'unreachable'],
    [502, 'Bad Gateway', 'unreachable'],
  ])('%i %s → %s', (code, description, failure) => {
    expect(toChannelError(apiError(code, description))).toMatchObject({ name: 'ChannelError', failure });
  });

  it('keeps retry_after of a 429', () => {
    expect(toChannelError(apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toMatchObject({
      failure: 'rate-limited',
      retryAfterSec: 7,
    });
  });

  it('treats network errors as unreachable and hides the token', () => {
    const error = Object.assign(new Error('request to http://x/bot123:SECRET/sendMessage failed, reason: connect ECONNREFUSED'), {
      name: 'FetchError',
      code: 'ECONNREFUSED',
    });
    const failure = toChannelError(error);
    expect(failure.failure).toBe('unreachable');
    expect(failure.message).not.toContain('SECRET');
  });
});
