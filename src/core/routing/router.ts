import type { CoreDeps } from '../deps.js';
import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import { withReservation } from './reservation.js';

export interface Assigned {
  conversation: Conversation;
  agent: Agent;
}

/**
 * Picks an agent for a conversation without an assignee and assigns it, in a fixed number of
 * store operations however many routings run at once (here or in another process): the pick
 * (eligible member by the inbox's strategy, slot reserved, cursor moved) is one atomic store
 * operation, and the conversation is assigned only while it still has no assignee — else the
 * slot goes back. Returns null when nobody eligible can take it (or someone else assigned it first).
 */
export async function routeConversation(deps: CoreDeps, number: number, exclude: Iterable<string> = []): Promise<Assigned | null> {
  return (await route(deps, number, exclude)).assigned;
}

export interface RouteOutcome {
  assigned: Assigned | null;
  /** The inbox whose pick reserved a slot that went back (the conversation was taken meanwhile): its queue may move now. */
  released: string | null;
}

/** routeConversation, also saying when a reserved slot went back unused. */
export async function route(deps: CoreDeps, number: number, exclude: Iterable<string> = []): Promise<RouteOutcome> {
  const { store, clock, metrics } = deps;
  const started = performance.now();
  try {
    const conv = await store.getConversation(number);
    const none: RouteOutcome = { assigned: null, released: null };
    if (!conv || conv.assignee !== null || (conv.status !== 'queued' && conv.status !== 'unassigned')) return none;
    const inbox = await store.getInbox(conv.inbox);
    if (!inbox || inbox.paused) return none;
    const picked = await store.pickAgent(inbox.name, [...new Set([...conv.excluded, ...exclude])]);
    if (!picked) return none;
    const assigned = await withReservation(store, picked.agent.handle, () =>
      store.updateConversation(
        number,
        { status: ['queued', 'unassigned'], assignee: null },
        { status: 'assigned', assignee: picked.agent.handle, updatedAt: clock.now(), queuedNoticeSent: false },
      ),
    );
    return assigned ? { assigned: { conversation: assigned, agent: picked.agent }, released: null } : { assigned: null, released: inbox.name };
  } finally {
    metrics.observeRouting((performance.now() - started) / 1000);
  }
}
