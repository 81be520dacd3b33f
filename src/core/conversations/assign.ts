import { capabilitiesOf, type CoreDeps } from '../deps.js';
import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { HistoryReason } from '../model/history.js';
import type { OutboundMessage } from '../ports/outbound.js';
import { agentAddress, assignmentNotice } from '../delivery/notices.js';
import { textLimit, unseenMessages } from '../delivery/transcript.js';
import { route } from '../routing/router.js';
import { scheduleResponseTimeout } from './timeouts.js';

export interface AssignContext {
  reason: HistoryReason;
  actor: string | null;
  from?: string | null | undefined;
  note?: string | undefined;
  offboarding?: string | undefined;
  /** Skip the agent's notice (e.g. offboarding sends one digest instead). */
  silent?: boolean | undefined;
}

/** Bookkeeping after a conversation got an assignee: history, response timer, the agent's notice. */
export async function afterAssigned(
  deps: CoreDeps,
  conv: Conversation,
  agent: Agent,
  ctx: AssignContext,
): Promise<OutboundMessage[]> {
  const now = deps.clock.now();
  // Any earlier event means someone held it before: a hand-over, whatever the reason of this one.
  const handOver = !ctx.silent && (await deps.store.listHistory({ conversation: conv.number }, { limit: 1 })).items.length > 0;
  await deps.store.addHistory({
    conversation: conv.number,
    reason: ctx.reason,
    from: ctx.from ?? null,
    to: agent.handle,
    actor: ctx.actor,
    note: ctx.note,
    at: now,
    offboarding: ctx.offboarding,
  });
  deps.metrics.inc('conversations_assigned', { reason: ctx.reason });
  deps.logger.info({ conversation: conv.number, agent: agent.handle, inbox: conv.inbox, reason: ctx.reason }, 'conversation assigned');
  await scheduleResponseTimeout(deps, conv);
  if (ctx.silent) return [];
  return conversationNotice(deps, conv, agent, ctx, handOver);
}

/**
 * The notice for the agent who now holds `conv`: on a first assignment every message so far, on a
 * hand-over the latest ones of both sides (see unseenMessages), split to the platform's limit.
 */
async function conversationNotice(
  deps: CoreDeps,
  conv: Conversation,
  agent: Agent,
  ctx: Pick<AssignContext, 'reason' | 'actor' | 'from' | 'note'>,
  handOver: boolean,
): Promise<OutboundMessage[]> {
  const address = agentAddress(agent);
  if (!address) {
    deps.logger.warn({ agent: agent.handle, conversation: conv.number }, 'agent has no linked platform; notice not sent');
    return [];
  }
  const unseen = await unseenMessages(deps, conv, handOver);
  return assignmentNotice(agent, address, capabilitiesOf(deps, address.platform), conv, {
    headline: headlineFor(conv, ctx),
    note: ctx.note,
    unseen,
    withTimes: handOver,
    now: deps.clock.now(),
    limit: textLimit(deps, address.platform),
  });
}

function headlineFor(conv: Conversation, ctx: Pick<AssignContext, 'reason' | 'actor' | 'from'>): string {
  const who = `#${conv.number} in ${conv.inbox} from ${conv.customer.name}`;
  switch (ctx.reason) {
    case 'transfer':
      return `Conversation ${who} was transferred to you${ctx.actor ? ` by @${ctx.actor}` : ''}.`;
    case 'timeout':
      return `Conversation ${who} is yours: the customer is still waiting for an answer.`;
    case 'claim':
      return `You claimed conversation ${who}.`;
    case 'reinstate':
      return `Conversation ${who} is back with you.`;
    default:
      return `New conversation ${who}.`;
  }
}

export interface RouteResult {
  assigned: { conversation: Conversation; agent: Agent } | null;
  outbound: OutboundMessage[];
}

/** Route one conversation and do the bookkeeping when it found an agent. */
export async function routeAndNotify(
  deps: CoreDeps,
  number: number,
  ctx: AssignContext,
  exclude: Iterable<string> = [],
): Promise<RouteResult> {
  const { assigned, released } = await route(deps, number, exclude);
  // taken meanwhile after our pick reserved a slot (given back): what waited for that slot goes now
  if (!assigned) return { assigned: null, outbound: released ? (await drainInbox(deps, released)).outbound : [] };
  const outbound = await afterAssigned(deps, assigned.conversation, assigned.agent, ctx);
  return { assigned, outbound };
}

const DRAIN_LIMIT = 500;

/** Give queued conversations of an inbox to eligible agents, oldest first. Unassigned ones wait for a trigger. */
export async function drainInbox(deps: CoreDeps, inbox: string): Promise<{ assigned: number; outbound: OutboundMessage[] }> {
  const outbound: OutboundMessage[] = [];
  let assigned = 0;
  const queued = await deps.store.listWaiting(inbox, ['queued'], DRAIN_LIMIT);
  for (const conv of queued) {
    const r = await routeAndNotify(deps, conv.number, { reason: 'route', actor: null });
    // also when this one was taken meanwhile: a slot given back may have placed others (their notices)
    outbound.push(...r.outbound);
    if (r.assigned) {
      assigned++;
    } else {
      // taken meanwhile (a /claim, another process): go on with the next one
      const now = await deps.store.getConversation(conv.number);
      const waiting = now !== null && now.status === 'queued' && now.assignee === null;
      if (waiting && now.excluded.length === 0) break; // nobody eligible at all: newer conversations cannot be placed either
    }
  }
  return { assigned, outbound };
}

/** Drain every inbox the agent is a member of (they came online, freed capacity or joined). */
export async function drainForAgent(deps: CoreDeps, handle: string): Promise<{ assigned: number; outbound: OutboundMessage[] }> {
  const outbound: OutboundMessage[] = [];
  let assigned = 0;
  for (const m of await deps.store.listMemberships(handle)) {
    const r = await drainInbox(deps, m.inbox);
    assigned += r.assigned;
    outbound.push(...r.outbound);
  }
  return { assigned, outbound };
}
