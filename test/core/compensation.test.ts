import { describe, expect, it } from 'vitest';
import type { CounterName, Metrics } from '../../src/core/index.js';
import { makeCore } from '../support/core-harness.js';
import { faultyStore, type StoreMethod } from '../support/store-wrappers.js';

/** Fails the next conditional assignment of a conversation (an update that gives it an assignee). */
function assignmentFails() {
  let armed = false;
  return {
    arm: () => {
      armed = true;
    },
    fail: (method: StoreMethod, args: unknown[]) => {
      const update = args[2] as { assignee?: unknown } | undefined;
      if (!armed || method !== 'updateConversation' || typeof update?.assignee !== 'string') return false;
      armed = false;
      return true;
    },
  };
}

describe('a failed assignment after a reserved slot', () => {
  it('gives the slot back when routing cannot assign, so the next customer still reaches the agent', async () => {
    const faults = assignmentFails();
    const h = makeCore({ wrapStore: (s) => faultyStore(s, faults.fail) });
    await h.agent('amanda', { capacity: 1 });
    await h.inbox('support', ['amanda']);
    faults.arm();
    await expect(h.customerSays('c1', 'hello')).rejects.toThrow(/injected/);
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(0);

    await h.customerSays('c2', 'anyone there?');
    expect(await h.assigneeOf(2)).toBe('amanda');
  });

  it("gives the target's slot back when a /transfer fails at the move", async () => {
    const faults = assignmentFails();
    const h = makeCore({ wrapStore: (s) => faultyStore(s, faults.fail) });
    await h.agent('amanda');
    await h.agent('bob', { capacity: 1, availability: 'offline' });
    await h.inbox('support', ['amanda', 'bob']);
    await h.customerSays('c1', 'hello');
    faults.arm();
    await expect(h.command('amanda', '/transfer #1 @bob')).rejects.toThrow(/injected/);
    expect((await h.store.getAgent('bob'))!.openCount).toBe(0);
    expect(await h.command('amanda', '/transfer #1 @bob')).toBe('Transferred #1 to @bob.');
  });

  it("gives the claimer's slot back when a /claim fails at the move", async () => {
    const faults = assignmentFails();
    const h = makeCore({ wrapStore: (s) => faultyStore(s, faults.fail) });
    await h.agent('amanda', { capacity: 1, availability: 'offline' });
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello');
    faults.arm();
    await expect(h.command('amanda', '/claim #1')).rejects.toThrow(/injected/);
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(0);
    expect(await h.command('amanda', '/claim #1')).toBe('You claimed #1 (Customer c1).');
  });

  it("gives the fallback agent's slot back when the escalation fails at the move", async () => {
    const faults = assignmentFails();
    const h = makeCore({ wrapStore: (s) => faultyStore(s, faults.fail) });
    await h.agent('amanda');
    await h.agent('sup', { role: 'supervisor', capacity: 1, availability: 'offline' });
    await h.inbox('support', ['amanda'], { responseTimeoutSec: 60, maxRedirects: 0, fallbackAgent: 'sup' });
    await h.customerSays('c1', 'hello');
    faults.arm();
    h.clock.advance(60_000);
    await expect(h.scheduler.runDue(h.core, h.clock)).rejects.toThrow(/injected/);
    expect((await h.store.getAgent('sup'))!.openCount).toBe(0);
    expect(await h.statusOf(1)).toBe('queued');
  });
});

describe('the load reconciliation', () => {
  function countingMetrics() {
    const counted: { name: CounterName; labels: Record<string, string> | undefined }[] = [];
    const metrics: Metrics = { inc: (name, labels) => counted.push({ name, labels }), observeRouting() {} };
    return { metrics, counted };
  }

  it('sets a leaked count back to what the agent holds and drains the queue it blocked', async () => {
    const { metrics, counted } = countingMetrics();
    const warnings: string[] = [];
    const h = makeCore({ metrics, logger: { info() {}, debug() {}, error() {}, warn: (_f, m) => warnings.push(m) } });
    await h.agent('amanda', { capacity: 1 });
    await h.inbox('support', ['amanda']);
    await h.store.setOpenCount('amanda', 0, 1); // a slot left behind by a failure
    await h.customerSays('c1', 'hello');
    expect(await h.statusOf(1)).toBe('queued');

    expect(await h.core.reconcile()).toEqual({ checked: 1, corrected: 1, assigned: 1, timersRepaired: 0 });
    expect(await h.assigneeOf(1)).toBe('amanda');
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(1);
    expect(h.telegram.texts(await h.chatOf('amanda')).at(-1)).toContain('New conversation #1');
    expect(counted.filter((c) => c.name === 'load_corrections')).toEqual([{ name: 'load_corrections', labels: { direction: 'down' } }]);
    expect(warnings).toEqual(['load reconciliation: open-conversation count corrected from 1 to 0']);
  });

  it('raises a count that is below what the agent holds, so routing cannot push them over capacity', async () => {
    const h = makeCore();
    await h.agent('amanda', { capacity: 1 });
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello');
    await h.store.releaseSlot('amanda'); // a release that should not have happened
    expect(await h.core.reconcile()).toEqual({ checked: 1, corrected: 1, assigned: 0, timersRepaired: 0 });
    await h.customerSays('c2', 'me too');
    expect(await h.statusOf(2)).toBe('queued');
  });

  it('runs as the reconcile job and changes nothing when every count is right', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello');
    await h.core.runJob('reconcile', {});
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(1);
    expect(await h.core.reconcile()).toEqual({ checked: 1, corrected: 0, assigned: 0, timersRepaired: 0 });
  });

  it('gives a waiting conversation whose timer was lost its response timer', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda'], { responseTimeoutSec: 60 });
    await h.customerSays('c1', 'hello');
    await h.scheduler.cancel('response-timeout', { conversation: 1 }); // the process died before setting it
    expect(await h.core.reconcile()).toEqual({ checked: 1, corrected: 0, assigned: 0, timersRepaired: 1 });
    expect(await h.scheduler.pending('response-timeout', { conversation: 1, assignee: 'amanda' })).toHaveLength(1);
    expect(await h.core.reconcile()).toEqual({ checked: 1, corrected: 0, assigned: 0, timersRepaired: 0 });
  });
});
