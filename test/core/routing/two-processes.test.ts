import { describe, expect, it } from 'vitest';
import { ManualClock, Switchboard, noMetrics, randomCode, silentLogger, type Platform } from '../../../src/core/index.js';
import { ManualScheduler } from '../../support/manual-scheduler.js';
import { RecordingChannel } from '../../support/recording-channel.js';
import { makeCore } from '../../support/core-harness.js';

describe('two Switchboard processes on one store', () => {
  it('never double-assign and never push an agent over capacity, also for one customer writing to both', async () => {
    const h = makeCore();
    const names = ['a1', 'a2', 'a3'];
    for (const a of names) await h.agent(a, { capacity: 7 });
    await h.inbox('support', names);
    // a second core on the same store: another process behind the same database
    const other = new Switchboard({
      store: h.store,
      scheduler: new ManualScheduler(),
      clock: new ManualClock(),
      logger: silentLogger,
      metrics: noMetrics,
      channels: new Map<Platform, RecordingChannel>([['telegram', new RecordingChannel('telegram')]]),
      newCode: randomCode,
      inviteLink: () => null,
    });
    const message = (core: Switchboard, i: number, customer: string) =>
      core.handleInbound({
        platform: 'telegram',
        deliveryId: `tp:${i}`,
        kind: 'message',
        sender: { id: customer, name: customer },
        chat: { id: customer, isDirect: true },
        text: `message ${i}`,
      });
    // 40 customers, each writing twice, the two messages landing on different processes
    await Promise.all(Array.from({ length: 80 }, (_, i) => message(i % 2 ? h.core : other, i, `c${i >> 1}`)));

    const all = (await h.store.listConversations({}, { limit: 1000 })).items;
    expect(all).toHaveLength(40); // one conversation per customer
    expect(new Set(all.map((c) => c.customer.id)).size).toBe(40);
    const assigned = all.filter((c) => c.status === 'assigned');
    expect(assigned).toHaveLength(21);
    for (const a of await h.store.getAgents(names)) {
      expect(a.openCount).toBe(7);
      expect(assigned.filter((c) => c.assignee === a.handle)).toHaveLength(7);
    }
    for (const c of assigned) {
      const routes = (await h.store.listHistory({ conversation: c.number }, { limit: 10 })).items.filter((e) => e.reason === 'route');
      expect(routes, `#${c.number}`).toHaveLength(1);
    }
    expect(await h.store.listMessages(1)).toHaveLength(2);
  });
});
