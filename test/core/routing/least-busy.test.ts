import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/core-harness.js';

describe('least-busy routing', () => {
  it('picks the agent with the fewest open conversations', async () => {
    const h = makeCore();
    for (const a of ['amanda', 'mathew', 'geraldine']) await h.agent(a, { availability: 'offline' });
    await h.inbox('support', ['amanda', 'mathew', 'geraldine'], { strategy: 'least-busy' });
    // load: amanda 3, mathew 1, geraldine 2 (claimed by hand while offline)
    const load: Record<string, number> = { amanda: 3, mathew: 1, geraldine: 2 };
    let n = 0;
    for (const [who, count] of Object.entries(load)) {
      for (let i = 0; i < count; i++) {
        await h.customerSays(`pre${++n}`, 'hi');
        expect(await h.command(who, `/claim #${n}`)).toMatch(/claimed/);
      }
    }
    for (const a of ['amanda', 'mathew', 'geraldine']) await h.command(a, '/available');
    await h.customerSays('new1', 'hi');
    expect(await h.assigneeOf(7)).toBe('mathew');
    await h.customerSays('new2', 'hi'); // mathew 2, geraldine 2: tie goes by rotation after mathew → geraldine
    expect(await h.assigneeOf(8)).toBe('geraldine');
    await h.customerSays('new3', 'hi'); // amanda 3, mathew 2, geraldine 3 → mathew
    expect(await h.assigneeOf(9)).toBe('mathew');
  });

  it('skips agents who are away or full', async () => {
    const h = makeCore();
    await h.agent('amanda', { capacity: 1 });
    await h.agent('mathew');
    await h.agent('geraldine');
    await h.inbox('support', ['amanda', 'mathew', 'geraldine'], { strategy: 'least-busy' });
    await h.command('mathew', '/away');
    await h.customerSays('c1', 'hi'); // amanda 0 → amanda (now full)
    await h.customerSays('c2', 'hi'); // amanda full, mathew away → geraldine
    await h.customerSays('c3', 'hi'); // geraldine only
    expect([await h.assigneeOf(1), await h.assigneeOf(2), await h.assigneeOf(3)]).toEqual(['amanda', 'geraldine', 'geraldine']);
  });
});
