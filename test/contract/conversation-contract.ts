import { expect, it } from 'vitest';
import type { Conversation } from '../../src/core/index.js';
import { at, customer, parallel, T0, type CurrentPeer, type CurrentStore } from './fixtures.js';

function fresh(number: number, inbox: string, c: Conversation['customer'], when: Date = T0): Conversation {
  return {
    number,
    inbox,
    status: 'queued',
    assignee: null,
    customer: c,
    createdAt: when,
    updatedAt: when,
    excluded: [],
    redirects: 0,
    queuedNoticeSent: false,
  };
}

export function conversationContract(store: CurrentStore, peer: CurrentPeer): void {
  it('loses no number when two processes open the conversations of the same new customers at once', async () => {
    const s = store();
    const other = await peer();
    await s.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: T0 });
    // 20 new customers, each opening from both processes at the same moment
    const opened = await parallel(40, (i) => (i % 2 ? s : other).openConversation('support', customer(`c${i >> 1}`), T0));
    expect(opened.filter((o) => o.created)).toHaveLength(20);
    // a number taken by the process that lost a race goes to a later new conversation: none is lost
    for (let i = 0; i < 20; i++) await s.openConversation('support', customer(`later${i}`), at(1));
    const numbers = (await s.listConversations({}, { limit: 100 })).items.map((c) => c.number);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('opens queued conversations numbered 1, 2, 3 across inboxes', async () => {
    const slack = customer('U7', { platform: 'slack', chatId: 'C1', threadId: '1700.1' });
    const first = await store().openConversation('support', customer('c1'), T0);
    expect(first).toEqual({ conversation: fresh(1, 'support', customer('c1')), created: true });
    expect((await store().openConversation('sales', customer('c2'), at(1))).conversation.number).toBe(2);
    const third = await store().openConversation('support', slack, at(2));
    expect(third).toEqual({ conversation: fresh(3, 'support', slack, at(2)), created: true });
    expect(await store().getConversation(3)).toEqual(third.conversation);
    expect(await store().getConversation(99)).toBeNull();
  });

  it('returns the open conversation for the same customer and inbox', async () => {
    const first = await store().openConversation('support', customer('c1'), T0);
    const again = await store().openConversation('support', customer('c1', { name: 'Renamed' }), at(5));
    expect(again).toEqual({ conversation: first.conversation, created: false });
    expect((await store().openConversation('sales', customer('c1'), T0)).created).toBe(true);
    expect((await store().openConversation('support', customer('c1', { platform: 'slack' }), T0)).created).toBe(true);
  });

  it('opens one conversation for 20 simultaneous messages of one customer', async () => {
    const results = await parallel(20, () => store().openConversation('support', customer('c1'), T0));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.conversation.number)).size).toBe(1);
    expect((await store().listConversations({}, { limit: 100 })).items).toHaveLength(1);
  });

  it('keeps numbers sequential after simultaneous messages of one customer', async () => {
    await parallel(10, () => store().openConversation('support', customer('c1'), T0));
    expect((await store().openConversation('support', customer('c2'), at(1))).conversation.number).toBe(2);
    expect((await store().openConversation('sales', customer('c1'), at(2))).conversation.number).toBe(3);
  });

  it('opens a new conversation once the previous one is closed', async () => {
    const first = await store().openConversation('support', customer('c1'), T0);
    await store().updateConversation(first.conversation.number, {}, { status: 'closed', closedAt: at(9), updatedAt: at(9) });
    const second = await store().openConversation('support', customer('c1'), at(10));
    expect(second.created).toBe(true);
    expect(second.conversation.number).toBe(first.conversation.number + 1);
    expect((await store().getConversation(first.conversation.number))?.status).toBe('closed');
  });

  it('applies an update only when status and assignee are as expected', async () => {
    const { conversation } = await store().openConversation('support', customer('c1'), T0);
    const n = conversation.number;
    expect(await store().updateConversation(n, { status: ['assigned'] }, { status: 'closed' })).toBeNull();
    expect(await store().updateConversation(n, { assignee: 'bob' }, { status: 'closed' })).toBeNull();
    const assigned = await store().updateConversation(
      n,
      { status: ['queued', 'unassigned'], assignee: null },
      { status: 'assigned', assignee: 'alice', updatedAt: at(1), excluded: ['bob'], redirects: 1, queuedNoticeSent: true },
    );
    expect(assigned).toEqual({
      ...conversation,
      status: 'assigned',
      assignee: 'alice',
      updatedAt: at(1),
      excluded: ['bob'],
      redirects: 1,
      queuedNoticeSent: true,
    });
    expect(await store().getConversation(n)).toEqual(assigned);
    expect(await store().updateConversation(n, { assignee: null }, { assignee: 'carol' })).toBeNull();
    const moved = await store().updateConversation(n, { status: ['assigned'], assignee: 'alice' }, { assignee: 'carol' });
    expect(moved?.assignee).toBe('carol');
    expect(await store().updateConversation(99, {}, { status: 'closed' })).toBeNull();
  });

  it('sets and clears optional fields of a conversation', async () => {
    const { conversation } = await store().openConversation('support', customer('c1'), T0);
    const n = conversation.number;
    const waiting = await store().updateConversation(n, {}, { waitingSince: at(3), lastMessageText: 'hello' });
    expect(waiting).toMatchObject({ waitingSince: at(3), lastMessageText: 'hello' });
    const cleared = await store().updateConversation(n, {}, { waitingSince: undefined, assignee: null });
    expect(cleared).toEqual({ ...conversation, lastMessageText: 'hello' });
    expect(cleared?.waitingSince).toBeUndefined();
    expect(await store().updateConversation(n, { status: ['queued'] }, {})).toEqual(cleared);
  });

  it('applies an update only when the queued notice flag is as expected, once under concurrency', async () => {
    const { conversation } = await store().openConversation('support', customer('c1'), T0);
    const n = conversation.number;
    expect(await store().updateConversation(n, { queuedNoticeSent: true }, { redirects: 1 })).toBeNull();
    const flips = await Promise.all(
      Array.from({ length: 10 }, () => store().updateConversation(n, { status: ['queued'], queuedNoticeSent: false }, { queuedNoticeSent: true })),
    );
    expect(flips.filter((c) => c !== null)).toHaveLength(1);
    expect((await store().getConversation(n))?.queuedNoticeSent).toBe(true);
  });

  it('applies an update only when the wait is as expected', async () => {
    const { conversation } = await store().openConversation('support', customer('c1'), T0);
    const n = conversation.number;
    expect(await store().updateConversation(n, { waitingSince: null }, { lastMessageText: 'not waiting yet' })).toMatchObject({ lastMessageText: 'not waiting yet' });
    await store().updateConversation(n, {}, { waitingSince: at(3) });
    expect(await store().updateConversation(n, { waitingSince: null }, { redirects: 1 })).toBeNull();
    expect(await store().updateConversation(n, { waitingSince: at(4) }, { redirects: 1 })).toBeNull();
    expect(await store().updateConversation(n, { waitingSince: new Date(at(3).getTime()) }, { redirects: 1 })).toMatchObject({ redirects: 1 });
    await store().updateConversation(n, {}, { waitingSince: undefined });
    expect(await store().updateConversation(n, { waitingSince: at(3) }, { redirects: 2 })).toBeNull();
    expect(await store().updateConversation(n, { waitingSince: null }, { redirects: 2 })).toMatchObject({ redirects: 2 });
  });

  it('lets exactly one of 20 simultaneous claims of a queued conversation win', async () => {
    await store().openConversation('support', customer('c1'), T0);
    const results = await parallel(20, (i) =>
      store().updateConversation(1, { status: ['queued'], assignee: null }, { status: 'assigned', assignee: `agent${i}` }),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect((await store().getConversation(1))?.assignee).toBe(winners[0]?.assignee);
  });

  it('lists conversations by status, assignee and inbox, a page at a time', async () => {
    for (let i = 1; i <= 6; i++) await store().openConversation(i % 2 ? 'support' : 'sales', customer(`c${i}`), at(i));
    await store().updateConversation(2, {}, { status: 'assigned', assignee: 'alice' });
    await store().updateConversation(3, {}, { status: 'assigned', assignee: 'alice' });
    await store().updateConversation(4, {}, { status: 'assigned', assignee: 'bob' });
    await store().updateConversation(5, {}, { status: 'closed', assignee: 'alice' });
    const numbers = async (filter: Parameters<ReturnType<CurrentStore>['listConversations']>[0]): Promise<number[]> =>
      (await store().listConversations(filter, { limit: 100 })).items.map((c) => c.number);
    expect(await numbers({})).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await numbers({ status: 'assigned' })).toEqual([2, 3, 4]);
    expect(await numbers({ assignee: 'alice' })).toEqual([2, 3, 5]);
    expect(await numbers({ status: 'assigned', assignee: 'alice' })).toEqual([2, 3]);
    expect(await numbers({ status: 'closed', assignee: 'alice' })).toEqual([5]);
    expect(await numbers({ inbox: 'support' })).toEqual([1, 3, 5]);
    expect(await numbers({ inbox: 'support', status: 'queued' })).toEqual([1]);
    expect(await numbers({ inbox: 'sales', assignee: 'alice' })).toEqual([2]);
    const first = await store().listConversations({}, { limit: 4 });
    expect(first.items.map((c) => c.number)).toEqual([1, 2, 3, 4]);
    const second = await store().listConversations({}, { limit: 4, after: first.next ?? undefined });
    expect(second.items.map((c) => c.number)).toEqual([5, 6]);
    expect(second.next).toBeNull();
    expect((await store().listConversations({}, { limit: 6 })).next).toBeNull();
    const supportPage = await store().listConversations({ inbox: 'support' }, { limit: 1, after: '1' });
    expect(supportPage.items.map((c) => c.number)).toEqual([3]);
    expect(supportPage.next).not.toBeNull();
  });

  it('lists waiting conversations of an inbox oldest first, in the given statuses only', async () => {
    for (let i = 1; i <= 5; i++) await store().openConversation('support', customer(`c${i}`), at(i));
    await store().openConversation('sales', customer('other'), at(6));
    await store().updateConversation(2, {}, { status: 'unassigned' });
    await store().updateConversation(3, {}, { status: 'assigned', assignee: 'alice' });
    await store().updateConversation(4, {}, { status: 'closed' });
    const numbers = (list: Conversation[]): number[] => list.map((c) => c.number);
    expect(numbers(await store().listWaiting('support', ['queued'], 10))).toEqual([1, 5]);
    expect(numbers(await store().listWaiting('support', ['queued', 'unassigned'], 10))).toEqual([1, 2, 5]);
    expect(numbers(await store().listWaiting('support', ['unassigned'], 10))).toEqual([2]);
    expect(numbers(await store().listWaiting('support', ['queued', 'unassigned'], 2))).toEqual([1, 2]);
    expect(numbers(await store().listWaiting('sales', ['queued'], 10))).toEqual([6]);
    expect(await store().listWaiting('nowhere', ['queued'], 10)).toEqual([]);
    await store().updateConversation(1, {}, { status: 'assigned', assignee: 'bob' });
    expect(numbers(await store().listWaiting('support', ['queued', 'unassigned'], 10))).toEqual([2, 5]);
  });

  it('lists the open conversations assigned to an agent, oldest first', async () => {
    for (let i = 1; i <= 4; i++) await store().openConversation('support', customer(`c${i}`), at(i));
    await store().updateConversation(3, {}, { status: 'assigned', assignee: 'alice' });
    await store().updateConversation(1, {}, { status: 'assigned', assignee: 'alice' });
    await store().updateConversation(2, {}, { status: 'assigned', assignee: 'bob' });
    await store().updateConversation(4, {}, { status: 'assigned', assignee: 'alice' });
    await store().updateConversation(4, {}, { status: 'closed', closedAt: at(9) });
    expect((await store().listAssigned('alice')).map((c) => c.number)).toEqual([1, 3]);
    await store().updateConversation(1, { assignee: 'alice' }, { assignee: 'bob' });
    expect((await store().listAssigned('alice')).map((c) => c.number)).toEqual([3]);
    expect((await store().listAssigned('bob')).map((c) => c.number)).toEqual([1, 2]);
    expect(await store().listAssigned('nobody')).toEqual([]);
  });
}
