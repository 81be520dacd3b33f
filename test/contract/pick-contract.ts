import { expect, it } from 'vitest';
import { agent, inbox, parallel, T0, type CurrentStore } from './fixtures.js';

/** Routing's atomic pick: choose by strategy, reserve the slot, move the cursor. */
export function pickContract(store: CurrentStore): void {
  it('round-robin: the first eligible member after the cursor, slot reserved and cursor moved, wrapping around', async () => {
    const s = store();
    await s.createInbox(inbox('support'));
    await s.createAgent(agent('ann'));
    await s.createAgent(agent('ben', { availability: 'away' }));
    await s.createAgent(agent('cat'));
    await s.createAgent(agent('dan', { status: 'suspended' }));
    const seq: Record<string, number> = {};
    for (const h of ['ann', 'ben', 'cat', 'dan']) seq[h] = (await s.addMember('support', h, T0)).seq;
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) picks.push((await s.pickAgent('support', []))!.agent.handle);
    expect(picks).toEqual(['ann', 'cat', 'ann', 'cat']);
    expect((await s.getAgent('ann'))!.openCount).toBe(2);
    expect((await s.getInbox('support'))!.cursor).toBe(seq['cat']);
    const picked = await s.pickAgent('support', ['ann']);
    expect(picked).toMatchObject({ membership: { inbox: 'support', handle: 'cat', seq: seq['cat'] }, agent: { handle: 'cat', openCount: 3 } });
    expect(await s.pickAgent('support', ['ann', 'cat'])).toBeNull();
    expect(await s.pickAgent('nowhere', [])).toBeNull();
  });

  it('least-busy: the fewest open conversations, ties by rotation after the cursor', async () => {
    const s = store();
    await s.createInbox(inbox('support', { strategy: 'least-busy' }));
    for (const h of ['ann', 'ben', 'cat']) await s.createAgent(agent(h, { capacity: 3 }));
    for (const h of ['ann', 'ben', 'cat']) await s.addMember('support', h, T0);
    await s.reserveSlot('ann', { requireOnline: true, ignoreCapacity: false });
    const picks: string[] = [];
    for (let i = 0; i < 5; i++) picks.push((await s.pickAgent('support', []))!.agent.handle);
    expect(picks).toEqual(['ben', 'cat', 'ann', 'ben', 'cat']);
  });

  it('never goes past capacity with 30 picks at once', async () => {
    const s = store();
    await s.createInbox(inbox('support'));
    for (const h of ['ann', 'ben']) await s.createAgent(agent(h, { capacity: 5 }));
    for (const h of ['ann', 'ben']) await s.addMember('support', h, T0);
    const picks = await parallel(30, () => s.pickAgent('support', []));
    expect(picks.filter((p) => p !== null)).toHaveLength(10);
    expect((await s.getAgents(['ann', 'ben'])).map((a) => a.openCount)).toEqual([5, 5]);
  });
}
