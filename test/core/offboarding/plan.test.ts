import { describe, expect, it } from 'vitest';
import type { Agent, Membership } from '../../../src/core/index.js';
import { countPlan, planMoves, type PlanInput, type ResolvedPlan } from '../../../src/core/offboarding/plan.js';

type Snap = Pick<Agent, 'handle' | 'status' | 'availability' | 'openCount' | 'capacity'>;
const agent = (handle: string, over: Partial<Snap> = {}): Snap => ({ handle, status: 'active', availability: 'online', openCount: 0, capacity: 100, ...over });
const convs = (n: number, inbox = 'support', start = 1) => Array.from({ length: n }, (_, i) => ({ number: start + i, inbox, excluded: [] as string[] }));
const members = (inbox: string, handles: string[]): Membership[] => handles.map((handle, i) => ({ inbox, handle, seq: i + 1, joinedAt: new Date(0) }));

function input(plan: ResolvedPlan, over: Partial<PlanInput> = {}): PlanInput {
  const agents = [agent('alex'), agent('amanda'), agent('mathew'), agent('geraldine')];
  return {
    agent: 'alex',
    conversations: convs(10),
    plan,
    inboxes: new Map([['support', { cursor: 0, members: members('support', ['alex', 'amanda', 'mathew', 'geraldine']) }]]),
    agents: new Map(agents.map((a) => [a.handle, a])),
    ...over,
  };
}
const counts = (i: PlanInput) => countPlan(planMoves(i));

describe('planMoves', () => {
  it('--hardcoded @a=3,@b=4 over 10: a 3, b 4, 3 queued, oldest first', () => {
    const moves = planMoves(input({ kind: 'hardcoded', shares: [{ handle: 'a', n: 3 }, { handle: 'b', n: 4 }] }));
    expect(moves.map((m) => m.to)).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'b', null, null, null]);
    expect(countPlan(moves)).toEqual({ receivers: [{ handle: 'b', count: 4 }, { handle: 'a', count: 3 }], queued: 3 });
  });

  it('--ratio @a=1,@b=2 over 10: rounds repeat until all are placed (a 4, b 6)', () => {
    const moves = planMoves(input({ kind: 'ratio', shares: [{ handle: 'a', n: 1 }, { handle: 'b', n: 2 }] }));
    expect(moves.map((m) => m.to)).toEqual(['a', 'b', 'b', 'a', 'b', 'b', 'a', 'b', 'b', 'a']);
    expect(countPlan(moves)).toEqual({ receivers: [{ handle: 'b', count: 6 }, { handle: 'a', count: 4 }], queued: 0 });
  });

  it('--to gives everything to one agent, whatever the capacity', () => {
    expect(counts(input({ kind: 'to', handle: 'sup' }))).toEqual({ receivers: [{ handle: 'sup', count: 10 }], queued: 0 });
  });

  it('round-robin: in rotation order from the cursor, skipping the offboarded agent', () => {
    const i = input({ kind: 'strategy', strategy: 'round-robin' });
    i.inboxes = new Map([['support', { cursor: 3, members: members('support', ['alex', 'amanda', 'mathew', 'geraldine']) }]]); // cursor on mathew
    expect(planMoves(i).slice(0, 4).map((m) => m.to)).toEqual(['geraldine', 'amanda', 'mathew', 'geraldine']);
    expect(counts(i).receivers).toEqual([
      { handle: 'geraldine', count: 4 },
      { handle: 'amanda', count: 3 },
      { handle: 'mathew', count: 3 },
    ]);
  });

  it('round-robin skips agents who are away, inactive, full or excluded, and queues what nobody can take', () => {
    const agents = [agent('amanda', { capacity: 2, openCount: 1 }), agent('mathew', { availability: 'away' }), agent('geraldine', { status: 'suspended' })];
    const i = input({ kind: 'strategy', strategy: 'round-robin' }, { agents: new Map(agents.map((a) => [a.handle, a])) });
    const moves = planMoves(i);
    expect(countPlan(moves)).toEqual({ receivers: [{ handle: 'amanda', count: 1 }], queued: 9 });
    const excluded = input({ kind: 'strategy', strategy: 'round-robin' }, { conversations: [{ number: 1, inbox: 'support', excluded: ['amanda', 'mathew'] }] });
    expect(planMoves(excluded)).toEqual([{ conversation: 1, inbox: 'support', to: 'geraldine' }]);
  });

  it('plans each conversation in its own inbox; an inbox without a snapshot (paused) queues', () => {
    const i = input({ kind: 'strategy', strategy: 'round-robin' }, {
      conversations: [...convs(2, 'support'), ...convs(2, 'sales', 3), ...convs(1, 'paused', 5)],
      inboxes: new Map([
        ['support', { cursor: 0, members: members('support', ['alex', 'amanda']) }],
        ['sales', { cursor: 0, members: members('sales', ['mathew', 'alex']) }],
      ]),
    });
    expect(planMoves(i).map((m) => m.to)).toEqual(['amanda', 'amanda', 'mathew', 'mathew', null]);
  });

  it('least-busy: fewest open first, load grows as the plan hands out, ties by rotation', () => {
    const agents = [agent('amanda', { openCount: 5 }), agent('mathew', { openCount: 2 }), agent('geraldine', { openCount: 0 })];
    const i = input({ kind: 'strategy', strategy: 'least-busy' }, { agents: new Map(agents.map((a) => [a.handle, a])) });
    expect(planMoves(i).map((m) => m.to)).toEqual(['geraldine', 'geraldine', 'mathew', 'geraldine', 'mathew', 'geraldine', 'mathew', 'geraldine', 'amanda', 'mathew']);
    expect(counts(i).receivers).toEqual([
      { handle: 'geraldine', count: 5 },
      { handle: 'mathew', count: 4 },
      { handle: 'amanda', count: 1 },
    ]);
  });

  it('plans oldest first whatever the input order, and an empty list gives an empty plan', () => {
    const i = input({ kind: 'hardcoded', shares: [{ handle: 'a', n: 1 }] }, { conversations: [...convs(2, 'support', 5), ...convs(1, 'support', 2)] });
    expect(planMoves(i)).toEqual([
      { conversation: 2, inbox: 'support', to: 'a' },
      { conversation: 5, inbox: 'support', to: null },
      { conversation: 6, inbox: 'support', to: null },
    ]);
    expect(planMoves(input({ kind: 'to', handle: 'a' }, { conversations: [] }))).toEqual([]);
  });
});
