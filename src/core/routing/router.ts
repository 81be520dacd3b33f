import type { CoreDeps } from '../deps.js';
import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Inbox, Membership } from '../model/inbox.js';
import { pickLeastBusy } from './least-busy.js';
import { pickRoundRobin, rotateAfter } from './round-robin.js';
import { withReservation } from './reservation.js';

const BATCH = 32;
const MAX_ATTEMPTS = 200;

export interface Assigned {
  conversation: Conversation;
  agent: Agent;
}

/**
 * Picks an agent for a conversation without an assignee and assigns it. Every step that could
 * race with another routing call (here or in another process) is a conditional store operation:
 * the rotation cursor moves by compare-and-set, the agent's slot is reserved only below capacity,
 * and the conversation is assigned only while it still has no assignee.
 * Returns null when nobody eligible can take it (or someone else assigned it first).
 */
export async function routeConversation(
  deps: CoreDeps,
  number: number,
  exclude: Iterable<string> = [],
): Promise<Assigned | null> {
  const { store, clock, metrics } = deps;
  const started = performance.now();
  const skipped = new Set<string>(exclude);
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const conv = await store.getConversation(number);
      if (!conv || conv.assignee !== null || (conv.status !== 'queued' && conv.status !== 'unassigned')) return null;
      const inbox = await store.getInbox(conv.inbox);
      if (!inbox || inbox.paused) return null;
      const excluded = new Set([...conv.excluded, ...skipped]);
      const pick = inbox.strategy === 'least-busy' ? await pickFromAll(deps, inbox, excluded) : await pickInRotation(deps, inbox, excluded);
      if (!pick) return null;
      if (!(await store.moveCursor(inbox.name, inbox.cursor, pick.seq))) continue; // another routing moved it: look again
      const agent = await store.reserveSlot(pick.handle, { requireOnline: true, ignoreCapacity: false });
      if (!agent) {
        skipped.add(pick.handle); // became full or went away meanwhile
        continue;
      }
      const assigned = await withReservation(store, agent.handle, () =>
        store.updateConversation(
          number,
          { status: ['queued', 'unassigned'], assignee: null },
          { status: 'assigned', assignee: agent.handle, updatedAt: clock.now(), queuedNoticeSent: false },
        ),
      );
      if (!assigned) return null;
      return { conversation: assigned, agent };
    }
    return null;
  } finally {
    metrics.observeRouting((performance.now() - started) / 1000);
  }
}

/** Round-robin: walks the rotation from the cursor in small batches, so a pick costs about the same with 10 or 10,000 members. */
async function pickInRotation(deps: CoreDeps, inbox: Inbox, excluded: ReadonlySet<string>): Promise<Membership | null> {
  const { store } = deps;
  const scan = async (after: number, until: number): Promise<Membership | null> => {
    for (;;) {
      let batch = await store.membersAfter(inbox.name, after, BATCH);
      if (until !== Infinity) batch = batch.filter((m) => m.seq <= until);
      if (batch.length === 0) return null;
      const agents = await agentMap(deps, batch);
      const pick = pickRoundRobin(batch, agents, excluded);
      if (pick) return pick;
      after = batch[batch.length - 1]!.seq;
      if (after >= until) return null;
    }
  };
  return (await scan(inbox.cursor, Infinity)) ?? (await scan(-1, inbox.cursor));
}

async function pickFromAll(deps: CoreDeps, inbox: Inbox, excluded: ReadonlySet<string>): Promise<Membership | null> {
  if (deps.store.leastBusyMember) return deps.store.leastBusyMember(inbox.name, inbox.cursor, [...excluded]);
  const members = await deps.store.listMembers(inbox.name);
  const agents = await agentMap(deps, members);
  return pickLeastBusy(rotateAfter(members, inbox.cursor), agents, excluded);
}

async function agentMap(deps: CoreDeps, members: readonly Membership[]): Promise<Map<string, Agent>> {
  const agents = await deps.store.getAgents(members.map((m) => m.handle));
  return new Map(agents.map((a) => [a.handle, a]));
}
