import { describe, expect, it } from 'vitest';
import { codeOf, expectConsistentLoad, holders, offboard, offboardEvents, team } from './setup.js';

describe('/offboard plans', () => {
  it('previews per inbox, jobs and the distribution, then carries out exactly that (default: disable, round-robin)', async () => {
    const h = await team(10);
    const preview = await h.command('sam', '/offboard @alex');
    expect(preview).toContain('Disable @alex: access stops now');
    expect(preview).toContain('@alex holds 10 open conversation(s):\n• support: 10 open');
    expect(preview).toContain('Plan: 10 conversations: @amanda 4, @mathew 3, @geraldine 3, 0 unassigned');
    expect(preview).toContain('• 10 response timer(s) (#1, #2, #3, #4, #5, #6, #7, #8, #9, #10): cancelled and re-created for the new assignees');
    expect(preview).toContain('Inboxes to leave: support.');
    expect(preview).toContain(`Type /offboard confirm ${codeOf(preview)} within 10 minutes (until 2026-01-01 09:10 UTC)`);
    // nothing happened yet
    expect((await h.store.getAgent('alex'))!.status).toBe('active');
    expect(await holders(h)).toEqual({ alex: 10 });
    const [record] = await h.store.listOffboardings({ agent: 'alex' });
    expect(record).toMatchObject({ state: 'pending', mode: 'disable', supervisor: 'sam', inboxes: ['support'], expiresAt: new Date('2026-01-01T09:10:00Z') });

    const summary = await h.command('sam', `/offboard confirm ${codeOf(preview)}`);
    expect(summary).toContain('@alex is disabled.\n10/10 reassigned, 0 left unassigned (@amanda 4, @mathew 3, @geraldine 3).\nLeft inboxes: support.');
    expect(summary).toContain('10 response timer(s) re-created for the new assignees.');
    expect(await holders(h)).toEqual({ amanda: 4, mathew: 3, geraldine: 3 });
    expect(await h.assigneeOf(1)).toBe('amanda');
    expect(await h.assigneeOf(2)).toBe('mathew');
    expect(await h.assigneeOf(3)).toBe('geraldine');
    const alex = (await h.store.getAgent('alex'))!;
    expect([alex.status, alex.openCount]).toEqual(['disabled', 0]);
    expect(await h.store.listMemberships('alex')).toEqual([]);
    expect((await h.store.getOffboarding(record!.id))!.state).toBe('done');
    await expectConsistentLoad(h);
  });

  it('records one history event per conversation and sends each receiver ONE digest', async () => {
    const h = await team(10);
    const { code } = await offboard(h, 'sam', '@alex');
    const [record] = await h.store.listOffboardings({ agent: 'alex' });
    expect(record!.code).toBe(code);
    for (let n = 1; n <= 10; n++) {
      const events = await offboardEvents(h, n);
      expect(events).toEqual([expect.objectContaining({ reason: 'offboard', from: 'alex', actor: 'sam', offboarding: record!.id })]);
    }
    const amanda = h.telegram.texts(await h.chatOf('amanda'));
    expect(amanda).toHaveLength(1);
    expect(amanda[0]).toContain('@sam handed you 4 conversation(s) of @alex, who is disabled:');
    // with each conversation's latest messages, as any hand-over shows them
    expect(amanda[0]).toContain('#1 support · Customer c1\n[09:00] Customer c1: question 1\n');
    expect(amanda[0]).toContain('#10 support · Customer c10\n[09:00] Customer c10: question 10\n');
    expect(h.telegram.texts(await h.chatOf('mathew'))).toHaveLength(1);
    expect(h.telegram.texts(await h.chatOf('alex'))).toEqual(['Your access was disabled by @sam. Your open conversations went to other agents.']);
  });

  it('re-creates the response timers for the new assignees', async () => {
    const h = await team(4);
    await offboard(h, 'sam', '@alex');
    const timers = await h.scheduler.pending('response-timeout', {});
    expect(timers.map((j) => [j.data.conversation, j.data.assignee]).sort()).toEqual([
      [1, 'amanda'],
      [2, 'mathew'],
      [3, 'geraldine'],
      [4, 'amanda'],
    ]);
    expect(await h.scheduler.pending('response-timeout', { assignee: 'alex' })).toEqual([]);
  });

  it('--strategy least-busy fills the least loaded first', async () => {
    const h = await team(10);
    for (const c of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']) await h.customerSays(c, 'hi'); // #11..#16: amanda, mathew, geraldine x2 each
    await h.core.updateAgent('geraldine', { availability: 'away' });
    await h.command('sam', '/close #11'); // amanda 1, mathew 2
    const { preview, summary } = await offboard(h, 'sam', '@alex --strategy least-busy');
    expect(preview).toContain('Plan: 10 conversations: @amanda 6, @mathew 4, 0 unassigned');
    expect(summary).toContain('10/10 reassigned, 0 left unassigned (@amanda 6, @mathew 4).');
    expect(await holders(h)).toEqual({ amanda: 7, mathew: 6, geraldine: 2 });
  });

  it('--hardcoded @amanda=3,@mathew=4: the rest is queued (explicit receivers need not be members)', async () => {
    const h = await team(10, { members: ['geraldine'] });
    await h.core.updateAgent('geraldine', { availability: 'offline' });
    const { preview, summary } = await offboard(h, 'sam', '@alex --hardcoded @amanda=3,@mathew=4');
    expect(preview).toContain('• support: 10 open — 3 unassigned: beyond the --hardcoded shares');
    expect(preview).toContain('Plan: 10 conversations: @mathew 4, @amanda 3, 3 unassigned');
    // only the timers of conversations that get a new assignee come back
    expect(preview).toContain('• 7 response timer(s) (#1, #2, #3, #4, #5, #6, #7): cancelled and re-created for the new assignees\n• 3 response timer(s) (#8, #9, #10): cancelled; those conversations wait unassigned');
    expect(summary).toContain('7/10 reassigned, 3 left unassigned (@mathew 4, @amanda 3).');
    expect(summary).toContain('7 response timer(s) re-created for the new assignees.');
    expect(await holders(h)).toEqual({ amanda: 3, mathew: 4, queued: 3 });
    expect(await h.scheduler.pending('response-timeout', { conversation: 9 })).toEqual([]);
    expect([await h.statusOf(8), await h.statusOf(9), await h.statusOf(10)]).toEqual(['queued', 'queued', 'queued']);
    expect(h.telegram.texts('c8')).toEqual([]); // the customer is not told anything
    await expectConsistentLoad(h);
  });

  it('queued conversations go to eligible members right away', async () => {
    const h = await team(10, { members: ['geraldine'] });
    const { summary } = await offboard(h, 'sam', '@alex --hardcoded @amanda=3,@mathew=4');
    expect(summary).toContain('7/10 reassigned, 3 left unassigned');
    expect(summary).toContain('3 queued conversation(s) went to available agents right away.');
    expect(await holders(h)).toEqual({ amanda: 3, mathew: 4, geraldine: 3 });
  });

  it('--ratio @amanda=1,@mathew=2: rounds repeat until all are placed', async () => {
    const h = await team(10);
    const { preview, summary } = await offboard(h, 'sam', '@alex --ratio @amanda=1,@mathew=2');
    expect(preview).toContain('Plan: 10 conversations: @mathew 6, @amanda 4, 0 unassigned');
    expect(summary).toContain('10/10 reassigned, 0 left unassigned (@mathew 6, @amanda 4).');
    expect(await holders(h)).toEqual({ amanda: 4, mathew: 6 });
    expect(await Promise.all([1, 2, 3, 4].map((n) => h.assigneeOf(n)))).toEqual(['amanda', 'mathew', 'mathew', 'amanda']);
  });

  it('--to the supervisor themselves: their digest says they took them, not that they handed them to themselves', async () => {
    const h = await team(3);
    await offboard(h, 'sam', '@alex --to @sam');
    const texts = h.telegram.texts(await h.chatOf('sam')).join('\n');
    expect(texts).toContain('You took 3 conversation(s) of @alex');
    expect(texts).not.toContain('handed you');
  });

  it('a supervisor who takes a long share in a ratio is never told, in any part of the digest, that it was handed to them', async () => {
    const h = await team(0);
    for (const a of ['amanda', 'mathew', 'geraldine']) await h.core.updateAgent(a, { availability: 'offline' });
    await h.core.updateAgent('alex', { capacity: 20 });
    for (let i = 1; i <= 12; i++) await h.customerSays(`long${i}`, `question ${i}: ${'details '.repeat(120)}`);
    expect((await h.store.listAssigned('alex')).length).toBe(12);
    h.telegram.clear();
    await offboard(h, 'sam', '@alex --ratio @sam=2,@amanda=1');
    const sam = h.telegram.texts(await h.chatOf('sam')).filter((t) => t.includes('@alex'));
    expect(sam.length).toBeGreaterThan(2); // the digest is long enough to take several messages
    expect(sam[0]).toMatch(/^You took 8 conversation\(s\) of @alex/);
    expect(sam.slice(1).some((t) => t.startsWith('(continued: conversations of @alex you took)'))).toBe(true);
    expect(sam.join('\n')).not.toMatch(/handed (you|to you)/);
    const amanda = h.telegram.texts(await h.chatOf('amanda')).join('\n');
    expect(amanda).toContain('@sam handed you 4 conversation(s) of @alex');
  });

  it('an offboarding preview that leaves conversations to nobody calls them unassigned, in every line', async () => {
    const h = await team(6, { members: ['geraldine'] });
    await h.core.updateAgent('geraldine', { availability: 'offline' });
    const hardcoded = await h.command('sam', '/offboard @alex --hardcoded @amanda=2');
    expect(hardcoded).toContain('• support: 6 open — 4 unassigned: beyond the --hardcoded shares');
    expect(hardcoded).toContain('Plan: 6 conversations: @amanda 2, 4 unassigned');
    await h.core.updateInbox('support', { paused: true });
    const paused = await h.command('sam', '/offboard @alex');
    expect(paused).toContain('• support: 6 open — 6 unassigned: the inbox is paused');
    for (const preview of [hardcoded, paused]) expect(preview).not.toMatch(/queue|nobody|left over/i);
  });

  it('--to gives all to one agent, beyond capacity', async () => {
    const h = await team(10);
    await h.core.updateAgent('sam', { capacity: 2 });
    const { preview, summary } = await offboard(h, 'boss', '@alex --to @sam');
    expect(preview).toContain('Plan: 10 conversations: @sam 10, 0 unassigned');
    expect(summary).toContain('10/10 reassigned, 0 left unassigned (@sam 10).');
    expect((await h.store.getAgent('sam'))!.openCount).toBe(10);
    await expectConsistentLoad(h);
  });

  it('a strategy plan with nobody eligible says why, and queues everything', async () => {
    const h = await team(3);
    for (const a of ['amanda', 'mathew', 'geraldine']) await h.core.updateAgent(a, { availability: 'away' });
    const { preview, summary } = await offboard(h, 'sam', '@alex --suspend');
    expect(preview).toContain('• support: 3 open — 3 unassigned: no other member is active, online and below capacity');
    expect(preview).toContain('Plan: 3 conversations: 3 unassigned');
    expect(summary).toContain('0/3 reassigned, 3 left unassigned.');
    expect(await holders(h)).toEqual({ queued: 3 });
  });

  it('refuses plans naming inactive agents, the agent themself, or unknown agents', async () => {
    const h = await team(2);
    await h.store.updateAgent('mathew', { status: 'disabled' });
    expect(await h.command('sam', '/offboard @alex --to @mathew')).toBe('@mathew is disabled; agents named in a plan must be active (/agents lists them).');
    expect(await h.command('sam', '/offboard @alex --ratio @amanda=1,@alex=1')).toBe('@alex is the agent being offboarded and cannot receive conversations; name someone else.');
    expect(await h.command('sam', '/offboard @alex --to @nobody')).toBe('No agent @nobody. /agents lists them.');
    expect(await h.store.listOffboardings({})).toEqual([]);
  });

  it('--remove says it cannot be undone, unlinks identities and keeps history', async () => {
    const h = await team(3);
    const chat = await h.chatOf('alex');
    await h.core.updateAgent('alex', { telegramUsername: 'alexsupport' });
    const { preview, summary } = await offboard(h, 'sam', '@alex --remove --to @amanda');
    expect(preview).toContain('Remove @alex: this cannot be undone.');
    expect(summary).toContain('@alex is removed.');
    expect(summary).toContain('Platform identities are unlinked; history stays.');
    const alex = (await h.store.getAgent('alex'))!;
    expect(alex).toMatchObject({ status: 'removed', telegramUserId: undefined, telegramUsername: undefined, slackUserId: undefined });
    expect(await h.store.findAgentByIdentity('telegram', chat)).toBeNull();
    expect((await h.store.listHistory({ agent: 'alex' }, { limit: 100 })).items.length).toBe(6); // 3 routes + 3 moves
    expect(await h.command('sam', '/offboard @alex')).toBe('@alex is removed already and cannot be offboarded again.');
    expect(await h.command('sam', '/reinstate @alex')).toBe('@alex was removed, which cannot be undone; create a new agent instead.');
  });

  it('queues conversations that reached the agent after the preview', async () => {
    const h = await team(2, { members: ['amanda'] });
    await h.core.updateAgent('amanda', { availability: 'away' });
    const preview = await h.command('sam', '/offboard @alex --to @mathew');
    await h.customerSays('late', 'hello'); // #3 → alex, the only online member
    expect(await h.assigneeOf(3)).toBe('alex');
    const summary = await h.command('sam', `/offboard confirm ${codeOf(preview)}`);
    expect(summary).toContain('2/3 reassigned, 1 left unassigned (@mathew 2).');
    expect(summary).toContain('Reached @alex after the preview and were queued: #3.');
    expect(await holders(h)).toEqual({ mathew: 2, queued: 1 });
    await expectConsistentLoad(h);
  });
});
