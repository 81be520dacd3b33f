import { beforeEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../../src/core/index.js';
import { failure, harness, value, type Harness } from './setup.js';

const customer = (id: string): Customer => ({ platform: 'telegram', id, name: `Customer ${id}`, chatId: id });

describe('paging', () => {
  it('pages agents by handle with limit and after until next is null', async () => {
    const { admin } = harness();
    for (const handle of ['e', 'c', 'a', 'd', 'b']) value(await admin.createAgent({ handle, name: handle }));
    const first = value(await admin.listAgents({ limit: '2' }));
    expect(first.items.map((a) => a.handle)).toEqual(['a', 'b']);
    const second = value(await admin.listAgents({ limit: '2', after: first.next }));
    expect(second.items.map((a) => a.handle)).toEqual(['c', 'd']);
    const last = value(await admin.listAgents({ limit: 2, after: second.next }));
    expect(last).toMatchObject({ items: [{ handle: 'e' }], next: null });
  });

  it('answers 100 items by default and at most 1000', async () => {
    const { admin } = harness();
    for (let i = 0; i < 101; i++) value(await admin.createInbox({ name: `inbox-${String(i).padStart(3, '0')}`, platform: 'slack', slackChannelId: `C${i}` }));
    const page = value(await admin.listInboxes({}));
    expect(page.items).toHaveLength(100);
    expect(page.next).toBe('inbox-099');
    expect(value(await admin.listInboxes({ limit: '1000' })).items).toHaveLength(101);
  });

  it.each([['0'], ['-1'], ['1001'], ['ten'], ['2.5'], [['1', '2']]])('refuses limit %j naming it', async (limit) => {
    const { admin } = harness();
    expect(failure(await admin.listAgents({ limit }))).toMatchObject({ code: 'invalid_argument', field: 'limit' });
    expect(failure(await admin.listConversations({ limit }))).toMatchObject({ code: 'invalid_argument', field: 'limit' });
  });

  it('wants a number as after for conversations and history', async () => {
    const { admin } = harness();
    expect(failure(await admin.listConversations({ after: 'abc' }))).toMatchObject({ field: 'after' });
    expect(failure(await admin.listHistory({ after: '1;2' }))).toMatchObject({ field: 'after' });
  });
});

describe('conversations and history', () => {
  let h: Harness;
  beforeEach(async () => {
    h = harness();
    for (const handle of ['amanda', 'mathew']) value(await h.admin.createAgent({ handle, name: handle }));
    value(await h.admin.createInbox({ name: 'support', platform: 'telegram' }));
    value(await h.admin.createInbox({ name: 'sales', platform: 'slack' }));
    const at = h.clock.now();
    // #1 assigned to amanda with messages and history, #2 queued, #3 closed (mathew), #4 queued in sales
    await h.store.openConversation('support', customer('c1'), at);
    await h.store.openConversation('support', customer('c2'), at);
    await h.store.openConversation('support', customer('c3'), at);
    await h.store.openConversation('sales', customer('c4'), at);
    await h.store.updateConversation(1, {}, { status: 'assigned', assignee: 'amanda' });
    await h.store.updateConversation(3, {}, { status: 'closed', assignee: 'mathew' });
    await h.store.addMessage({ conversation: 1, from: 'customer', text: 'hello', at });
    await h.store.addMessage({ conversation: 1, from: 'agent', handle: 'amanda', text: 'hi, how can I help?', at });
    await h.store.addHistory({ conversation: 1, reason: 'route', from: null, to: 'mathew', actor: null, at });
    await h.store.addHistory({ conversation: 3, reason: 'route', from: null, to: 'mathew', actor: null, at });
    await h.store.addHistory({ conversation: 1, reason: 'transfer', from: 'mathew', to: 'amanda', actor: 'mathew', note: 'billing', at });
  });

  it('lists conversations filtered by status, assignee and inbox', async () => {
    const numbers = async (q: Record<string, unknown>) => value(await h.admin.listConversations(q)).items.map((c) => c.number);
    expect(await numbers({})).toEqual([1, 2, 3, 4]);
    expect(await numbers({ status: 'queued' })).toEqual([2, 4]);
    expect(await numbers({ status: 'queued', inbox: 'support' })).toEqual([2]);
    expect(await numbers({ assignee: 'amanda' })).toEqual([1]);
    expect(await numbers({ status: '', inbox: '' })).toEqual([1, 2, 3, 4]);
    const page = value(await h.admin.listConversations({ limit: '3' }));
    expect(page.next).toBe('3');
    expect(value(await h.admin.listConversations({ after: page.next })).items.map((c) => c.number)).toEqual([4]);
    expect(page.items[0]).toEqual({
      number: 1,
      inbox: 'support',
      status: 'assigned',
      assignee: 'amanda',
      customer: { platform: 'telegram', id: 'c1', name: 'Customer c1' },
      createdAt: h.clock.now().toISOString(),
      updatedAt: h.clock.now().toISOString(),
    });
  });

  it('refuses a bad status listing the allowed ones, and unknown agents or inboxes', async () => {
    const bad = failure(await h.admin.listConversations({ status: 'open' }));
    expect(bad).toMatchObject({ code: 'invalid_argument', field: 'status' });
    expect(bad.message).toContain('queued, unassigned, assigned, closed');
    expect(failure(await h.admin.listConversations({ assignee: 'ghost' }))).toMatchObject({ code: 'agent_not_found', field: 'assignee' });
    expect(failure(await h.admin.listConversations({ inbox: 'nowhere' }))).toMatchObject({ code: 'inbox_not_found', field: 'inbox' });
  });

  it('shows one conversation with its messages and history', async () => {
    const c = value(await h.admin.getConversation('1'));
    const at = h.clock.now().toISOString();
    expect(c.messages).toEqual([
      { from: 'customer', text: 'hello', at },
      { from: 'agent', handle: 'amanda', text: 'hi, how can I help?', at },
    ]);
    expect(c.history).toEqual([
      { conversation: 1, reason: 'route', from: null, to: 'mathew', actor: null, at },
      { conversation: 1, reason: 'transfer', from: 'mathew', to: 'amanda', actor: 'mathew', note: 'billing', at },
    ]);
    expect(value(await h.admin.getConversation(2))).toMatchObject({ number: 2, status: 'queued', messages: [], history: [] });
    expect(value(await h.admin.getConversation('#3')).status).toBe('closed');
  });

  it('answers not found for an unknown number and invalid_argument for a non-number', async () => {
    expect(failure(await h.admin.getConversation('99'))).toMatchObject({ code: 'conversation_not_found', field: 'number' });
    expect(failure(await h.admin.getConversation('abc'))).toMatchObject({ code: 'invalid_argument', field: 'number' });
    expect(failure(await h.admin.getConversation(0))).toMatchObject({ code: 'invalid_argument' });
  });

  it('lists history by agent (from, to or actor) and by conversation, paged', async () => {
    const reasons = async (q: Record<string, unknown>) =>
      value(await h.admin.listHistory(q)).items.map((e) => `${e.conversation}:${e.reason}`);
    expect(await reasons({})).toEqual(['1:route', '3:route', '1:transfer']);
    expect(await reasons({ agent: 'amanda' })).toEqual(['1:transfer']);
    expect(await reasons({ agent: 'mathew', conversation: '3' })).toEqual(['3:route']);
    const first = value(await h.admin.listHistory({ limit: '1', conversation: '1' }));
    expect(first.items.map((e) => e.reason)).toEqual(['route']);
    expect(value(await h.admin.listHistory({ conversation: '1', after: first.next })).items.map((e) => e.reason)).toEqual(['transfer']);
    expect(failure(await h.admin.listHistory({ agent: 'ghost' }))).toMatchObject({ code: 'agent_not_found', field: 'agent' });
    expect(failure(await h.admin.listHistory({ conversation: 'x' }))).toMatchObject({ code: 'invalid_argument', field: 'conversation' });
    expect(failure(await h.admin.listHistory({ conversation: '77' }))).toMatchObject({ code: 'conversation_not_found', field: 'conversation' });
  });

  it('shows the open count and inboxes of an agent', async () => {
    await h.store.reserveSlot('amanda', { requireOnline: false, ignoreCapacity: true });
    value(await h.admin.setMembers('sales', { handles: ['amanda'] }));
    value(await h.admin.setMembers('support', { handles: ['amanda'] }));
    expect(value(await h.admin.getAgent('amanda'))).toMatchObject({ openCount: 1, inboxes: ['sales', 'support'] });
  });
});
