import { describe, expect, it } from 'vitest';
import { ChannelError, retryBounded } from '../../../src/core/index.js';

const limited = new ChannelError('rate-limited', 'slow down', 1);
const refused = new ChannelError('refused', 'blocked');

describe('retryBounded', () => {
  it('waits as judged and tries again until the call succeeds', async () => {
    const waits: number[] = [];
    let tries = 0;
    const result = await retryBounded(
      async () => (++tries < 3 ? Promise.reject(limited) : 'sent'),
      (e) => ({ failure: e as ChannelError, waitMs: 1000 }),
      { maxAttempts: 3, maxWaitMs: 5000, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('sent');
    expect(waits).toEqual([1000, 1000]);
  });

  it('gives up at once on a failure judged final, past the attempts, or past the wait budget', async () => {
    const budget = (maxAttempts: number, maxWaitMs: number) => ({ maxAttempts, maxWaitMs, sleep: async () => {} });
    let tries = 0;
    const always = (failure: ChannelError, waitMs: number | null) => () => ({ failure, waitMs });
    await expect(retryBounded(async () => Promise.reject(++tries), always(refused, null), budget(5, 9999))).rejects.toBe(refused);
    expect(tries).toBe(1);
    tries = 0;
    await expect(retryBounded(async () => Promise.reject(++tries), always(limited, 10), budget(3, 9999))).rejects.toBe(limited);
    expect(tries).toBe(3);
    tries = 0;
    await expect(retryBounded(async () => Promise.reject(++tries), always(limited, 3000), budget(5, 5000))).rejects.toBe(limited);
    expect(tries).toBe(2);
  });
});
