import { expect, it } from 'vitest';
import { agent, T0, type CurrentStore } from './fixtures.js';

/** For stores that offer the optional least-busy fast path. */
export function leastBusyContract(store: CurrentStore): void {
  it('picks the eligible member with the fewest open conversations, ties by rotation after the cursor', async () => {
    const s = store();
    const pick = async (afterSeq: number, excluded: string[] = []): Promise<string | null> =>
      (await s.leastBusyMember!('support', afterSeq, excluded))?.handle ?? null;
    await s.createInbox({ name: 'support', platform: 'telegram', strategy: 'least-busy', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: T0 });
    await s.createAgent(agent('ann', { capacity: 2 }));
    await s.createAgent(agent('ben'));
    await s.createAgent(agent('cat'));
    await s.createAgent(agent('dan', { availability: 'away' }));
    await s.createAgent(agent('eve', { status: 'suspended' }));
    await s.createAgent(agent('fay'));
    const seq: Record<string, number> = {};
    for (const h of ['ann', 'ben', 'cat', 'dan', 'eve']) seq[h] = (await s.addMember('support', h, T0)).seq;
    await s.reserveSlot('ann', { requireOnline: true, ignoreCapacity: false });
    expect(await pick(0)).toBe('ben');
    expect(await pick(seq['ben']!)).toBe('cat');
    expect(await pick(seq['cat']!)).toBe('ben');
    expect(await pick(0, ['ben', 'cat'])).toBe('ann');
    await s.reserveSlot('ann', { requireOnline: true, ignoreCapacity: false });
    expect(await pick(0, ['ben', 'cat'])).toBeNull();
    await s.reserveSlot('ben', { requireOnline: true, ignoreCapacity: false });
    expect(await pick(0)).toBe('cat');
    expect(await s.leastBusyMember!('nowhere', 0, [])).toBeNull();
  });
}
