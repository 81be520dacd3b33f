// A seeded property test over the core: many things at once while the store fails a random
// operation now and then. After the repairs the product runs (offboardings resumed at start,
// the periodic reconciliation), every invariant holds.
import { describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../support/core-harness.js';
import { seededRandom as random } from '../support/seeded-random.js';
import { faultyStore } from '../support/store-wrappers.js';

const AGENTS = ['amanda', 'bob', 'carl', 'dina'];

function someOperations(h: CoreHarness, r: () => number): Promise<unknown>[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ops: Promise<unknown>[] = [];
  for (let k = 0; k < 6; k++) {
    const n = 1 + Math.floor(r() * 8);
    const x = r();
    if (x < 0.3) ops.push(h.customerSays(`c${1 + Math.floor(r() * 8)}`, 'a question'));
    else if (x < 0.38) ops.push(h.command(pick([...AGENTS, 'sup']), `/close #${n}`));
    else if (x < 0.46) ops.push(h.command(pick(AGENTS), `/transfer #${n} @${pick(AGENTS)}`));
    else if (x < 0.54) ops.push(h.command(pick([...AGENTS, 'sup']), `/unassign #${n}${r() < 0.5 ? ' --reassign' : ''}`));
    else if (x < 0.62) ops.push(h.command(pick(AGENTS), `/claim #${n}`));
    else if (x < 0.7) ops.push(h.command(pick(AGENTS), pick(['/available', '/away'])));
    else if (x < 0.76) {
      const who = pick(AGENTS);
      ops.push(
        (async () => {
          const preview = await h.command('sup', `/offboard @${who} --suspend`);
          const code = /\/offboard confirm ([A-Z0-9]+)/.exec(preview)?.[1];
          if (code) await h.command('sup', `/offboard confirm ${code}`);
        })(),
      );
    } else if (x < 0.82) ops.push(h.command('sup', `/reinstate @${pick(AGENTS)}`));
    else if (x < 0.92) {
      h.clock.advance(10_000);
      ops.push(h.scheduler.runDue(h.core, h.clock));
    } else {
      ops.push(
        (async () => {
          const c = await h.store.getConversation(n);
          if (!c?.assignee || c.status !== 'assigned') return;
          await h.reply(c.assignee, await h.lastNoticeId(c.assignee, n).catch(() => undefined), 'an answer');
        })(),
      );
    }
  }
  return ops;
}

const SEEDS = Array.from({ length: 120 }, (_, i) => i + 1);

describe('the core with a store that fails a random operation', () => {
  it.each(SEEDS)('keeps load, capacity, timers, open conversations and access consistent after repair (seed %i)', async (seed) => {
    const r = random(seed);
    const faults = random(seed * 7919);
    let failing = false;
    let injected = 0;
    const h = makeCore({
      wrapStore: (s) =>
        faultyStore(s, () => {
          if (!failing || faults() >= 0.03) return false;
          injected++;
          return true;
        }),
    });
    for (const a of AGENTS) await h.agent(a, { capacity: 3 });
    await h.agent('sup', { role: 'supervisor' });
    await h.inbox('support', [...AGENTS, 'sup'], { responseTimeoutSec: 30, maxRedirects: 1, fallbackAgent: 'sup' });
    failing = true;
    for (let round = 0; round < 15; round++) await Promise.allSettled(someOperations(h, r));
    failing = false;
    expect(injected).toBeGreaterThan(0);

    // what the product does after failures: unfinished offboardings resume at start, and the
    // reconciliation (at start and every few minutes) corrects counts and lost timers
    await h.core.resumeOffboardings();
    await h.core.reconcile();

    for (const a of (await h.store.listAgents({ limit: 100 })).items) {
      const held = await h.store.listAssigned(a.handle);
      expect({ agent: a.handle, openCount: a.openCount, withinCapacity: a.openCount <= a.capacity }).toEqual({ agent: a.handle, openCount: held.length, withinCapacity: true });
      if (a.status !== 'active') expect({ revoked: a.handle, holds: held.map((c) => c.number) }).toEqual({ revoked: a.handle, holds: [] });
    }
    const all = (await h.store.listConversations({}, { limit: 1000 })).items;
    for (const c of all) {
      if (c.status === 'queued' || c.status === 'unassigned') expect({ n: c.number, assignee: c.assignee }).toEqual({ n: c.number, assignee: null });
      if (c.status === 'assigned' && c.waitingSince && c.redirects <= 1) {
        const timers = (await h.scheduler.pending('response-timeout', { conversation: c.number })).map((t) => t.data);
        expect({ n: c.number, timers }).toEqual({ n: c.number, timers: [{ conversation: c.number, assignee: c.assignee, waitingSince: c.waitingSince.toISOString() }] });
      }
    }
    const open = all.filter((c) => c.status !== 'closed').map((c) => `${c.inbox}|${c.customer.id}`);
    expect(new Set(open).size).toBe(open.length);
  });
});
