import { describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../support/core-harness.js';
import { seededRandom as random } from '../support/seeded-random.js';
import { openDataDir } from '../../src/store/embedded/data-dir.js';
import { expectSameAfterReopen, tempDir } from '../store/data-dir-support.js';

const AGENTS = ['amanda', 'bob', 'carl', 'dina'];

/** Six things at once: customers writing, agents and a supervisor typing commands, timers firing, replies. */
function someOperations(h: CoreHarness, r: () => number): Promise<unknown>[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ops: Promise<unknown>[] = [];
  for (let k = 0; k < 6; k++) {
    const n = 1 + Math.floor(r() * 8);
    const anyone = pick([...AGENTS, 'sup']);
    const x = r();
    if (x < 0.25) ops.push(h.customerSays(`c${1 + Math.floor(r() * 8)}`, 'a question'));
    else if (x < 0.35) ops.push(h.command(anyone, `/close #${n}`));
    else if (x < 0.45) ops.push(h.command(pick(AGENTS), `/transfer #${n} @${pick(AGENTS)}`)); // agents' transfers respect capacity
    else if (x < 0.55) ops.push(h.command(anyone, `/unassign #${n}${r() < 0.5 ? ' --reassign' : ''}`));
    else if (x < 0.65) ops.push(h.command(anyone, `/claim #${n}`));
    else if (x < 0.72) ops.push(h.command(anyone, pick(['/available', '/away', '/offline'])));
    else if (x < 0.8) ops.push(h.command('sup', pick(['/pause support', '/resume support'])));
    else if (x < 0.9) {
      h.clock.advance(10_000);
      ops.push(h.scheduler.runDue(h.core, h.clock));
    } else {
      ops.push(
        (async () => {
          const c = await h.store.getConversation(n);
          if (!c?.assignee || c.status !== 'assigned') return;
          const notice = await h.lastNoticeId(c.assignee, n).catch(() => undefined);
          await h.reply(c.assignee, notice, 'an answer');
        })(),
      );
    }
  }
  return ops;
}

// 340, 519, 1378, 1873: interleavings where a reply raced a transfer or a redirect and left a
// waiting conversation without its response timer
const SEEDS = [...Array.from({ length: 100 }, (_, i) => i + 1), 340, 519, 1378, 1873];

describe('the conversation lifecycle under concurrent calls', () => {
  it.each(SEEDS)('keeps load, capacity, timers and one open conversation per customer consistent (seed %i)', async (seed) => {
    await checkInvariants(seed, makeCore());
  });
});

describe('the conversation lifecycle under concurrent calls, in a data directory', () => {
  it.each(SEEDS.slice(0, 12))('stays consistent, and the directory opened again holds the same state (seed %i)', async (seed) => {
    const temp = tempDir();
    try {
      const data = await openDataDir(temp.dir);
      await checkInvariants(seed, makeCore({ store: data.store }));
      const reopened = await expectSameAfterReopen(data);
      await reopened.close();
    } finally {
      temp.remove();
    }
  });
});

async function checkInvariants(seed: number, h: CoreHarness): Promise<void> {
  {
    const r = random(seed);
    for (const a of AGENTS) await h.agent(a, { capacity: 3 });
    await h.agent('sup', { role: 'supervisor' });
    await h.inbox('support', [...AGENTS, 'sup'], { responseTimeoutSec: 30, maxRedirects: 1, fallbackAgent: 'sup' });
    for (let round = 0; round < 15; round++) await Promise.all(someOperations(h, r));

    for (const a of (await h.store.listAgents({ limit: 100 })).items) {
      const held = (await h.store.listAssigned(a.handle)).length;
      expect({ agent: a.handle, openCount: a.openCount, withinCapacity: a.openCount <= a.capacity }).toEqual({ agent: a.handle, openCount: held, withinCapacity: true });
    }
    const all = (await h.store.listConversations({}, { limit: 1000 })).items;
    for (const c of all) {
      if (c.status === 'queued' || c.status === 'unassigned') expect({ n: c.number, assignee: c.assignee }).toEqual({ n: c.number, assignee: null });
      if (c.status === 'assigned' && c.waitingSince && c.redirects <= 1) {
        const timers = (await h.scheduler.pending('response-timeout', { conversation: c.number })).map((t) => t.data);
        expect({ n: c.number, timers }).toEqual({ n: c.number, timers: [{ conversation: c.number, assignee: c.assignee, waitingSince: c.waitingSince.toISOString() }] });
      }
    }
    const openCustomers = all.filter((c) => c.status !== 'closed').map((c) => c.customer.id);
    expect(new Set(openCustomers).size).toBe(openCustomers.length);
  }
}
