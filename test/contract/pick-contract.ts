import { expect, it } from 'vitest';
import { agent, inbox, parallel, T0, type CurrentPeer, type CurrentStore } from './fixtures.js';

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

/** Picks under load: many at once on one inbox, and the agent changes routing must see at once. */
export function pickConcurrencyContract(store: CurrentStore, peer: CurrentPeer): void {
  it('keeps round-robin fair within one while two processes pick 210 at once among seven agents', async () => {
    const s = store();
    const other = await peer();
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    await s.createInbox(inbox('support'));
    for (const h of names) await s.createAgent(agent(h, { capacity: 1000 }));
    for (const h of names) await s.addMember('support', h, T0);
    const picks = await parallel(210, (i) => (i % 2 ? s : other).pickAgent('support', []));
    expect(picks.every((p) => p !== null)).toBe(true);
    const counts = Object.values(countBy(picks.map((p) => p!.agent.handle)));
    expect(counts).toHaveLength(7);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect((await s.getAgents(names)).reduce((sum, a) => sum + a.openCount, 0)).toBe(210);
  });

  it('gives 300 picks at once on three agents of capacity 100 a hundred each, then refuses the next', async () => {
    const s = store();
    await s.createInbox(inbox('support'));
    for (const h of ['ann', 'ben', 'cat']) await s.createAgent(agent(h, { capacity: 100 }));
    for (const h of ['ann', 'ben', 'cat']) await s.addMember('support', h, T0);
    const picks = await parallel(300, () => s.pickAgent('support', []));
    const counts = countBy(picks.map((p) => p?.agent.handle ?? 'none'));
    expect(counts).toEqual({ ann: 100, ben: 100, cat: 100 });
    expect((await s.getAgents(['ann', 'ben', 'cat'])).map((a) => a.openCount)).toEqual([100, 100, 100]);
    expect(await s.pickAgent('support', [])).toBeNull();
  });

  it('keeps round-robin fair within one among seven agents while 200 picks run at once', async () => {
    const s = store();
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    await s.createInbox(inbox('support'));
    for (const h of names) await s.createAgent(agent(h, { capacity: 1000 }));
    for (const h of names) await s.addMember('support', h, T0);
    const counts = Object.values(countBy((await parallel(200, () => s.pickAgent('support', []))).map((p) => p!.agent.handle)));
    expect(counts).toHaveLength(7);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('keeps least-busy exact while picks run at once: nobody gets one before the less busy catch up', async () => {
    const s = store();
    await s.createInbox(inbox('support', { strategy: 'least-busy' }));
    for (const [h, open] of [['ann', 0], ['ben', 5], ['cat', 9]] as const) {
      await s.createAgent(agent(h, { capacity: 100 }));
      if (open > 0) await s.setOpenCount(h, 0, open); // load from other inboxes
      await s.addMember('support', h, T0);
    }
    await parallel(13, () => s.pickAgent('support', []));
    expect((await s.getAgents(['ann', 'ben', 'cat'])).map((a) => a.openCount)).toEqual([9, 9, 9]);
  });

  it('sees at once an agent freeing a slot, going away, coming back and getting more capacity', async () => {
    const s = store();
    await s.createInbox(inbox('support', { strategy: 'least-busy' }));
    await s.createAgent(agent('ann', { capacity: 1 }));
    await s.createAgent(agent('ben', { capacity: 5 }));
    for (const h of ['ann', 'ben']) await s.addMember('support', h, T0);
    const pick = async (): Promise<string | null> => (await s.pickAgent('support', []))?.agent.handle ?? null;
    expect(await pick()).toBe('ann');
    expect(await pick()).toBe('ben'); // ann is full
    await s.releaseSlot('ann');
    expect(await pick()).toBe('ann'); // ann 0 → 1, ben 1
    await s.releaseSlot('ann');
    await s.updateAgent('ann', { availability: 'away' });
    expect(await pick()).toBe('ben'); // ben 2
    await s.updateAgent('ann', { availability: 'online', capacity: 10 });
    expect(await pick()).toBe('ann'); // ann 1, ben 2
    expect(await pick()).toBe('ann'); // ann 2, ben 2
    expect(await pick()).toBe('ben'); // a tie: the first after the cursor (at ann)
    await s.setOpenCount('ben', 3, 0); // the load reconciliation
    expect(await pick()).toBe('ben');
  });
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
