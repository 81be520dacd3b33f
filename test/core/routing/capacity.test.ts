import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/core-harness.js';

describe('capacity', () => {
  it('never assigns past capacity: extra conversations are queued', async () => {
    const h = makeCore();
    await h.agent('amanda', { capacity: 2 });
    await h.inbox('support', ['amanda']);
    for (let i = 1; i <= 4; i++) await h.customerSays(`c${i}`, 'hi');
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(2);
    expect([await h.statusOf(3), await h.statusOf(4)]).toEqual(['queued', 'queued']);
  });

  it('holds with 100 concurrent routing calls', async () => {
    const h = makeCore();
    const names = ['a1', 'a2', 'a3', 'a4'];
    for (const a of names) await h.agent(a, { capacity: 10 });
    await h.inbox('support', names);
    await Promise.all(Array.from({ length: 100 }, (_, i) => h.customerSays(`c${i}`, 'hi')));
    const agents = await h.store.getAgents(names);
    for (const a of agents) expect(a.openCount).toBe(10);
    const assigned = (await h.store.listConversations({ status: 'assigned' }, { limit: 1000 })).items;
    const queued = (await h.store.listConversations({ status: 'queued' }, { limit: 1000 })).items;
    expect(assigned).toHaveLength(40);
    expect(queued).toHaveLength(60);
    for (const a of names) expect(assigned.filter((c) => c.assignee === a)).toHaveLength(10);
  });

  it('a supervisor transfer may exceed capacity and says so; an agent transfer may not', async () => {
    const h = makeCore();
    await h.agent('amanda', { capacity: 1 });
    await h.agent('mathew', { capacity: 1 });
    await h.agent('sam', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['amanda', 'mathew']);
    await h.customerSays('c1', 'hi'); // amanda
    await h.customerSays('c2', 'hi'); // mathew
    expect(await h.command('amanda', '/transfer #1 @mathew')).toBe('@mathew is at capacity (1/1); pick someone else or ask a supervisor.');
    expect(await h.assigneeOf(1)).toBe('amanda');
    expect(await h.command('sam', '/transfer #1 @mathew')).toBe('Transferred #1 to @mathew. @mathew is now over capacity (2/1).');
    expect((await h.store.getAgent('mathew'))!.openCount).toBe(2);
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(0);
  });
});
