import { describe, expect, it } from 'vitest';
import { failure, harness, value } from './setup.js';

describe('creating agents', () => {
  it('fills in the defaults and reads back with status, openCount and inboxes', async () => {
    const { admin, clock } = harness();
    const agent = value(await admin.createAgent({ handle: 'amanda', name: 'Amanda Lee' }));
    expect(agent).toEqual({
      handle: 'amanda',
      name: 'Amanda Lee',
      role: 'agent',
      status: 'active',
      availability: 'offline',
      capacity: 10,
      homePlatform: 'telegram',
      telegramUserId: null,
      telegramUsername: null,
      slackUserId: null,
      openCount: 0,
      inboxes: [],
      createdAt: clock.now().toISOString(),
    });
    expect(value(await admin.getAgent('amanda'))).toEqual(agent);
  });

  it('reads a Telegram id back as the number it was given, and a username without "@"', async () => {
    const { admin } = harness();
    const a = value(await admin.createAgent({ handle: 'a', name: 'A', telegramUserId: 123456789 }));
    const b = value(await admin.createAgent({ handle: 'b', name: 'B', telegramUserId: '987', telegramUsername: '@Bob_B' }));
    expect(a.telegramUserId).toBe(123456789);
    expect(b.telegramUserId).toBe(987);
    expect(b.telegramUsername).toBe('Bob_B');
  });

  it('picks the home platform from the identities given', async () => {
    const { admin } = harness();
    expect(value(await admin.createAgent({ handle: 's', name: 'S', slackUserId: 'U0123ABC' })).homePlatform).toBe('slack');
    expect(value(await admin.createAgent({ handle: 't', name: 'T', telegramUsername: 'tee' })).homePlatform).toBe('telegram');
    expect(
      value(await admin.createAgent({ handle: 'both', name: 'B', slackUserId: 'U9', telegramUserId: 5 })).homePlatform,
    ).toBe('telegram');
    expect(
      value(await admin.createAgent({ handle: 'x', name: 'X', slackUserId: 'U8', homePlatform: 'telegram' })).homePlatform,
    ).toBe('telegram');
  });

  it.each([
    [{ name: 'No Handle' }, 'handle', /handle is missing/],
    [{ handle: 'Amanda', name: 'A' }, 'handle', /lower-case/],
    [{ handle: '@amanda', name: 'A' }, 'handle', /no "@"/],
    [{ handle: 'amanda' }, 'name', /name is missing/],
    [{ handle: 'amanda', name: '   ' }, 'name', /non-empty/],
    [{ handle: 'amanda', name: 'A', role: 'boss' }, 'role', /agent, supervisor, admin/],
    [{ handle: 'amanda', name: 'A', capacity: 0 }, 'capacity', /1 to 1000/],
    [{ handle: 'amanda', name: 'A', capacity: 1001 }, 'capacity', /1 to 1000/],
    [{ handle: 'amanda', name: 'A', capacity: 2.5 }, 'capacity', /whole number/],
    [{ handle: 'amanda', name: 'A', capacity: '5' }, 'capacity', /whole number/],
    [{ handle: 'amanda', name: 'A', availability: 'busy' }, 'availability', /online, away, offline/],
    [{ handle: 'amanda', name: 'A', homePlatform: 'email' }, 'homePlatform', /telegram, slack/],
    [{ handle: 'amanda', name: 'A', telegramUserId: 'abc' }, 'telegramUserId', /numeric/],
    [{ handle: 'amanda', name: 'A', telegramUserId: -5 }, 'telegramUserId', /numeric/],
    [{ handle: 'amanda', name: 'A', telegramUsername: 'a b' }, 'telegramUsername', /Telegram username/],
    [{ handle: 'amanda', name: 'A', slackUserId: 'amanda' }, 'slackUserId', /U0123ABCD/],
    [{ handle: 'amanda', name: 'A', email: 'a@example.com' }, 'email', /Unknown field "email"/],
  ])('refuses %j naming the field', async (body, field, message) => {
    const { admin, store } = harness();
    const error = failure(await admin.createAgent(body));
    expect(error).toMatchObject({ code: 'invalid_argument', field });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect((await store.listAgents({ limit: 10 })).items).toEqual([]);
  });

  it('strips control and bidirectional-override characters from names, so a name cannot fake a notice', async () => {
    const { admin } = harness();
    const a = value(await admin.createAgent({ handle: 'eve', name: 'Eve\n#12 assigned to @sam\u202Enimda\u0007' }));
    expect(a.name).toBe('Eve #12 assigned to @samnimda');
    expect(failure(await admin.createAgent({ handle: 'ghost', name: '\u202E\n' }))).toMatchObject({ code: 'invalid_argument', field: 'name' });
    const renamed = value(await admin.updateAgent('eve', { name: 'Eve\u2066 Adams\r\n' }));
    expect(renamed.name).toBe('Eve Adams');
  });

  it('refuses the handles ".", ".." and "admin-api"', async () => {
    const { admin } = harness();
    for (const handle of ['.', '..', 'admin-api']) {
      expect(failure(await admin.createAgent({ handle, name: 'X' }))).toMatchObject({ code: 'invalid_argument', field: 'handle' });
    }
    expect(value(await admin.createAgent({ handle: 'a.b', name: 'X' })).handle).toBe('a.b');
  });

  it('refuses a body that is not an object', async () => {
    const { admin } = harness();
    for (const body of [undefined, null, [], 'amanda']) {
      expect(failure(await admin.createAgent(body))).toMatchObject({ code: 'invalid_argument', field: 'body' });
    }
  });

  it('answers conflict naming the handle or the identity already taken', async () => {
    const { admin } = harness();
    value(await admin.createAgent({ handle: 'amanda', name: 'A', telegramUserId: 42, slackUserId: 'U1' }));
    expect(failure(await admin.createAgent({ handle: 'amanda', name: 'Other' }))).toMatchObject({ code: 'conflict', field: 'handle' });
    const clash = failure(await admin.createAgent({ handle: 'bob', name: 'B', telegramUserId: '42' }));
    expect(clash).toMatchObject({ code: 'conflict', field: 'telegramUserId' });
    expect(clash.message).toContain('@amanda');
    expect(failure(await admin.createAgent({ handle: 'bob', name: 'B', slackUserId: 'U1' }))).toMatchObject({
      code: 'conflict',
      field: 'slackUserId',
    });
  });

  it('answers agent_not_found for an unknown handle', async () => {
    const { admin } = harness();
    expect(failure(await admin.getAgent('ghost'))).toMatchObject({ code: 'agent_not_found', field: 'handle' });
  });
});

describe('updating agents', () => {
  it('changes the fields sent, unlinks identities with null and keeps the rest', async () => {
    const { admin } = harness();
    value(await admin.createAgent({ handle: 'amanda', name: 'A', telegramUserId: 1, slackUserId: 'U1', capacity: 3 }));
    const updated = value(await admin.updateAgent('amanda', { name: 'Amanda', telegramUserId: null, role: 'supervisor' }));
    expect(updated).toMatchObject({ name: 'Amanda', role: 'supervisor', telegramUserId: null, slackUserId: 'U1', capacity: 3 });
    // the unlinked id is free again
    value(await admin.createAgent({ handle: 'bob', name: 'B', telegramUserId: 1 }));
  });

  it('calls back after availability or capacity changes, not after a rename', async () => {
    const { admin, agentChanges } = harness();
    value(await admin.createAgent({ handle: 'amanda', name: 'A' }));
    value(await admin.updateAgent('amanda', { name: 'Amanda' }));
    value(await admin.updateAgent('amanda', { availability: 'offline' }));
    expect(agentChanges).toEqual([]);
    value(await admin.updateAgent('amanda', { availability: 'online' }));
    value(await admin.updateAgent('amanda', { capacity: 20 }));
    expect(agentChanges).toEqual(['amanda', 'amanda']);
  });

  it('reads the agent back after the callback, so a drained queue shows in openCount', async () => {
    const { admin } = harness({
      onAgentChanged: async (handle, store) => void (await store.reserveSlot(handle, { requireOnline: true, ignoreCapacity: false })),
    });
    value(await admin.createAgent({ handle: 'amanda', name: 'A' }));
    expect(value(await admin.updateAgent('amanda', { availability: 'online' })).openCount).toBe(1);
  });

  it('still answers with the change when the callback fails, and logs it', async () => {
    const errors: Record<string, unknown>[] = [];
    const { admin } = harness({
      logger: { info() {}, warn() {}, debug() {}, error: (fields) => void errors.push(fields) },
      onAgentChanged: async () => {
        throw new Error('platform down');
      },
    });
    value(await admin.createAgent({ handle: 'amanda', name: 'A' }));
    expect(value(await admin.updateAgent('amanda', { availability: 'online' })).availability).toBe('online');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ agent: 'amanda' });
  });

  it('refuses handle and status changes and unknown fields, naming the field', async () => {
    const { admin } = harness();
    value(await admin.createAgent({ handle: 'amanda', name: 'A' }));
    expect(failure(await admin.updateAgent('amanda', { handle: 'mandy' }))).toMatchObject({ code: 'invalid_argument', field: 'handle' });
    for (const status of ['removed', 'suspended', 'active', 'on-leave']) {
      const refused = failure(await admin.updateAgent('amanda', { status }));
      expect(refused).toMatchObject({ code: 'invalid_argument', field: 'status' });
      expect(refused.message).toContain('/offboard @amanda --suspend');
      expect(refused.message).toContain('/reinstate @amanda');
    }
    expect(value(await admin.getAgent('amanda')).status).toBe('active');
    expect(failure(await admin.updateAgent('amanda', { openCount: 0 }))).toMatchObject({ field: 'openCount' });
    expect(failure(await admin.updateAgent('amanda', { name: null }))).toMatchObject({ field: 'name' });
  });

  it('refuses to change a removed agent and an identity clash', async () => {
    const { admin, store } = harness();
    value(await admin.createAgent({ handle: 'amanda', name: 'A', telegramUsername: 'mandy' }));
    value(await admin.createAgent({ handle: 'bob', name: 'B' }));
    expect(failure(await admin.updateAgent('bob', { telegramUsername: '@Mandy' }))).toMatchObject({
      code: 'conflict',
      field: 'telegramUsername',
    });
    await store.updateAgent('amanda', { status: 'removed' });
    expect(failure(await admin.updateAgent('amanda', { name: 'Back' }))).toMatchObject({ code: 'conflict' });
    expect(failure(await admin.updateAgent('ghost', { name: 'G' }))).toMatchObject({ code: 'agent_not_found' });
  });
});

describe('invites', () => {
  it('creates a single-use code that expires after 24 hours, with the bot link', async () => {
    const { admin, store, clock } = harness();
    value(await admin.createAgent({ handle: 'amanda', name: 'A' }));
    const invite = value(await admin.createInvite('amanda'));
    expect(invite.code).toMatch(/^[A-HJ-NP-Z2-9]{12}$/); // the format /start recognises
    expect(invite.link).toBe(`https://t.me/switchboard_bot?start=${invite.code}`);
    expect(invite.expiresAt).toBe(new Date(clock.now().getTime() + 24 * 3600_000).toISOString());
    const second = value(await admin.createInvite('amanda'));
    expect(second.code).not.toBe(invite.code);

    expect(await store.consumeInvite(invite.code, clock.now())).toBe('amanda');
    expect(await store.consumeInvite(invite.code, clock.now())).toBeNull();
    clock.advance(24 * 3600_000);
    expect(await store.consumeInvite(second.code, clock.now())).toBeNull();
  });

  it('answers link null while no bot link is known, and draws a new code on a clash', async () => {
    const { admin } = harness({ link: () => null, codes: ['same', 'same', 'other'] });
    value(await admin.createAgent({ handle: 'amanda', name: 'A' }));
    expect(value(await admin.createInvite('amanda'))).toMatchObject({ code: 'same', link: null });
    expect(value(await admin.createInvite('amanda')).code).toBe('other');
  });

  it('refuses unknown and removed agents', async () => {
    const { admin, store } = harness();
    expect(failure(await admin.createInvite('ghost'))).toMatchObject({ code: 'agent_not_found' });
    value(await admin.createAgent({ handle: 'gone', name: 'G' }));
    await store.updateAgent('gone', { status: 'removed' });
    expect(failure(await admin.createInvite('gone'))).toMatchObject({ code: 'conflict' });
  });
});
