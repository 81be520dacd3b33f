import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/core-harness.js';
import { countingStore } from '../../support/store-wrappers.js';

/** `n` customers write at once to an inbox of three agents; store operations spent per assignment. */
async function opsPerAssignment(n: number): Promise<number> {
  let counter: ReturnType<typeof countingStore> | undefined;
  const h = makeCore({ wrapStore: (s) => (counter = countingStore(s)).store });
  for (const a of ['a1', 'a2', 'a3']) await h.agent(a, { capacity: 1000 });
  await h.inbox('support', ['a1', 'a2', 'a3']);
  counter!.reset();
  await Promise.all(Array.from({ length: n }, (_, i) => h.customerSays(`c${i}`, 'hello')));
  const assigned = (await h.store.listConversations({ status: 'assigned' }, { limit: 1000 })).items.length;
  expect(assigned).toBe(n);
  return counter!.total() / assigned;
}

describe('routing many conversations at once', () => {
  it('spends about the same store operations per assignment for 1, 50 and 300 concurrent conversations', async () => {
    const single = await opsPerAssignment(1);
    for (const n of [50, 300]) {
      const each = await opsPerAssignment(n);
      expect({ n, withinOneAndAHalf: each <= single * 1.5 }, `${each.toFixed(1)} operations per assignment vs ${single.toFixed(1)} alone`).toEqual({ n, withinOneAndAHalf: true });
    }
  });

  it('gives 300 customers writing at once to three agents of capacity 100 a hundred each', async () => {
    const h = makeCore();
    for (const a of ['a1', 'a2', 'a3']) await h.agent(a, { capacity: 100 });
    await h.inbox('support', ['a1', 'a2', 'a3']);
    await Promise.all(Array.from({ length: 300 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    const assigned = (await h.store.listConversations({ status: 'assigned' }, { limit: 1000 })).items;
    expect(assigned).toHaveLength(300);
    for (const a of ['a1', 'a2', 'a3']) {
      expect(assigned.filter((c) => c.assignee === a)).toHaveLength(100);
      expect((await h.store.getAgent(a))!.openCount).toBe(100);
    }
  });

  it('keeps round-robin fair within one while routings run at once', async () => {
    const h = makeCore();
    const agents = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    for (const a of agents) await h.agent(a, { capacity: 1000 });
    await h.inbox('support', agents);
    await Promise.all(Array.from({ length: 200 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    const counts = await Promise.all(agents.map(async (a) => (await h.store.listAssigned(a)).length));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(200);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('gives each of many concurrent least-busy routings to an agent with the fewest open conversations', async () => {
    const h = makeCore();
    for (const [a, open] of [['a1', 0], ['a2', 5], ['a3', 9]] as const) {
      await h.agent(a, { capacity: 100 });
      await h.store.setOpenCount(a, 0, open); // load from other inboxes
    }
    await h.inbox('support', ['a1', 'a2', 'a3'], { strategy: 'least-busy' });
    await Promise.all(Array.from({ length: 13 }, (_, i) => h.customerSays(`c${i}`, 'hello')));
    // 13 more: a1 goes 0→5 alone, then a1 and a2 take turns up to 9 — never a3 before they catch up
    expect((await h.store.getAgents(['a1', 'a2', 'a3'])).map((a) => a.openCount)).toEqual([9, 9, 9]);
  });
});
