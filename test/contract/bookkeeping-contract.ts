import { expect, it } from 'vitest';
import { StoreConflict, type ThreadRef } from '../../src/core/index.js';
import { at, parallel, T0, type CurrentStore } from './fixtures.js';

export function bookkeepingContract(store: CurrentStore): void {
  it('records a delivery once and reports repeats as duplicates', async () => {
    expect(await store().recordDelivery('telegram:1001', T0)).toBe(true);
    expect(await store().recordDelivery('telegram:1001', at(5))).toBe(false);
    expect(await store().recordDelivery('slack:Ev1001', at(5))).toBe(true);
  });

  it('accepts exactly one of 10 simultaneous deliveries with the same key', async () => {
    const results = await parallel(10, () => store().recordDelivery('slack:Ev42', T0));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('finds the conversation of a linked platform message', async () => {
    await store().linkMessage({ platform: 'telegram', chatId: '500', messageId: '77', conversation: 3 });
    await store().linkMessage({ platform: 'slack', chatId: '500', messageId: '77', conversation: 4 });
    expect(await store().findLinkedConversation('telegram', '500', '77')).toBe(3);
    expect(await store().findLinkedConversation('slack', '500', '77')).toBe(4);
    expect(await store().findLinkedConversation('telegram', '500', '78')).toBeNull();
    expect(await store().findLinkedConversation('telegram', '501', '77')).toBeNull();
  });

  it('keeps the first thread saved for a conversation, agent and platform', async () => {
    const thread: ThreadRef = { conversation: 1, handle: 'alice', platform: 'slack', chatId: 'D1', threadId: '1700.1' };
    await store().saveThread(thread);
    await store().saveThread({ ...thread, threadId: '1800.2' });
    await store().saveThread({ ...thread, platform: 'telegram', chatId: '900', threadId: '55' });
    expect(await store().findThread(1, 'alice', 'slack')).toEqual(thread);
    expect((await store().findThread(1, 'alice', 'telegram'))?.threadId).toBe('55');
    expect(await store().findThread(1, 'bob', 'slack')).toBeNull();
    expect(await store().findThread(2, 'alice', 'slack')).toBeNull();
  });

  it('keeps one thread when several are saved at once', async () => {
    await parallel(10, (i) => store().saveThread({ conversation: 1, handle: 'alice', platform: 'slack', chatId: 'D1', threadId: `t${i}` }));
    expect((await store().findThread(1, 'alice', 'slack'))?.threadId).toMatch(/^t\d$/);
  });

  it('uses an invite code once, for the agent it was made for', async () => {
    await store().createInvite({ code: 'INV1', handle: 'alice', expiresAt: at(3600) });
    expect(await store().consumeInvite('INV1', at(10))).toBe('alice');
    expect(await store().consumeInvite('INV1', at(11))).toBeNull();
    expect(await store().consumeInvite('NOPE', at(11))).toBeNull();
  });

  it('refuses an expired invite', async () => {
    await store().createInvite({ code: 'INV1', handle: 'alice', expiresAt: at(3600) });
    expect(await store().consumeInvite('INV1', at(3600))).toBeNull();
    expect(await store().consumeInvite('INV1', at(3599))).toBe('alice');
  });

  it('refuses a second invite with the same code', async () => {
    await store().createInvite({ code: 'INV1', handle: 'alice', expiresAt: at(3600) });
    const error = await store().createInvite({ code: 'INV1', handle: 'bob', expiresAt: at(3600) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreConflict);
    expect(await store().consumeInvite('INV1', T0)).toBe('alice');
  });

  it('lets exactly one of 10 simultaneous uses of an invite succeed', async () => {
    await store().createInvite({ code: 'INV1', handle: 'alice', expiresAt: at(3600) });
    const results = await parallel(10, () => store().consumeInvite('INV1', T0));
    expect(results.filter((r) => r === 'alice')).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(9);
  });
}
