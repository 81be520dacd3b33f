import type { CoreDeps } from '../deps.js';
import { isSupervisor, type Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { OutboundMessage } from '../ports/outbound.js';
import { err, ok, type Result } from '../errors.js';
import { agentAddress } from '../delivery/notices.js';
import { afterAssigned, drainForAgent, routeAndNotify } from './assign.js';
import { cancelResponseTimeout } from './timeouts.js';
import { withReservation } from '../routing/reservation.js';

export interface ActionOutcome {
  answer: string;
  outbound: OutboundMessage[];
}

const changedMeanwhile = (n: number): Result<never> =>
  err('conflict', `Conversation #${n} changed meanwhile; check it with /mine or /queue and try again.`);

export function mayManage(actor: Agent, conv: Conversation): boolean {
  return isSupervisor(actor) || conv.assignee === actor.handle;
}

function refuseManage(actor: Agent, conv: Conversation, verb: string): Result<never> {
  const holder = conv.assignee ? `assigned to @${conv.assignee}` : 'not assigned to you';
  return err('forbidden', `Conversation #${conv.number} is ${holder}; only its assignee or a supervisor can ${verb} it.`);
}

/** Tell the previous assignee when someone else moved their conversation. */
function tellPrevious(deps: CoreDeps, prev: Agent | null, actor: Agent, text: string): OutboundMessage[] {
  if (!prev || prev.handle === actor.handle) return [];
  const address = agentAddress(prev);
  return address ? [{ to: address, text, handle: prev.handle }] : [];
}

export async function transfer(
  deps: CoreDeps,
  actor: Agent,
  conv: Conversation,
  target: Agent,
  note: string | undefined,
): Promise<Result<ActionOutcome>> {
  const { store, clock } = deps;
  if (conv.status === 'closed') return err('conversation_closed', `Conversation #${conv.number} is closed; nothing to transfer.`);
  if (!mayManage(actor, conv)) return refuseManage(actor, conv, 'transfer');
  if (target.status !== 'active') return err('agent_inactive', `@${target.handle} is ${target.status} and cannot take conversations; pick an active agent${isSupervisor(actor) ? ' (/agents lists them)' : ''}.`);
  if (conv.assignee === target.handle) return err('nothing_to_do', `Conversation #${conv.number} is already assigned to @${target.handle}.`);
  const memberships = await store.listMemberships(target.handle);
  if (!memberships.some((m) => m.inbox === conv.inbox)) {
    return err('not_member', `@${target.handle} is not a member of inbox ${conv.inbox}; pick one of its members.`);
  }
  const supervisor = isSupervisor(actor);
  const slot = await store.reserveSlot(target.handle, { requireOnline: false, ignoreCapacity: supervisor });
  if (!slot) {
    return err('forbidden', `@${target.handle} is at capacity (${target.openCount}/${target.capacity}); pick someone else or ask a supervisor.`);
  }
  const updated = await withReservation(store, target.handle, () =>
    store.updateConversation(
      conv.number,
      { status: [conv.status], assignee: conv.assignee },
      { status: 'assigned', assignee: target.handle, updatedAt: clock.now(), queuedNoticeSent: false, redirects: 0, excluded: conv.excluded.filter((h) => h !== target.handle) },
    ),
  );
  if (!updated) return changedMeanwhile(conv.number);
  const prev = conv.status === 'assigned' && conv.assignee ? await store.getAgent(conv.assignee) : null;
  if (prev) await store.releaseSlot(prev.handle);
  await cancelResponseTimeout(deps, conv.number);
  const outbound = await afterAssigned(deps, updated, slot, { reason: 'transfer', actor: actor.handle, from: conv.assignee, note });
  outbound.push(...tellPrevious(deps, prev, actor, `Conversation #${conv.number} was transferred to @${target.handle} by @${actor.handle}.`));
  if (prev) outbound.push(...(await drainForAgent(deps, prev.handle)).outbound);
  const over = slot.openCount > slot.capacity ? ` @${target.handle} is now over capacity (${slot.openCount}/${slot.capacity}).` : '';
  return ok({ answer: `Transferred #${conv.number} to @${target.handle}.${over}`, outbound });
}

export async function unassign(deps: CoreDeps, actor: Agent, conv: Conversation, reassign: boolean): Promise<Result<ActionOutcome>> {
  const { store, clock } = deps;
  if (conv.status === 'closed') return err('conversation_closed', `Conversation #${conv.number} is closed.`);
  if (!mayManage(actor, conv)) return refuseManage(actor, conv, 'unassign');
  if (conv.status !== 'assigned' || !conv.assignee) {
    return err('nothing_to_do', `Conversation #${conv.number} has no assignee (${conv.status}); /claim #${conv.number} takes it.`);
  }
  const prevHandle = conv.assignee;
  const excluded = reassign && !conv.excluded.includes(prevHandle) ? [...conv.excluded, prevHandle] : conv.excluded;
  const updated = await store.updateConversation(
    conv.number,
    { status: ['assigned'], assignee: prevHandle },
    { status: 'unassigned', assignee: null, updatedAt: clock.now(), excluded },
  );
  if (!updated) return changedMeanwhile(conv.number);
  await store.releaseSlot(prevHandle);
  await cancelResponseTimeout(deps, conv.number);
  await store.addHistory({ conversation: conv.number, reason: 'unassign', from: prevHandle, to: null, actor: actor.handle, at: clock.now() });
  const prev = await store.getAgent(prevHandle);
  const outbound = tellPrevious(deps, prev, actor, `Conversation #${conv.number} was unassigned from you by @${actor.handle}.`);
  let answer = `Unassigned #${conv.number}. It waits for the customer's next message or a /claim.`;
  if (reassign) {
    const routed = await routeAndNotify(deps, conv.number, { reason: 'route', actor: actor.handle }, [prevHandle]);
    outbound.push(...routed.outbound);
    if (routed.assigned) {
      answer = `Unassigned #${conv.number} and gave it to @${routed.assigned.agent.handle}.`;
    } else {
      const queued = await store.updateConversation(conv.number, { status: ['unassigned'], assignee: null }, { status: 'queued', updatedAt: clock.now() });
      const now = queued ?? (await store.getConversation(conv.number));
      if (now && now.status === 'assigned' && now.assignee) answer = `Unassigned #${conv.number}; @${now.assignee} took it meanwhile.`;
      else if (now && now.status === 'closed') answer = `Unassigned #${conv.number}; it was closed meanwhile.`;
      else answer = `Unassigned #${conv.number}; nobody else can take it now, so it is queued.`;
    }
  }
  outbound.push(...(await drainForAgent(deps, prevHandle)).outbound);
  return ok({ answer, outbound });
}

export async function claim(deps: CoreDeps, actor: Agent, conv: Conversation): Promise<Result<ActionOutcome>> {
  const { store, clock } = deps;
  if (conv.status === 'closed') return err('conversation_closed', `Conversation #${conv.number} is closed.`);
  if (conv.status === 'assigned') {
    const who = conv.assignee === actor.handle ? 'you' : `@${conv.assignee}`;
    return err('nothing_to_do', `Conversation #${conv.number} is already assigned to ${who}; /queue lists what waits.`);
  }
  if (!isSupervisor(actor)) {
    const memberships = await store.listMemberships(actor.handle);
    if (!memberships.some((m) => m.inbox === conv.inbox)) {
      return err('forbidden', `You are not a member of inbox ${conv.inbox}; ask a supervisor to add you or to /transfer #${conv.number}.`);
    }
  }
  const slot = await store.reserveSlot(actor.handle, { requireOnline: false, ignoreCapacity: false });
  if (!slot) return err('forbidden', `You are at capacity (${actor.openCount}/${actor.capacity}); /close or /transfer a conversation first.`);
  const updated = await withReservation(store, actor.handle, () =>
    store.updateConversation(
      conv.number,
      { status: ['queued', 'unassigned'], assignee: null },
      { status: 'assigned', assignee: actor.handle, updatedAt: clock.now(), queuedNoticeSent: false, redirects: 0, excluded: conv.excluded.filter((h) => h !== actor.handle) },
    ),
  );
  if (!updated) {
    return err('conflict', `Conversation #${conv.number} was just taken by someone else; /queue lists what still waits.`);
  }
  const outbound = await afterAssigned(deps, updated, slot, { reason: 'claim', actor: actor.handle });
  return ok({ answer: `You claimed #${conv.number} (${conv.customer.name}).`, outbound });
}

export async function close(deps: CoreDeps, actor: Agent, conv: Conversation): Promise<Result<ActionOutcome>> {
  const { store, clock } = deps;
  if (conv.status === 'closed') return err('conversation_closed', `Conversation #${conv.number} is already closed.`);
  if (!mayManage(actor, conv)) return refuseManage(actor, conv, 'close');
  const now = clock.now();
  const updated = await store.updateConversation(
    conv.number,
    { status: [conv.status], assignee: conv.assignee },
    { status: 'closed', closedAt: now, updatedAt: now, waitingSince: undefined },
  );
  if (!updated) return changedMeanwhile(conv.number);
  await cancelResponseTimeout(deps, conv.number);
  await store.addHistory({ conversation: conv.number, reason: 'close', from: conv.assignee, to: null, actor: actor.handle, at: now });
  const outbound: OutboundMessage[] = [];
  if (conv.status === 'assigned' && conv.assignee) {
    await store.releaseSlot(conv.assignee);
    const prev = await store.getAgent(conv.assignee);
    outbound.push(...tellPrevious(deps, prev, actor, `Conversation #${conv.number} was closed by @${actor.handle}.`));
    outbound.push(...(await drainForAgent(deps, conv.assignee)).outbound);
  }
  return ok({ answer: `Closed #${conv.number}. A new message from ${conv.customer.name} will open a new conversation.`, outbound });
}
