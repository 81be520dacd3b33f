import { beforeEach, describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../../support/core-harness.js';

let h: CoreHarness;
beforeEach(async () => {
  h = makeCore();
  await h.agent('amanda');
  await h.agent('mathew');
  await h.agent('geraldine', { availability: 'offline' });
  await h.agent('sam', { role: 'supervisor', availability: 'offline' });
  await h.agent('olga', { availability: 'offline' }); // not a member
  await h.inbox('support', ['amanda', 'mathew', 'geraldine']);
  await h.customerSays('c1', 'hi'); // #1 amanda
  await h.customerSays('c2', 'hi'); // #2 mathew
});

describe('/transfer', () => {
  it('moves the conversation, with the note, and tells the new assignee', async () => {
    expect(await h.command('amanda', '/transfer #1 @geraldine VIP customer, be nice')).toBe('Transferred #1 to @geraldine.');
    expect(await h.assigneeOf(1)).toBe('geraldine');
    const notice = h.telegram.texts(await h.chatOf('geraldine')).at(-1)!;
    expect(notice).toContain('Conversation #1 in support from Customer c1 was transferred to you by @amanda.');
    expect(notice).toContain('Note: VIP customer, be nice');
    const history = (await h.store.listHistory({ conversation: 1 }, { limit: 10 })).items;
    expect(history.at(-1)).toMatchObject({ reason: 'transfer', from: 'amanda', to: 'geraldine', actor: 'amanda', note: 'VIP customer, be nice' });
  });

  it('takes the conversation from the replied-to message, else the only open one', async () => {
    expect(await h.command('amanda', '/transfer @geraldine')).toBe('Transferred #1 to @geraldine.');
    await h.customerSays('c3', 'hi'); // #3 → amanda (rotation: geraldine offline)
    await h.customerSays('c4', 'hi'); // #4 → mathew
    await h.customerSays('c5', 'hi'); // #5 → amanda
    expect(await h.command('amanda', '/transfer @mathew')).toBe('You have 2 open conversations; say which one: /transfer #N @agent [note]');
    expect(await h.command('amanda', '/transfer @mathew', await h.lastNoticeId('amanda', 5))).toBe('Transferred #5 to @mathew.');
  });

  it('refuses callers who are neither assignee nor supervisor, and lets a supervisor do it', async () => {
    expect(await h.command('mathew', '/transfer #1 @geraldine')).toBe(
      'Conversation #1 is assigned to @amanda; only its assignee or a supervisor can transfer it.',
    );
    expect(await h.assigneeOf(1)).toBe('amanda');
    expect(await h.command('sam', '/transfer #1 @geraldine')).toBe('Transferred #1 to @geraldine.');
    expect(h.telegram.texts(await h.chatOf('amanda')).at(-1)).toBe('Conversation #1 was transferred to @geraldine by @sam.');
  });

  it('refuses unknown agents, non-members, inactive agents and unknown conversations', async () => {
    expect(await h.command('amanda', '/transfer #1 @nobody')).toBe('No agent @nobody. Check the handle, or ask a supervisor for it.');
    expect(await h.command('amanda', '/transfer #1 @olga')).toBe('@olga is not a member of inbox support; pick one of its members.');
    await h.store.updateAgent('geraldine', { status: 'suspended' });
    expect(await h.command('amanda', '/transfer #1 @geraldine')).toMatch(/^@geraldine is suspended and cannot take conversations/);
    expect(await h.command('amanda', '/transfer #99 @mathew')).toBe('There is no conversation #99. /mine lists yours, /queue what waits.');
    expect(await h.assigneeOf(1)).toBe('amanda');
  });

  it('answers malformed input with the usage line', async () => {
    expect(await h.command('amanda', '/transfer #1')).toBe('Missing the agent to transfer to. Type /transfer [#N] @agent [note]');
    expect(await h.command('amanda', '/transfer #1 #2 @mathew')).toBe('Name one conversation only. Type /transfer [#N] @agent [note]');
    expect(await h.command('amanda', '/transfer #1 @amanda')).toBe('Conversation #1 is already assigned to @amanda.');
  });
});

describe('/unassign', () => {
  it('leaves the conversation unassigned, keeps history, and re-routes on the next customer message', async () => {
    expect(await h.command('amanda', '/unassign #1')).toBe("Unassigned #1. It waits for the customer's next message or a /claim.");
    expect(await h.statusOf(1)).toBe('unassigned');
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(0);
    await h.customerSays('c1', 'hello again');
    expect(await h.statusOf(1)).toBe('assigned');
    const reasons = (await h.store.listHistory({ conversation: 1 }, { limit: 10 })).items.map((e) => [e.reason, e.from, e.to]);
    expect(reasons).toEqual([
      ['route', null, 'amanda'],
      ['unassign', 'amanda', null],
      ['route', null, (await h.assigneeOf(1))!],
    ]);
  });

  it('--reassign routes at once and excludes the previous assignee', async () => {
    await h.command('mathew', '/away');
    await h.command('geraldine', '/available');
    expect(await h.command('amanda', '/unassign #1 --reassign')).toBe('Unassigned #1 and gave it to @geraldine.');
    await h.command('geraldine', '/away');
    expect(await h.command('geraldine', '/unassign #1 --reassign')).toBe('Unassigned #1; nobody else can take it now, so it is queued.');
    // amanda was excluded earlier, geraldine now: nobody takes it although amanda is online
    expect(await h.statusOf(1)).toBe('queued');
  });

  it('refuses other agents, unknown conversations, conversations without assignee and bad flags', async () => {
    expect(await h.command('mathew', '/unassign #1')).toBe('Conversation #1 is assigned to @amanda; only its assignee or a supervisor can unassign it.');
    expect(await h.command('amanda', '/unassign #42')).toBe('There is no conversation #42. /mine lists yours, /queue what waits.');
    expect(await h.command('amanda', '/unassign #1 --now')).toBe('Unknown option --now. Type /unassign [#N] [--reassign]');
    expect(await h.command('amanda', '/unassign #1 please')).toBe('Unexpected "please". Type /unassign [#N] [--reassign]');
    await h.command('amanda', '/unassign #1');
    expect(await h.command('sam', '/unassign #1')).toBe('Conversation #1 has no assignee (unassigned); /claim #1 takes it.');
  });
});

describe('/claim', () => {
  it('takes a waiting conversation, the oldest without #N', async () => {
    await h.command('amanda', '/offline');
    await h.command('mathew', '/offline');
    await h.customerSays('c3', 'hi'); // #3 queued
    await h.customerSays('c4', 'hi'); // #4 queued
    expect(await h.command('geraldine', '/claim')).toBe('You claimed #3 (Customer c3).');
    expect(await h.command('geraldine', '/claim #4')).toBe('You claimed #4 (Customer c4).');
    expect(await h.command('geraldine', '/claim')).toBe('Nothing waits in your inboxes right now.');
    const notice = h.telegram.texts(await h.chatOf('geraldine')).at(-1)!;
    expect(notice).toContain('You claimed conversation #4 in support from Customer c4.');
  });

  it('refuses non-members, assigned and unknown conversations, extra words', async () => {
    await h.command('amanda', '/offline');
    await h.command('mathew', '/offline');
    await h.customerSays('c3', 'hi');
    expect(await h.command('olga', '/claim #3')).toBe('You are not a member of inbox support; ask a supervisor to add you or to /transfer #3.');
    expect(await h.command('geraldine', '/claim #1')).toBe('Conversation #1 is already assigned to @amanda; /queue lists what waits.');
    expect(await h.command('geraldine', '/claim #77')).toBe('There is no conversation #77. /queue lists what waits.');
    expect(await h.command('geraldine', '/claim now')).toBe('Unexpected "now". Type /claim [#N]');
    expect(await h.statusOf(3)).toBe('queued');
  });
});

describe('/close', () => {
  it('closes, and the next customer message opens a new conversation', async () => {
    expect(await h.command('amanda', '/close')).toBe('Closed #1. A new message from Customer c1 will open a new conversation.');
    expect(await h.statusOf(1)).toBe('closed');
    await h.customerSays('c1', 'one more thing');
    expect(await h.statusOf(3)).toBe('assigned');
    expect((await h.store.getConversation(3))!.customer.id).toBe('c1');
  });

  it('refuses other agents, closed and unknown conversations, extra words', async () => {
    expect(await h.command('mathew', '/close #1')).toBe('Conversation #1 is assigned to @amanda; only its assignee or a supervisor can close it.');
    expect(await h.command('amanda', '/close #1 now')).toBe('Unexpected "now". Type /close [#N]');
    expect(await h.command('amanda', '/close #5')).toBe('There is no conversation #5. /mine lists yours, /queue what waits.');
    expect(await h.command('sam', '/close #1')).toBe('Closed #1. A new message from Customer c1 will open a new conversation.');
    expect(await h.command('sam', '/close #1')).toBe('Conversation #1 is already closed.');
  });
});
