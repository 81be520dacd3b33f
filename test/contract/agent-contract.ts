import { expect, it } from 'vitest';
import { StoreConflict } from '../../src/core/index.js';
import { agent, parallel, type CurrentStore } from './fixtures.js';

export function agentContract(store: CurrentStore): void {
  it('creates an agent and reads it back by handle', async () => {
    const alice = agent('alice', { telegramUserId: '111', telegramUsername: 'Alice_TG', slackUserId: 'U1' });
    expect(await store().createAgent(alice)).toEqual(alice);
    expect(await store().getAgent('alice')).toEqual(alice);
    expect(await store().getAgent('nobody')).toBeNull();
  });

  it('refuses a second agent with the same handle', async () => {
    await store().createAgent(agent('alice'));
    const error = await store().createAgent(agent('alice', { name: 'Other' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreConflict);
    expect((error as StoreConflict).field).toBe('handle');
    expect((await store().getAgent('alice'))?.name).toBe('Agent alice');
  });

  it.each([
    ['telegramUserId', { telegramUserId: '111' }],
    ['slackUserId', { slackUserId: 'U1' }],
    ['telegramUsername', { telegramUsername: 'alice_tg' }],
  ] as const)('refuses a new agent whose %s belongs to someone else', async (field, identity) => {
    await store().createAgent(agent('alice', { telegramUserId: '111', slackUserId: 'U1', telegramUsername: 'Alice_TG' }));
    const error = await store().createAgent(agent('bob', identity)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreConflict);
    expect((error as StoreConflict).field).toBe(field);
    expect(await store().getAgent('bob')).toBeNull();
  });

  it('lets many agents have no platform identities', async () => {
    await store().createAgent(agent('alice'));
    await store().createAgent(agent('bob'));
    expect((await store().listAgents({ limit: 10 })).items.map((a) => a.handle)).toEqual(['alice', 'bob']);
  });

  it('finds agents by platform identity and by Telegram username in any case', async () => {
    await store().createAgent(agent('alice', { telegramUserId: '111', telegramUsername: 'Alice_TG' }));
    await store().createAgent(agent('bob', { slackUserId: 'U2', homePlatform: 'slack' }));
    expect((await store().findAgentByIdentity('telegram', '111'))?.handle).toBe('alice');
    expect((await store().findAgentByIdentity('slack', 'U2'))?.handle).toBe('bob');
    expect(await store().findAgentByIdentity('slack', '111')).toBeNull();
    expect(await store().findAgentByIdentity('telegram', 'U2')).toBeNull();
    expect((await store().findAgentByTelegramUsername('alice_tg'))?.handle).toBe('alice');
    expect((await store().findAgentByTelegramUsername('ALICE_TG'))?.handle).toBe('alice');
    expect((await store().findAgentByTelegramUsername('Alice_TG'))?.telegramUsername).toBe('Alice_TG');
    expect(await store().findAgentByTelegramUsername('bob')).toBeNull();
  });

  it('reads several agents at once, skipping unknown handles', async () => {
    await store().createAgent(agent('alice'));
    await store().createAgent(agent('bob'));
    const found = await store().getAgents(['bob', 'nobody', 'alice']);
    expect(found.map((a) => a.handle).sort()).toEqual(['alice', 'bob']);
    expect(await store().getAgents([])).toEqual([]);
  });

  it('updates fields and clears optional ones given as undefined', async () => {
    await store().createAgent(agent('alice', { telegramUserId: '111', telegramUsername: 'Alice_TG', slackUserId: 'U1' }));
    const updated = await store().updateAgent('alice', {
      name: 'Alice A.',
      availability: 'away',
      capacity: 3,
      telegramUserId: undefined,
      telegramUsername: undefined,
    });
    expect(updated).toEqual(agent('alice', { name: 'Alice A.', availability: 'away', capacity: 3, slackUserId: 'U1' }));
    expect(updated?.telegramUserId).toBeUndefined();
    expect(updated?.telegramUsername).toBeUndefined();
    expect(await store().getAgent('alice')).toEqual(updated);
    expect(await store().findAgentByIdentity('telegram', '111')).toBeNull();
    expect(await store().findAgentByTelegramUsername('alice_tg')).toBeNull();
    expect((await store().findAgentByIdentity('slack', 'U1'))?.handle).toBe('alice');
  });

  it('moves identities on update: the old ones are free, the new ones are found', async () => {
    await store().createAgent(agent('alice', { telegramUserId: '111', telegramUsername: 'old_name' }));
    await store().updateAgent('alice', { telegramUserId: '222', telegramUsername: 'New_Name' });
    expect((await store().findAgentByIdentity('telegram', '222'))?.handle).toBe('alice');
    expect((await store().findAgentByTelegramUsername('new_name'))?.handle).toBe('alice');
    expect(await store().findAgentByTelegramUsername('old_name')).toBeNull();
    await store().createAgent(agent('bob', { telegramUserId: '111', telegramUsername: 'OLD_NAME' }));
    expect((await store().findAgentByIdentity('telegram', '111'))?.handle).toBe('bob');
  });

  it('lets several agents drop their identities, and another agent take them afterwards', async () => {
    await store().createAgent(agent('alice', { telegramUserId: '111', telegramUsername: 'alice_tg', slackUserId: 'U1' }));
    await store().createAgent(agent('bob', { telegramUserId: '222', telegramUsername: 'bob_tg', slackUserId: 'U2' }));
    const none = { telegramUserId: undefined, telegramUsername: undefined, slackUserId: undefined };
    expect(await store().updateAgent('alice', none)).toEqual(agent('alice'));
    expect(await store().updateAgent('bob', none)).toEqual(agent('bob'));
    await store().createAgent(agent('carol', { telegramUserId: '111', telegramUsername: 'Bob_TG', slackUserId: 'U1' }));
    expect((await store().findAgentByTelegramUsername('bob_tg'))?.handle).toBe('carol');
  });

  it('refuses an update that takes another agent’s identity and leaves both agents as they were', async () => {
    await store().createAgent(agent('alice', { telegramUserId: '111', telegramUsername: 'alice_tg' }));
    await store().createAgent(agent('bob', { slackUserId: 'U2' }));
    const clash = await store().updateAgent('bob', { name: 'Bobby', telegramUsername: 'ALICE_TG' }).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(StoreConflict);
    expect((clash as StoreConflict).field).toBe('telegramUsername');
    const clashId = await store().updateAgent('bob', { telegramUserId: '111' }).catch((e: unknown) => e);
    expect((clashId as StoreConflict).field).toBe('telegramUserId');
    expect(await store().getAgent('bob')).toEqual(agent('bob', { slackUserId: 'U2' }));
    expect((await store().findAgentByTelegramUsername('alice_tg'))?.handle).toBe('alice');
  });

  it('keeps an agent’s own identities when an update repeats them', async () => {
    await store().createAgent(agent('alice', { telegramUserId: '111' }));
    expect((await store().updateAgent('alice', { telegramUserId: '111', role: 'admin' }))?.role).toBe('admin');
  });

  it('answers null when updating an unknown agent', async () => {
    expect(await store().updateAgent('nobody', { name: 'X' })).toBeNull();
    expect(await store().getAgent('nobody')).toBeNull();
  });

  it('lists agents by handle, a page at a time', async () => {
    for (const h of ['dave', 'alice', 'carol', 'bob', 'erin']) await store().createAgent(agent(h));
    const first = await store().listAgents({ limit: 2 });
    expect(first.items.map((a) => a.handle)).toEqual(['alice', 'bob']);
    expect(first.next).not.toBeNull();
    const second = await store().listAgents({ limit: 2, after: first.next ?? undefined });
    expect(second.items.map((a) => a.handle)).toEqual(['carol', 'dave']);
    const third = await store().listAgents({ limit: 2, after: second.next ?? undefined });
    expect(third).toEqual({ items: [agent('erin')], next: null });
    expect(await store().listAgents({ limit: 5 })).toMatchObject({ next: null });
    expect((await store().listAgents({ limit: 10, after: 'bz' })).items.map((a) => a.handle)).toEqual(['carol', 'dave', 'erin']);
  });

  it('reserves slots only for active agents, online when asked, below capacity unless told otherwise', async () => {
    await store().createAgent(agent('alice', { capacity: 2 }));
    await store().createAgent(agent('away', { availability: 'away' }));
    await store().createAgent(agent('gone', { status: 'suspended' }));
    const routing = { requireOnline: true, ignoreCapacity: false };
    expect((await store().reserveSlot('alice', routing))?.openCount).toBe(1);
    expect((await store().reserveSlot('alice', routing))?.openCount).toBe(2);
    expect(await store().reserveSlot('alice', routing)).toBeNull();
    expect((await store().reserveSlot('alice', { requireOnline: true, ignoreCapacity: true }))?.openCount).toBe(3);
    expect(await store().reserveSlot('away', routing)).toBeNull();
    expect((await store().reserveSlot('away', { requireOnline: false, ignoreCapacity: false }))?.openCount).toBe(1);
    expect(await store().reserveSlot('gone', { requireOnline: false, ignoreCapacity: true })).toBeNull();
    expect(await store().reserveSlot('nobody', { requireOnline: false, ignoreCapacity: true })).toBeNull();
    expect((await store().getAgent('alice'))?.openCount).toBe(3);
    expect((await store().getAgent('gone'))?.openCount).toBe(0);
  });

  it('refuses a slot once capacity is lowered to the open count or below', async () => {
    await store().createAgent(agent('alice', { capacity: 3 }));
    const routing = { requireOnline: true, ignoreCapacity: false };
    await store().reserveSlot('alice', routing);
    await store().reserveSlot('alice', routing);
    await store().updateAgent('alice', { capacity: 2 });
    expect(await store().reserveSlot('alice', routing)).toBeNull();
    await store().updateAgent('alice', { capacity: 1 });
    expect(await store().reserveSlot('alice', routing)).toBeNull();
    await store().updateAgent('alice', { capacity: 3 });
    expect((await store().reserveSlot('alice', routing))?.openCount).toBe(3);
  });

  it('releases slots and never goes below zero', async () => {
    await store().createAgent(agent('alice', { capacity: 1 }));
    await store().reserveSlot('alice', { requireOnline: true, ignoreCapacity: false });
    await store().releaseSlot('alice');
    expect((await store().getAgent('alice'))?.openCount).toBe(0);
    await store().releaseSlot('alice');
    await store().releaseSlot('nobody');
    expect((await store().getAgent('alice'))?.openCount).toBe(0);
    expect(await store().reserveSlot('alice', { requireOnline: true, ignoreCapacity: false })).not.toBeNull();
  });

  it('keeps openCount when other fields are updated', async () => {
    await store().createAgent(agent('alice'));
    await store().reserveSlot('alice', { requireOnline: true, ignoreCapacity: false });
    expect((await store().updateAgent('alice', { availability: 'offline' }))?.openCount).toBe(1);
  });

  it('gives exactly capacity slots to 50 simultaneous reservations', async () => {
    await store().createAgent(agent('alice', { capacity: 10 }));
    const results = await parallel(50, () => store().reserveSlot('alice', { requireOnline: true, ignoreCapacity: false }));
    expect(results.filter((r) => r !== null)).toHaveLength(10);
    expect((await store().getAgent('alice'))?.openCount).toBe(10);
  });

  it('updates an agent only while it meets the condition', async () => {
    await store().createAgent(agent('alice', { status: 'suspended' }));
    expect(await store().updateAgent('alice', { status: 'active' }, { status: ['disabled'] })).toBeNull();
    expect((await store().getAgent('alice'))?.status).toBe('suspended');
    expect((await store().updateAgent('alice', { status: 'active' }, { status: ['suspended', 'disabled'] }))?.status).toBe('active');
    const results = await parallel(10, () => store().updateAgent('alice', { status: 'disabled' }, { status: ['active'] }));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await store().updateAgent('nobody', { name: 'x' }, { status: ['active'] })).toBeNull();
  });

  it('sets openCount only while it is still the expected value', async () => {
    await store().createAgent(agent('alice', { capacity: 2 }));
    await store().reserveSlot('alice', { requireOnline: false, ignoreCapacity: false });
    expect(await store().setOpenCount('alice', 0, 5)).toBeNull();
    expect((await store().setOpenCount('alice', 1, 0))?.openCount).toBe(0);
    expect(await store().setOpenCount('nobody', 0, 1)).toBeNull();
    expect((await store().reserveSlot('alice', { requireOnline: false, ignoreCapacity: false }))?.openCount).toBe(1);
  });

  it('never goes below zero under simultaneous releases', async () => {
    await store().createAgent(agent('alice'));
    for (let i = 0; i < 3; i++) await store().reserveSlot('alice', { requireOnline: false, ignoreCapacity: false });
    await parallel(10, () => store().releaseSlot('alice'));
    expect((await store().getAgent('alice'))?.openCount).toBe(0);
  });
}
