import type { CoreDeps } from '../deps.js';
import type { Agent, AgentPatch, AgentStatus } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { HistoryReason } from '../model/history.js';
import type { Offboarding, OffboardMode } from '../model/offboarding.js';
import type { StoredHistoryEvent } from '../ports/store.js';
import type { OutboundMessage } from '../ports/outbound.js';
import { drainInbox } from '../conversations/assign.js';
import { agentAddress, cutText } from '../delivery/notices.js';
import { tokenize } from '../commands/tokens.js';
import { moveConversation, reconcileLoad, recordMissedMove, type MoveContext } from './move.js';
import { digestMessages } from './digest.js';
import { lastAdminText, takeOutOfService } from './rules.js';
import { budgetFor, formatTime, joinFit, modeDone, numberList } from './texts.js';

const STATUS: Record<OffboardMode, AgentStatus> = { suspend: 'suspended', disable: 'disabled', remove: 'removed' };
const RANK: Record<AgentStatus, number> = { active: 0, suspended: 1, disabled: 2, removed: 3 };

export interface ExecuteResult {
  summary: string;
  outbound: OutboundMessage[];
}

export interface ExecuteOptions {
  /** Carrying on after a crash: also record moves whose history event the crash lost. */
  resumed?: boolean | undefined;
}

export function historyReason(mode: OffboardMode): HistoryReason {
  return mode === 'suspend' ? 'suspend' : 'offboard';
}

/** Did the supervisor name the receivers (--to, --ratio, --hardcoded)? Those plans ignore capacity. */
export function isExplicitPlan(command: string): boolean {
  return tokenize(command).some((t) => t.kind === 'flag' && ['to', 'ratio', 'hardcoded'].includes(t.name));
}

/** Every history event of one offboarding, in order. */
export async function eventsOf(deps: CoreDeps, offboarding: string): Promise<StoredHistoryEvent[]> {
  const out: StoredHistoryEvent[] = [];
  let after: string | undefined;
  do {
    const page = await deps.store.listHistory({ offboarding }, { limit: 1000, after });
    out.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return out;
}

/**
 * Access stops first: status (and, for removals, the platform identities). Never goes back a step.
 * 'refused' when the agent is the last active admin (checked after the write: see takeOutOfService).
 */
async function revoke(deps: CoreDeps, agent: Agent, mode: OffboardMode): Promise<'revoked' | 'already' | 'refused'> {
  const status = STATUS[mode];
  if (RANK[agent.status] >= RANK[status]) return 'already';
  const patch: AgentPatch & { status: AgentStatus } = { status };
  if (mode === 'remove') Object.assign(patch, { telegramUserId: undefined, telegramUsername: undefined, slackUserId: undefined });
  return (await takeOutOfService(deps.store, agent, patch)) ? 'revoked' : 'refused';
}

/**
 * Carry out a confirmed (`running`) offboarding. Safe to run again after a crash: access and
 * memberships are set idempotently, each move is conditional on the agent still holding the
 * conversation, and moves recorded in history under this offboarding are not planned again.
 */
export async function executeOffboarding(deps: CoreDeps, record: Offboarding, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  const { store, clock, scheduler, logger } = deps;
  const handle = record.agent;
  const reason = historyReason(record.mode);
  const agent = await store.getAgent(handle);
  if (!agent) {
    const summary = `@${handle} no longer exists; nothing was moved.`;
    await store.transitionOffboarding(record.id, 'running', 'done', { finishedAt: clock.now(), summary });
    return { summary, outbound: [] };
  }
  const address = agentAddress(agent);
  const revoked = await revoke(deps, agent, record.mode);
  if (revoked === 'refused') {
    const summary = `${lastAdminText(handle)} Nothing was changed.`;
    await store.transitionOffboarding(record.id, 'running', 'cancelled', { finishedAt: clock.now(), summary });
    logger.warn({ agent: handle, offboarding: record.id }, 'offboarding refused: last active admin');
    return { summary, outbound: [] };
  }
  logger.info({ agent: handle, offboarding: record.id, mode: record.mode, resumed: revoked === 'already' }, 'offboarding running');

  // the agent's own scheduled return (an earlier suspension) no longer applies; this one's is set anew
  await scheduler.cancel('reinstate-agent', { handle });
  if (record.mode === 'suspend' && record.until) await scheduler.schedule('reinstate-agent', record.until, { handle, offboarding: record.id });

  const left: string[] = [];
  for (const m of await store.listMemberships(handle)) if (await store.removeMember(m.inbox, handle)) left.push(m.inbox);

  const done = new Set((await eventsOf(deps, record.id)).map((e) => e.conversation));
  const ctx: MoveContext = { reason, actor: record.supervisor, offboarding: record.id, explicit: isExplicitPlan(record.command) };
  const received = new Map<string, Conversation[]>();
  const skipped: string[] = [];
  const refused: string[] = [];
  const queuedInboxes = new Set<string>();
  let timers = 0;
  let count = 0;
  for (const move of record.plan) {
    if (done.has(move.conversation)) continue;
    count++;
    const r = await moveConversation(deps, move.conversation, handle, move.to, ctx);
    if (r.kind === 'moved') {
      const list = received.get(r.to);
      if (list) list.push(r.conversation);
      else received.set(r.to, [r.conversation]);
      if (r.timer) timers++;
    } else if (r.kind === 'queued') {
      queuedInboxes.add(r.conversation.inbox);
      if (r.refusedBy) refused.push(`#${move.conversation} (@${r.refusedBy})`);
    } else {
      const missed = opts.resumed ? await recordMissedMove(deps, move.conversation, handle, move.to, ctx) : null;
      if (!missed) skipped.push(`#${move.conversation} ${r.why}`);
      else if (move.to === null) queuedInboxes.add(missed.inbox);
      else {
        const list = received.get(move.to);
        if (list) list.push(missed);
        else received.set(move.to, [missed]);
      }
    }
  }

  // conversations that reached the agent after the preview: no plan for them, so they are queued
  const late: number[] = [];
  for (const c of await store.listAssigned(handle)) {
    const r = await moveConversation(deps, c.number, handle, null, { ...ctx, note: 'queued: reached the agent after the preview' });
    if (r.kind === 'queued') {
      late.push(c.number);
      queuedInboxes.add(c.inbox);
    }
  }
  await reconcileLoad(deps, handle);

  const outbound: OutboundMessage[] = [];
  let drained = 0;
  for (const inbox of queuedInboxes) {
    const r = await drainInbox(deps, inbox);
    drained += r.assigned;
    outbound.push(...r.outbound);
  }
  for (const [to, convs] of received) {
    const receiver = await store.getAgent(to);
    if (receiver) outbound.push(...(await digestMessages(deps, receiver, record, convs)));
  }
  if (revoked === 'revoked' && address && record.mode !== 'remove') {
    const until = record.mode === 'suspend' ? (record.until ? ` until ${formatTime(record.until)}` : ' until a supervisor reinstates you') : '';
    const verb = record.mode === 'suspend' ? 'suspended' : 'disabled';
    outbound.push({ to: address, text: `Your access was ${verb} by @${record.supervisor}${until}. Your open conversations went to other agents.`, handle });
  }

  const summary = await summarize(deps, record, { left, skipped, refused, late, drained, timers });
  await store.transitionOffboarding(record.id, 'running', 'done', { finishedAt: clock.now(), summary });
  logger.info({ agent: handle, offboarding: record.id, moved: count }, 'offboarding done');
  return { summary, outbound };
}

interface RunNotes {
  left: string[];
  skipped: string[];
  refused: string[];
  late: number[];
  drained: number;
  timers: number;
}

/** The supervisor's summary, counted from history so that a resumed run reports the whole offboarding. */
async function summarize(deps: CoreDeps, record: Offboarding, notes: RunNotes): Promise<string> {
  const events = (await eventsOf(deps, record.id)).filter((e) => e.from === record.agent);
  const last = new Map<number, StoredHistoryEvent>();
  for (const e of events) last.set(e.conversation, e);
  const receivers = new Map<string, number>();
  let unassigned = 0;
  for (const e of last.values()) {
    if (e.to === null) unassigned++;
    else receivers.set(e.to, (receivers.get(e.to) ?? 0) + 1);
  }
  const planned = new Set(record.plan.map((m) => m.conversation));
  const total = record.plan.length + [...last.keys()].filter((n) => !planned.has(n)).length;
  const reassigned = [...receivers.values()].reduce((a, b) => a + b, 0);
  const per = [...receivers].sort((a, b) => b[1] - a[1]).map(([h, n]) => `@${h} ${n}`);
  const lines = [modeDone(record.mode, record.agent, record.until)];
  lines.push(`${reassigned}/${total} reassigned, ${unassigned} left unassigned${per.length ? ` (${joinFit(per, 1200)})` : ''}.`);
  lines.push(notes.left.length ? `Left inboxes: ${joinFit(notes.left, 600)}.` : 'Was in no inbox.');
  if (notes.timers) lines.push(`${notes.timers} response timer(s) re-created for the new assignees.`);
  if (notes.skipped.length) lines.push(`Changed since the preview, left as they are: ${joinFit(notes.skipped, 800)}.`);
  if (notes.refused.length) lines.push(`Queued because the receiver could not take them (no longer active, online or below capacity): ${joinFit(notes.refused, 600)}.`);
  if (notes.late.length) lines.push(`Reached @${record.agent} after the preview and were queued: ${numberList(notes.late, 400)}.`);
  if (notes.drained) lines.push(`${notes.drained} queued conversation(s) went to available agents right away.`);
  if (record.mode === 'remove') lines.push('Platform identities are unlinked; history stays.');
  const text = lines.join('\n');
  return text.length > budgetFor([]) ? `${cutText(text, budgetFor([]) - 2)}…` : text;
}
