import type { CoreDeps } from '../deps.js';
import type { Agent } from '../model/agent.js';
import type { InboundEvent } from '../ports/inbound.js';
import { StoreConflict } from '../ports/store.js';

/** `/start CODE` on Telegram: link the sender's Telegram account to the agent the invite was made for. */
export async function linkTelegramAccount(deps: CoreDeps, event: InboundEvent, code: string, current: Agent | null): Promise<string> {
  const { store, clock, logger } = deps;
  const handle = await store.consumeInvite(code, clock.now());
  if (!handle) return 'This invite code is not valid, already used or expired; ask your admin for a new invite.';
  const agent = await store.getAgent(handle);
  if (!agent || agent.status === 'removed') return 'This invite is for an account that no longer exists; ask your admin.';
  if (current && current.handle !== handle) {
    return `This Telegram account is already linked to @${current.handle}; ask your admin to unlink it first.`;
  }
  try {
    await store.updateAgent(handle, {
      telegramUserId: event.sender.id,
      telegramUsername: event.sender.username ?? agent.telegramUsername,
    });
  } catch (e) {
    if (e instanceof StoreConflict) {
      // in words: neither the store's field names nor the other agent's handle
      const what = e.field === 'telegramUsername' && event.sender.username ? `its username @${event.sender.username} is` : 'it is';
      return `This Telegram account cannot be linked: ${what} already set on another agent. Ask your admin.`;
    }
    throw e;
  }
  logger.info({ agent: handle, platform: 'telegram' }, 'telegram account linked');
  const next = agent.availability === 'online' ? '' : ' Type /available to start receiving conversations.';
  return `Welcome, ${agent.name}! This Telegram account is now linked to @${handle}.${next} /help lists the commands.`;
}
