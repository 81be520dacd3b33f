import type { Agent } from '../model/agent.js';
import { err, type Result } from '../errors.js';
import { StoreConflict, type Store } from '../ports/store.js';

export function agentNotFound(handle: string, field = 'handle'): Result<never> {
  return err('agent_not_found', `No agent @${handle}: create it with POST /api/agents or list agents with GET /api/agents.`, field);
}

export function agentRemoved(handle: string, field = 'handle'): Result<never> {
  return err('conflict', `@${handle} was removed and cannot change any more: create a new agent instead.`, field);
}

type Identities = Partial<Pick<Agent, 'handle' | 'telegramUserId' | 'telegramUsername' | 'slackUserId'>>;

/** A unique-key clash reported by the store, as a 409 naming the field (and the owner); other errors are rethrown. */
export async function agentConflict(store: Store, error: unknown, attempted: Identities): Promise<Result<never>> {
  if (!(error instanceof StoreConflict)) throw error;
  if (error.field === 'handle') {
    return err('conflict', `Agent @${attempted.handle} already exists: choose another handle.`, 'handle');
  }
  const field = error.field as keyof Identities;
  const value = attempted[field];
  let owner: Agent | null = null;
  if (value !== undefined) {
    if (field === 'telegramUserId') owner = await store.findAgentByIdentity('telegram', value);
    else if (field === 'slackUserId') owner = await store.findAgentByIdentity('slack', value);
    else if (field === 'telegramUsername') owner = await store.findAgentByTelegramUsername(value);
  }
  const whose = owner ? `@${owner.handle}` : 'another agent';
  return err(
    'conflict',
    `${field} ${value ?? ''} belongs to ${whose}: unlink it there first (PATCH it with "${field}": null) or send another ${field}.`.replace('  ', ' '),
    field,
  );
}
