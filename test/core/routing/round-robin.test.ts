import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/core-harness.js';

describe('round-robin routing', () => {
  it('shares new conversations in rotation order', async () => {
    const h = makeCore();
    for (const a of ['amanda', 'mathew', 'geraldine']) await h.agent(a);
    await h.inbox('support', ['amanda', 'mathew', 'geraldine']);
    for (let i = 1; i <= 6; i++) await h.customerSays(`c${i}`, 'hello');
    const assignees = [];
    for (let n = 1; n <= 6; n++) assignees.push(await h.assigneeOf(n));
    expect(assignees).toEqual(['amanda', 'mathew', 'geraldine', 'amanda', 'mathew', 'geraldine']);
  });

  it('keeps counts within one over 1,000 assignments while agents go away and come back', async () => {
    const h = makeCore();
    const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const a of names) await h.agent(a, { capacity: 1000 });
    await h.inbox('support', names);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const away = new Set<string>();
    let number = 0;
    let block: Record<string, number> = {};
    const checkBlock = () => {
      const eligible = names.filter((n) => !away.has(n));
      const counts = eligible.map((n) => block[n] ?? 0);
      const total = counts.reduce((a, b) => a + b, 0);
      if (total >= eligible.length) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      for (const n of away) expect(block[n] ?? 0).toBe(0);
      block = {};
    };
    const total: Record<string, number> = {};
    while (number < 1000) {
      const len = 5 + Math.floor(rand() * 40);
      for (let i = 0; i < len && number < 1000; i++) {
        number++;
        await h.customerSays(`c${number}`, 'hi');
        const who = (await h.assigneeOf(number))!;
        expect(who).not.toBeNull();
        block[who] = (block[who] ?? 0) + 1;
        total[who] = (total[who] ?? 0) + 1;
        await h.command(who, `/close #${number}`);
      }
      checkBlock();
      // someone goes away or comes back (at least one agent stays online)
      const pick = names[Math.floor(rand() * names.length)]!;
      if (away.has(pick)) {
        away.delete(pick);
        await h.command(pick, '/available');
      } else if (away.size < names.length - 1) {
        away.add(pick);
        await h.command(pick, '/away');
      }
    }
    expect(Object.values(total).reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('gives a returning agent the next turn: skipped, never lost', async () => {
    const h = makeCore();
    for (const a of ['amanda', 'mathew', 'geraldine']) await h.agent(a);
    await h.inbox('support', ['amanda', 'mathew', 'geraldine']);
    await h.customerSays('c1', 'hi'); // amanda
    await h.command('mathew', '/away');
    await h.customerSays('c2', 'hi'); // geraldine (mathew skipped)
    await h.command('mathew', '/available');
    await h.customerSays('c3', 'hi');
    await h.customerSays('c4', 'hi');
    expect([await h.assigneeOf(1), await h.assigneeOf(2), await h.assigneeOf(3), await h.assigneeOf(4)]).toEqual([
      'amanda',
      'geraldine',
      'amanda',
      'mathew',
    ]);
  });
});
