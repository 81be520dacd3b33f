import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../../../src/core/index.js';
import { makeCore } from '../../support/core-harness.js';

/** Home views are refreshed from the core's changes: which users, when, and at what cost. */
describe('home view refreshes', () => {
  async function setup() {
    const timers = new ManualTimers();
    const h = makeCore({ timers });
    const told: string[][] = [];
    await h.agent('amanda', { slackUserId: 'U0AMANDA01', homePlatform: 'slack' });
    await h.agent('mathew', { slackUserId: 'U0MATHEW01', homePlatform: 'slack', availability: 'offline' });
    await h.agent('sam', { role: 'supervisor', slackUserId: 'U0SAM00001', availability: 'offline' });
    await h.agent('tina', { availability: 'offline' }); // Telegram only: Slack has no tab for her
    await h.inbox('support', ['amanda', 'mathew', 'tina']);
    // from here on Slack shows home views
    Object.assign(h.slack, { homeChanged: (ids: readonly string[]) => told.push([...ids].sort()) });
    return { h, timers, told };
  }

  it('tells the platform once per debounce which of its users should see their tab again: the agents touched and the supervisors', async () => {
    const { h, timers, told } = await setup();
    await h.customerSays('c1', 'hello');
    await h.customerSays('c2', 'hello again');
    expect(told).toEqual([]);
    timers.advance(1999);
    expect(told).toEqual([]);
    timers.advance(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(told).toEqual([['U0AMANDA01', 'U0SAM00001']]);
    // Mathew's availability is his own and the supervisors' business; Tina has no Slack identity
    expect(await h.command('mathew', '/available')).toMatch(/^You are online/);
    expect(await h.command('tina', '/available')).toMatch(/^You are online/);
    timers.advance(2000);
    await new Promise((r) => setTimeout(r, 10));
    expect(told[1]).toEqual(['U0MATHEW01', 'U0SAM00001']);
    expect(timers.pending).toBe(0);
  });

  it('says nothing and schedules nothing when no platform shows home views', async () => {
    const timers = new ManualTimers();
    const h = makeCore({ timers });
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello');
    expect(timers.pending).toBe(0);
  });

  it('the home view of a Slack user: an agent with conversations and the buttons for the other availabilities, a stranger one line', async () => {
    const { h } = await setup();
    await h.customerSays('c1', 'where is my parcel');
    const view = await h.core.homeView('slack', 'U0AMANDA01');
    if (view.kind !== 'agent') throw new Error(`expected an agent's view, got ${view.kind}`);
    expect(view.conversations.map((c) => [c.number, c.inbox, c.customer, c.lastMessage])).toEqual([[1, 'support', 'Customer c1', 'where is my parcel']]);
    expect(view.availabilityButtons.map((b) => b.action)).toEqual(['set-away', 'set-offline']);
    expect(view.supervisor).toBeUndefined();
    const sam = await h.core.homeView('slack', 'U0SAM00001');
    expect(sam.kind === 'agent' && sam.supervisor?.queues.map((q) => [q.inbox, q.waiting])).toEqual([['support', 0]]);
    expect(await h.core.homeView('slack', 'U0NOBODY01')).toEqual({ kind: 'stranger', text: expect.stringContaining('ask a Switchboard admin to add your user id U0NOBODY01') });
  });
});
