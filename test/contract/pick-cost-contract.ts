import { expect, it } from 'vitest';
import type { Strategy } from '../../src/core/index.js';
import { agent, inbox, parallel, T0, type CurrentStore } from './fixtures.js';

/** For stores behind a database: what a pick costs in database commands, alone and 300 at once. */
export function pickCostContract(store: CurrentStore, commands: () => number): void {
  async function setUp(name: string, strategy: Strategy, members: number): Promise<void> {
    const s = store();
    await s.createInbox(inbox(name, { strategy }));
    for (let i = 0; i < members; i++) {
      await s.createAgent(agent(`${name}-${i}`, { capacity: 1000 }));
      await s.addMember(name, `${name}-${i}`, T0);
    }
  }

  /** Commands per pick for `count` picks, sequentially or all at once. */
  async function cost(name: string, count: number, atOnce: boolean): Promise<number> {
    const s = store();
    const before = commands();
    if (atOnce) await parallel(count, () => s.pickAgent(name, []));
    else for (let i = 0; i < count; i++) await s.pickAgent(name, []);
    return (commands() - before) / count;
  }

  for (const strategy of ['round-robin', 'least-busy'] as const) {
    it(`${strategy}: 300 picks at once cost within 1.5× the commands of one pick alone, each`, async () => {
      await setUp('support', strategy, 3);
      const alone = await cost('support', 6, false);
      const atOnce = await cost('support', 300, true);
      expect(atOnce, `${atOnce.toFixed(2)} commands per pick at once vs ${alone.toFixed(2)} alone`).toBeLessThanOrEqual(alone * 1.5);
      expect(atOnce).toBeGreaterThan(0);
    });

    it(`${strategy}: a pick in an inbox of 300 members costs the commands of one in an inbox of 3`, async () => {
      await setUp('small', strategy, 3);
      await setUp('large', strategy, 300);
      const small = await cost('small', 6, false);
      const large = await cost('large', 6, false);
      expect(large, `${large.toFixed(2)} commands per pick among 300 vs ${small.toFixed(2)} among 3`).toBeLessThanOrEqual(small * 1.5);
    });
  }
}
