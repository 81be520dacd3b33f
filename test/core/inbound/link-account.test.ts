import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/index.js';
import { AdminService } from '../../../src/core/admin/admin-service.js';
import { makeCore } from '../../support/core-harness.js';

describe('/start CODE', () => {
  const start = (h: ReturnType<typeof makeCore>, code: string, from: { id: string; username?: string }) =>
    h.core.handleInbound({
      platform: 'telegram',
      deliveryId: `start:${from.id}:${code}`,
      kind: 'command',
      command: 'start',
      text: code,
      sender: { id: from.id, username: from.username, name: 'Dan' },
      chat: { id: from.id, isDirect: true },
    });

  it('links the Telegram account of the invited agent', async () => {
    const h = makeCore();
    const r = await h.core.createAgent({ handle: 'dan', name: 'Dan' });
    expect(r.ok).toBe(true);
    const invite = await h.core.createInvite('dan');
    if (!invite.ok) throw new Error(invite.error.message);
    const answer = (await start(h, invite.value.code, { id: '555', username: 'danny' })).answer!.text;
    expect(answer).toMatch(/^Welcome, Dan! This Telegram account is now linked to @dan\./);
    expect((await h.store.getAgent('dan'))!.telegramUserId).toBe('555');
  });

  it('refuses a username another agent has, in words, without naming store fields or that agent', async () => {
    const h = makeCore();
    await h.core.createAgent({ handle: 'dan', name: 'Dan' });
    await h.core.createAgent({ handle: 'amanda', name: 'Amanda', telegramUsername: 'danny' });
    const invite = await h.core.createInvite('dan');
    if (!invite.ok) throw new Error(invite.error.message);
    const answer = (await start(h, invite.value.code, { id: '555', username: 'danny' })).answer!.text;
    expect(answer).toBe('This Telegram account cannot be linked: its username @danny is already set on another agent. Ask your admin.');
    expect((await h.store.getAgent('dan'))!.telegramUserId).toBeUndefined();
  });
});

describe('invite codes', () => {
  it('links with a code from the default generator of the admin use cases (the one format /start knows)', async () => {
    const h = makeCore();
    await h.core.createAgent({ handle: 'dan', name: 'Dan' });
    const admin = new AdminService({ store: h.store, clock: h.clock, logger: silentLogger, inviteLink: () => null, onAgentChanged: async () => {}, onInboxChanged: async () => {} });
    const invite = await admin.createInvite('dan');
    if (!invite.ok) throw new Error(invite.error.message);
    const answer = await h.core.handleInbound({
      platform: 'telegram',
      deliveryId: 'start:default-code',
      kind: 'command',
      command: 'start',
      text: invite.value.code,
      sender: { id: '777', name: 'Dan' },
      chat: { id: '777', isDirect: true },
    });
    expect(answer.answer!.text).toMatch(/^Welcome, Dan! This Telegram account is now linked to @dan\./);
  });
});
