import { expect, it } from 'vitest';
import { StoreConflict } from '../../src/core/index.js';
import { agent, at, customer, expectedInbox, inbox, parallel, T0, type CurrentStore } from './fixtures.js';

export function inboxContract(store: CurrentStore): void {
  it('creates an inbox with the cursor at 0 and reads it back', async () => {
    const input = inbox('support', { fallbackAgent: 'alice' });
    expect(await store().createInbox(input)).toEqual(expectedInbox(input));
    expect(await store().getInbox('support')).toEqual(expectedInbox(input));
    expect(await store().getInbox('sales')).toBeNull();
  });

  it('refuses a second inbox with the same name', async () => {
    await store().createInbox(inbox('support'));
    const error = await store().createInbox(inbox('support', { platform: 'slack' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreConflict);
    expect((error as StoreConflict).field).toBe('name');
    expect((await store().getInbox('support'))?.platform).toBe('telegram');
  });

  it('updates an inbox and clears optional fields given as undefined', async () => {
    const input = inbox('support', { platform: 'slack', slackChannelId: 'C1', fallbackAgent: 'alice' });
    await store().createInbox(input);
    const updated = await store().updateInbox('support', { paused: true, maxRedirects: 5, fallbackAgent: undefined });
    const { fallbackAgent: _dropped, ...rest } = input;
    expect(updated).toEqual({ ...expectedInbox(rest), paused: true, maxRedirects: 5 });
    expect(updated?.fallbackAgent).toBeUndefined();
    expect(await store().getInbox('support')).toEqual(updated);
    expect(await store().updateInbox('nowhere', { paused: true })).toBeNull();
  });

  it('deletes an inbox with its memberships only while it has no open conversation', async () => {
    await store().createAgent(agent('alice'));
    await store().createInbox(inbox('support'));
    await store().createInbox(inbox('sales'));
    await store().addMember('support', 'alice', T0);
    await store().addMember('sales', 'alice', T0);
    const { conversation } = await store().openConversation('support', customer('c1'), T0);
    expect(await store().deleteInbox('support')).toBe('has_open');
    expect(await store().getInbox('support')).not.toBeNull();
    await store().updateConversation(conversation.number, {}, { status: 'closed', closedAt: at(1), updatedAt: at(1) });
    expect(await store().deleteInbox('support')).toBe('deleted');
    expect(await store().getInbox('support')).toBeNull();
    expect((await store().listMemberships('alice')).map((m) => m.inbox)).toEqual(['sales']);
    expect((await store().getConversation(conversation.number))?.inbox).toBe('support');
    expect(await store().deleteInbox('support')).toBe('not_found');
  });

  it('lists inboxes by name, a page at a time', async () => {
    for (const name of ['sales', 'billing', 'support']) await store().createInbox(inbox(name));
    const first = await store().listInboxes({ limit: 2 });
    expect(first.items.map((i) => i.name)).toEqual(['billing', 'sales']);
    const second = await store().listInboxes({ limit: 2, after: first.next ?? undefined });
    expect(second).toEqual({ items: [expectedInbox(inbox('support'))], next: null });
  });

  it('moves the rotation cursor only from the expected value', async () => {
    await store().createInbox(inbox('support'));
    expect(await store().moveCursor('support', 0, 4)).toBe(true);
    expect(await store().moveCursor('support', 0, 7)).toBe(false);
    expect((await store().getInbox('support'))?.cursor).toBe(4);
    expect(await store().moveCursor('support', 4, 2)).toBe(true);
    expect((await store().getInbox('support'))?.cursor).toBe(2);
    expect(await store().moveCursor('nowhere', 0, 1)).toBe(false);
  });

  it('bumps the members version only from the expected value, one winner among 10 at once', async () => {
    await store().createInbox(inbox('support'));
    expect(await store().membersVersion('support')).toBe(0);
    expect(await store().bumpMembersVersion('support', 1)).toBe(false);
    expect(await store().bumpMembersVersion('support', 0)).toBe(true);
    const results = await parallel(10, () => store().bumpMembersVersion('support', 1));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store().membersVersion('support')).toBe(2);
    expect((await store().getInbox('support'))).not.toHaveProperty('membersVersion');
  });

  it('lets exactly one of 20 simultaneous cursor moves from the same value win', async () => {
    await store().createInbox(inbox('support'));
    const results = await parallel(20, (i) => store().moveCursor('support', 0, i + 1));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true) + 1;
    expect((await store().getInbox('support'))?.cursor).toBe(winner);
  });

  it('finds the Telegram inbox, the first one created when there are several', async () => {
    await store().createInbox(inbox('later', {}, at(60)));
    await store().createInbox(inbox('slack-dm', { platform: 'slack' }, at(-60)));
    await store().createInbox(inbox('first', {}, T0));
    expect((await store().findInboxForPlatform('telegram'))?.name).toBe('first');
  });

  it('finds a Slack inbox by channel, and the direct-message inbox without a channel', async () => {
    expect(await store().findInboxForPlatform('slack')).toBeNull();
    await store().createInbox(inbox('channel', { platform: 'slack', slackChannelId: 'C1' }));
    expect(await store().findInboxForPlatform('slack')).toBeNull();
    await store().createInbox(inbox('dm', { platform: 'slack' }));
    await store().createInbox(inbox('tg'));
    expect((await store().findInboxForPlatform('slack', 'C1'))?.name).toBe('channel');
    expect((await store().findInboxForPlatform('slack'))?.name).toBe('dm');
    expect(await store().findInboxForPlatform('slack', 'C9')).toBeNull();
  });

  it('keeps members in rotation order and adds a member only once', async () => {
    await store().createInbox(inbox('support'));
    const a = await store().addMember('support', 'alice', T0);
    const b = await store().addMember('support', 'bob', at(1));
    const c = await store().addMember('support', 'carol', at(2));
    expect(a).toEqual({ inbox: 'support', handle: 'alice', seq: a.seq, joinedAt: T0 });
    expect(a.seq).toBeLessThan(b.seq);
    expect(b.seq).toBeLessThan(c.seq);
    expect(await store().addMember('support', 'alice', at(5))).toEqual(a);
    expect(await store().listMembers('support')).toEqual([a, b, c]);
    expect(await store().countMembers('support')).toBe(3);
  });

  it('adds a member once even when asked many times at once', async () => {
    await store().createInbox(inbox('support'));
    const results = await parallel(10, () => store().addMember('support', 'alice', T0));
    expect(new Set(results.map((m) => m.seq)).size).toBe(1);
    expect(await store().countMembers('support')).toBe(1);
  });

  it('puts a member who leaves and rejoins at the end of the rotation', async () => {
    await store().createInbox(inbox('support'));
    await store().addMember('support', 'alice', T0);
    await store().addMember('support', 'bob', T0);
    expect(await store().removeMember('support', 'alice')).toBe(true);
    expect(await store().removeMember('support', 'alice')).toBe(false);
    expect(await store().removeMember('nowhere', 'bob')).toBe(false);
    await store().addMember('support', 'alice', at(1));
    expect((await store().listMembers('support')).map((m) => m.handle)).toEqual(['bob', 'alice']);
  });

  it('pages through the rotation after a seq; the caller wraps around', async () => {
    await store().createInbox(inbox('support'));
    const [a, b, c, d] = [
      await store().addMember('support', 'alice', T0),
      await store().addMember('support', 'bob', T0),
      await store().addMember('support', 'carol', T0),
      await store().addMember('support', 'dave', T0),
    ];
    expect(await store().membersAfter('support', 0, 2)).toEqual([a, b]);
    expect(await store().membersAfter('support', b!.seq, 10)).toEqual([c, d]);
    expect(await store().membersAfter('support', d!.seq, 10)).toEqual([]);
    expect(await store().membersAfter('support', a!.seq, 1)).toEqual([b]);
    expect(await store().membersAfter('nowhere', 0, 10)).toEqual([]);
  });

  it('keeps rotations of different inboxes apart and lists an agent’s memberships', async () => {
    await store().createInbox(inbox('support'));
    await store().createInbox(inbox('sales'));
    const s1 = await store().addMember('support', 'alice', T0);
    const s2 = await store().addMember('sales', 'bob', T0);
    const s3 = await store().addMember('sales', 'alice', at(1));
    expect(await store().listMembers('sales')).toEqual([s2, s3]);
    expect(await store().countMembers('support')).toBe(1);
    expect(await store().countMembers('nowhere')).toBe(0);
    expect(await store().listMemberships('alice')).toEqual([s1, s3]);
    expect(await store().listMemberships('nobody')).toEqual([]);
  });
}
