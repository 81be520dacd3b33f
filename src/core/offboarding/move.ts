import type { CoreDeps } from '../deps.js';
import type { Conversation } from '../model/conversation.js';
import type { HistoryReason } from '../model/history.js';
import { afterAssigned } from '../conversations/assign.js';
import { cancelResponseTimeout } from '../conversations/timeouts.js';

/** What happened to one conversation. */
export type MoveOutcome =
  | { kind: 'moved'; to: string; conversation: Conversation; timer: boolean }
  | { kind: 'queued'; conversation: Conversation; refusedBy?: string | undefined }
  | { kind: 'skipped'; why: string };

export interface MoveContext {
  reason: HistoryReason;
  actor: string | null;
  offboarding: string;
  /** Explicit plans and reinstatements ignore availability, explicit plans capacity too; strategy plans do not. */
  explicit: boolean;
  /** An explicit move that still keeps the receiver within capacity (a reinstatement). */
  withinCapacity?: boolean | undefined;
  note?: string | undefined;
  /** When the receiver cannot take it: leave it where it is instead of queueing it. */
  keepIfRefused?: boolean | undefined;
}

/** Why a conversation is no longer where the plan expected it. */
export function whereNow(conv: Conversation | null): string {
  if (!conv) return 'gone';
  if (conv.status === 'closed') return 'closed';
  if (conv.status === 'assigned' && conv.assignee) return `now with @${conv.assignee}`;
  return `waiting (${conv.status})`;
}

/**
 * Move one conversation from `from` to `to` (or to the queue when `to` is null) with ONE
 * conditional update: it only happens while `from` still holds it, so running the same move twice,
 * or racing a /transfer, never moves it twice. Slots, the response timer and history follow.
 */
export async function moveConversation(
  deps: CoreDeps,
  number: number,
  from: string,
  to: string | null,
  ctx: MoveContext,
): Promise<MoveOutcome> {
  const { store, clock } = deps;
  const conv = await store.getConversation(number);
  if (!conv || conv.status !== 'assigned' || conv.assignee !== from) return { kind: 'skipped', why: whereNow(conv) };

  if (to !== null) {
    const slot = await store.reserveSlot(to, ctx.explicit ? { requireOnline: false, ignoreCapacity: !ctx.withinCapacity } : { requireOnline: true, ignoreCapacity: false });
    if (slot) {
      const moved = await store.updateConversation(
        number,
        { status: ['assigned'], assignee: from },
        { assignee: to, updatedAt: clock.now(), excluded: conv.excluded.filter((h) => h !== to) },
      );
      if (!moved) {
        await store.releaseSlot(to);
        return { kind: 'skipped', why: whereNow(await store.getConversation(number)) };
      }
      await store.releaseSlot(from);
      const timer = (await deps.scheduler.cancel('response-timeout', { conversation: number })) > 0;
      await afterAssigned(deps, moved, slot, { reason: ctx.reason, actor: ctx.actor, from, offboarding: ctx.offboarding, note: ctx.note, silent: true });
      return { kind: 'moved', to, conversation: moved, timer };
    }
    if (ctx.keepIfRefused) return { kind: 'skipped', why: `kept by @${from}: @${to} cannot take it` };
  }

  const queued = await store.updateConversation(
    number,
    { status: ['assigned'], assignee: from },
    { status: 'queued', assignee: null, updatedAt: clock.now() },
  );
  if (!queued) return { kind: 'skipped', why: whereNow(await store.getConversation(number)) };
  await store.releaseSlot(from);
  await cancelResponseTimeout(deps, number);
  const note = to !== null ? `queued: @${to} could not take it` : (ctx.note ?? 'queued');
  await store.addHistory({ conversation: number, reason: ctx.reason, from, to: null, actor: ctx.actor, at: clock.now(), offboarding: ctx.offboarding, note });
  deps.metrics.inc('conversations_queued', { inbox: conv.inbox });
  return { kind: 'queued', conversation: queued, refusedBy: to ?? undefined };
}

/** Bring the agent's open-conversation count back in line with what they hold (after a crash between steps). */
export async function reconcileLoad(deps: CoreDeps, handle: string): Promise<void> {
  const held = (await deps.store.listAssigned(handle)).length;
  for (let guard = 0; guard < 100_000; guard++) {
    const agent = await deps.store.getAgent(handle);
    if (!agent || agent.openCount <= held) return;
    await deps.store.releaseSlot(handle);
  }
}

/**
 * After a crash between a move and its history event: the conversation sits where the plan sent it,
 * yet its last event still names `from` as the holder. Write the missing event and return the
 * conversation; null when that is not the case (it changed for another reason).
 */
export async function recordMissedMove(deps: CoreDeps, number: number, from: string, to: string | null, ctx: MoveContext): Promise<Conversation | null> {
  const { store, clock } = deps;
  const conv = await store.getConversation(number);
  if (!conv) return null;
  const there = to === null ? conv.status === 'queued' && conv.assignee === null : conv.status === 'assigned' && conv.assignee === to;
  if (!there) return null;
  let last: { to: string | null } | undefined;
  let after: string | undefined;
  do {
    const page = await store.listHistory({ conversation: number }, { limit: 500, after });
    last = page.items.at(-1) ?? last;
    after = page.next ?? undefined;
  } while (after);
  if (!last || last.to !== from) return null;
  if (to === null) {
    await store.addHistory({ conversation: number, reason: ctx.reason, from, to: null, actor: ctx.actor, at: clock.now(), offboarding: ctx.offboarding, note: 'queued' });
    return conv;
  }
  const receiver = await store.getAgent(to);
  if (!receiver) return null;
  await afterAssigned(deps, conv, receiver, { reason: ctx.reason, actor: ctx.actor, from, offboarding: ctx.offboarding, silent: true });
  return conv;
}
