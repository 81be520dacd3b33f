import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/core-harness.js';
import { expectConsistentLoad, holders, offboard, team } from './setup.js';

describe('suspension and reinstatement', () => {
  it('new messages reach the new assignee while the agent is away', async () => {
    const h = await team(3);
    await offboard(h, 'sam', '@alex --suspend');
    h.telegram.clear();
    await h.customerSays('c1', 'still there?');
    expect(h.telegram.texts(await h.chatOf('amanda'))).toEqual(['#1 Customer c1: still there?']);
    expect(h.telegram.texts(await h.chatOf('alex'))).toEqual([]);
  });

  it('--until: at WHEN the agent returns, rejoins, and gets back what is still with whoever took it', async () => {
    const h = await team(10);
    const { summary } = await offboard(h, 'sam', '@alex --suspend --until 5m'); // shorter than the 10 min response timeout
    expect(summary).toContain('@alex is suspended until 2026-01-01 09:05 UTC.');
    const [job] = await h.scheduler.pending('reinstate-agent', { handle: 'alex' });
    expect(job!.runAt).toEqual(new Date('2026-01-01T09:05:00Z'));
    // amanda #1 #4 #7 #10, mathew #2 #5 #8, geraldine #3 #6 #9; then things change meanwhile
    await h.command('mathew', '/close #2');
    await h.command('geraldine', '/transfer #3 @amanda');
    await h.command('amanda', '/unassign #4');
    h.telegram.clear();

    h.clock.advance(5 * 60_000 - 1000);
    expect(await h.scheduler.runDue(h.core, h.clock)).toBe(0);
    h.clock.advance(1000);
    expect(await h.scheduler.runDue(h.core, h.clock)).toBe(1);

    const alex = (await h.store.getAgent('alex'))!;
    expect([alex.status, alex.openCount]).toEqual(['active', 7]);
    expect((await h.store.listMemberships('alex')).map((m) => m.inbox)).toEqual(['support']);
    expect((await h.store.listAssigned('alex')).map((c) => c.number)).toEqual([1, 5, 6, 7, 8, 9, 10]);
    expect(await holders(h)).toEqual({ alex: 7, amanda: 1, queued: 1 });
    expect(await h.statusOf(2)).toBe('closed');
    expect(await h.assigneeOf(3)).toBe('amanda');
    expect(await h.statusOf(4)).toBe('unassigned');
    const back = (await h.store.listHistory({ conversation: 5 }, { limit: 10 })).items.at(-1);
    expect(back).toMatchObject({ reason: 'reinstate', from: 'mathew', to: 'alex', actor: null });

    const toAlex = h.telegram.texts(await h.chatOf('alex'));
    expect(toAlex).toHaveLength(1);
    expect(toAlex[0]).toMatch(/^You are active again \(reinstated at the end of your suspension\)\.\nYou are back in support\.\n7 conversation\(s\) came back to you: #1, #5, #6, #7, #8, #9, #10\. \/mine lists them\.\n/);
    // and what was written in each while they were away
    expect(toAlex[0]).toContain('\n#5 support · Customer c5\n[09:00] Customer c5: question 5\n#6 support');
    expect(h.telegram.texts(await h.chatOf('mathew'))).toEqual(['2 conversation(s) went back to @alex, who is back: #5, #8.']);
    const toSam = h.telegram.texts(await h.chatOf('sam'));
    expect(toSam).toHaveLength(1);
    expect(toSam[0]).toContain('Suspension over. @alex is active again and back in support.\n7/10 conversation(s) came back: #1, #5, #6, #7, #8, #9, #10.');
    expect(toSam[0]).toContain('Stayed where they are: #2 closed, #3 now with @amanda, #4 waiting (unassigned).');
    // timers for waiting customers follow the conversation back
    const timers = await h.scheduler.pending('response-timeout', { conversation: 5 });
    expect(timers.map((j) => [j.data.assignee, j.runAt])).toEqual([['alex', new Date('2026-01-01T09:15:00Z')]]);
    await expectConsistentLoad(h);
  });

  it('the job is idempotent: running it again changes nothing', async () => {
    const h = await team(3);
    await offboard(h, 'sam', '@alex --suspend --until 30m');
    const [job] = await h.scheduler.pending('reinstate-agent', {});
    h.clock.advance(30 * 60_000);
    await h.scheduler.runDue(h.core, h.clock);
    await h.command('alex', '/transfer #1 @amanda');
    const before = await holders(h);
    const events = (await h.store.listHistory({}, { limit: 1000 })).items.length;
    await h.core.runJob('reinstate-agent', job!.data);
    expect(await holders(h)).toEqual(before);
    expect((await h.store.listHistory({}, { limit: 1000 })).items.length).toBe(events);
  });

  it('/reinstate brings the agent back early and cancels the scheduled return', async () => {
    const h = await team(4);
    await offboard(h, 'sam', '@alex --suspend --until 3d');
    const [job] = await h.scheduler.pending('reinstate-agent', {});
    const answer = await h.command('sue', '/reinstate @alex');
    expect(answer).toBe('@alex is active again and back in support.\n4/4 conversation(s) came back: #1, #2, #3, #4.');
    expect(await h.scheduler.pending('reinstate-agent', {})).toEqual([]);
    expect(await holders(h)).toEqual({ alex: 4 });
    expect((await h.store.getOffboarding(job!.data.offboarding))!.state).toBe('reinstated');
    // a job that fires anyway (another process) does nothing
    await h.command('alex', '/transfer #1 @amanda');
    await h.core.runJob('reinstate-agent', job!.data);
    expect(await holders(h)).toEqual({ alex: 3, amanda: 1 });
    expect(await h.command('sue', '/reinstate @alex')).toBe('@alex is active already; nothing to reinstate.');
  });

  it('going further (suspended → disabled) cancels the scheduled return', async () => {
    const h = await team(2);
    await offboard(h, 'sam', '@alex --suspend --until 1h');
    const [job] = await h.scheduler.pending('reinstate-agent', {});
    const { preview, summary } = await offboard(h, 'sam', '@alex --disable');
    expect(preview).toContain('@alex holds no open conversations.');
    expect(preview).toMatch(/• reinstatement at 2026-01-01 10:00 UTC: cancelled/);
    expect(summary).toContain('0/0 reassigned, 0 left unassigned.');
    expect(await h.scheduler.pending('reinstate-agent', {})).toEqual([]);
    await h.core.runJob('reinstate-agent', job!.data);
    expect((await h.store.getAgent('alex'))!.status).toBe('disabled');
  });

  it('/reinstate of a disabled agent restores access and inboxes but moves no conversations', async () => {
    const h = await team(3);
    await offboard(h, 'sam', '@alex');
    expect(await h.command('sam', '/reinstate @alex')).toBe(
      '@alex is active again and back in support.\nConversations stay where they went (the agent was disabled, not suspended).',
    );
    expect((await h.store.getAgent('alex'))!.status).toBe('active');
    expect(await h.store.listAssigned('alex')).toEqual([]);
    expect(await holders(h)).toEqual({ amanda: 1, mathew: 1, geraldine: 1 });
    expect(h.telegram.texts(await h.chatOf('alex')).at(-1)).toBe('You are active again (reinstated by @sam).\nYou are back in support.');
    // back in the rotation: new customers reach them again
    await h.customerSays('new1', 'hi');
    await h.customerSays('new2', 'hi');
    await h.customerSays('new3', 'hi');
    await h.customerSays('new4', 'hi');
    expect((await h.store.listAssigned('alex')).length).toBe(1);
  });

  it('/reinstate of an agent disabled without an offboarding record restores access only', async () => {
    const h = await team(1);
    await h.store.updateAgent('mathew', { status: 'disabled' });
    expect(await h.command('sam', '/reinstate @mathew')).toBe(
      '@mathew is active again.\nNo offboarding on record, so there were no inboxes to rejoin and no conversations to take back.',
    );
    expect((await h.store.listMemberships('mathew')).map((m) => m.inbox)).toEqual(['support']);
  });

  it('the agents who give conversations back have room again: their queues drain', async () => {
    const h = makeCore();
    await h.agent('alex');
    await h.agent('mathew', { capacity: 1 });
    await h.agent('sam', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['alex']);
    await h.inbox('vip', ['mathew'], { platform: 'slack', slackChannelId: 'CVIP' });
    await h.customerSays('c1', 'hi');
    await offboard(h, 'sam', '@alex --suspend --to @mathew');
    await h.core.handleInbound({
      platform: 'slack',
      deliveryId: 'slack:vip1',
      kind: 'message',
      sender: { id: 'UVIP', name: 'Vip' },
      chat: { id: 'CVIP', isDirect: false },
      messageId: '1700000000.000100',
      text: 'urgent',
    });
    expect(await h.statusOf(2)).toBe('queued'); // mathew is full with #1
    await h.command('sam', '/reinstate @alex');
    expect(await h.assigneeOf(1)).toBe('alex');
    expect(await h.assigneeOf(2)).toBe('mathew');
    await expectConsistentLoad(h);
  });

  it('a customer writing while the agent rejoins does not push them over capacity with what comes back', async () => {
    const h = makeCore();
    await h.agent('alex', { capacity: 2 });
    await h.agent('sam', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['alex']);
    await h.customerSays('c1', 'one');
    await h.customerSays('c2', 'two');
    await offboard(h, 'sam', '@alex --suspend --to @sam');
    const addMember = h.store.addMember.bind(h.store);
    let customerWrites = true;
    h.store.addMember = async (...args) => {
      const membership = await addMember(...args);
      if (customerWrites) {
        customerWrites = false;
        await h.customerSays('c3', 'three'); // arrives while the reinstatement is under way
      }
      return membership;
    };
    await h.command('sam', '/reinstate @alex');
    expect((await h.store.listAssigned('alex')).map((c) => c.number)).toEqual([1, 2]);
    const alex = (await h.store.getAgent('alex'))!;
    expect([alex.openCount, alex.capacity]).toEqual([2, 2]);
    expect(await h.statusOf(3)).toBe('queued');
    await expectConsistentLoad(h);
  });

  it('a reinstatement resumed after a crash, the agent given work meanwhile, returns only what fits their capacity', async () => {
    const h = makeCore();
    await h.agent('alex', { capacity: 2 });
    await h.agent('bea', { capacity: 5 });
    await h.agent('sam', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['alex', 'bea']);
    await h.command('bea', '/away');
    await h.customerSays('c1', 'one');
    await h.customerSays('c2', 'two');
    await offboard(h, 'sam', '@alex --suspend --to @sam');
    await h.command('bea', '/available');
    // the reinstatement stopped after alex was active again and before anything came back (a crash)…
    const updateConversation = h.store.updateConversation.bind(h.store);
    h.store.updateConversation = () => Promise.reject(new Error('process stopped'));
    await h.command('sam', '/reinstate @alex').catch(() => undefined);
    h.store.updateConversation = updateConversation;
    expect((await h.store.getAgent('alex'))!.status).toBe('active');
    // …and before it was resumed, alex was given a conversation (as another offboarding's plan may)
    await h.customerSays('c3', 'three');
    expect(await h.assigneeOf(3)).toBe('bea');
    expect(await h.store.reserveSlot('alex', { requireOnline: false, ignoreCapacity: false })).not.toBeNull();
    expect(await h.store.updateConversation(3, { assignee: 'bea' }, { assignee: 'alex' })).not.toBeNull();
    await h.store.releaseSlot('bea');
    expect(await h.assigneeOf(3)).toBe('alex');

    await h.core.reconcile(); // the slot the stopped move had reserved is counted right again
    await h.core.resumeOffboardings();
    const alex = (await h.store.getAgent('alex'))!;
    expect([alex.openCount, alex.capacity]).toEqual([2, 2]);
    expect((await h.store.listAssigned('alex')).map((c) => c.number).sort()).toEqual([1, 3]);
    expect(await h.assigneeOf(2)).toBe('sam');
    await expectConsistentLoad(h);
  });
});
