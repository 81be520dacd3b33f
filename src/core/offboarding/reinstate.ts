import type { CoreDeps } from '../deps.js';
import type { Conversation } from '../model/conversation.js';
import type { AgentStatus } from '../model/agent.js';
import type { Offboarding } from '../model/offboarding.js';
import type { OutboundMessage } from '../ports/outbound.js';
import type { StoredHistoryEvent } from '../ports/store.js';
import { drainForAgent } from '../conversations/assign.js';
import { agentAddress } from '../delivery/notices.js';
import { packBlocks } from '../delivery/split-text.js';
import { textLimit } from '../delivery/transcript.js';
import { handOverBlocks } from './digest.js';
import { eventsOf } from './execute.js';
import { moveConversation } from './move.js';
import { joinFit, numberList } from './texts.js';

export interface ReinstateResult {
  summary: string;
  outbound: OutboundMessage[];
}

/** The agent's latest finished offboarding: the one a reinstatement undoes. */
export async function latestDone(deps: CoreDeps, handle: string): Promise<Offboarding | null> {
  const done = await deps.store.listOffboardings({ state: 'done', agent: handle });
  return done.at(-1) ?? null;
}

/** Conversations a suspension moved to another agent: the last `suspend` event of each. */
function movedAway(events: readonly StoredHistoryEvent[], handle: string): StoredHistoryEvent[] {
  const last = new Map<number, StoredHistoryEvent>();
  for (const e of events) if (e.reason === 'suspend' && e.from === handle) last.set(e.conversation, e);
  return [...last.values()].filter((e) => e.to !== null);
}

/**
 * Make the agent active again and undo the offboarding `record` (if any): for a suspension, take
 * back every conversation it moved that is still open and still held by whoever got it — one
 * conditional update each — then rejoin the inboxes they left (at the end of the rotation).
 * `record` done → reinstated is the single gate: a second call (the job and a manual /reinstate
 * at once) returns null and changes nothing.
 */
export async function reinstateAgent(
  deps: CoreDeps,
  handle: string,
  record: Offboarding | null,
  actor: string | null,
  opts: { resumed?: boolean } = {},
): Promise<ReinstateResult | null> {
  const { store, clock, logger } = deps;
  const now = clock.now();
  // done → reinstating is the gate; a crash after it is resumed at start-up (moves are conditional).
  if (record && !opts.resumed && !(await store.transitionOffboarding(record.id, 'done', 'reinstating', { reinstatedAt: now }))) return null;
  // only from suspended or disabled: an agent removed meanwhile stays removed (after a crash the
  // status may already be back to active)
  const from: AgentStatus[] = opts.resumed ? ['suspended', 'disabled', 'active'] : ['suspended', 'disabled'];
  const agent = await store.updateAgent(handle, { status: 'active' }, { status: from });
  if (!agent) {
    if (record && !opts.resumed) await store.transitionOffboarding(record.id, 'reinstating', 'done');
    logger.info({ agent: handle, offboarding: record?.id }, 'reinstatement not applied: the agent is no longer suspended or disabled');
    return null;
  }

  const back: number[] = [];
  const stayed: string[] = [];
  const fromWhom = new Map<string, number[]>();
  const returned: Conversation[] = [];
  let planned = 0;
  if (record && record.mode === 'suspend') {
    // within capacity: a suspended agent holds nothing, but one whose reinstatement is resumed after
    // a crash may have been given conversations meanwhile; what does not fit stays where it is
    const ctx = { reason: 'reinstate' as const, actor, offboarding: record.id, explicit: true, withinCapacity: true, keepIfRefused: true };
    for (const e of movedAway(await eventsOf(deps, record.id), handle)) {
      planned++;
      const r = await moveConversation(deps, e.conversation, e.to!, handle, ctx);
      if (r.kind === 'moved') {
        back.push(e.conversation);
        returned.push(r.conversation);
        const list = fromWhom.get(e.to!);
        if (list) list.push(e.conversation);
        else fromWhom.set(e.to!, [e.conversation]);
      } else {
        stayed.push(`#${e.conversation} ${r.kind === 'skipped' ? r.why : 'queued'}`);
      }
    }
  }
  // back in the rotation only now: routing could otherwise fill the agent up before what was theirs
  // comes back, and what was theirs would then stay with others
  const rejoined: string[] = [];
  const gone: string[] = [];
  for (const inbox of record?.inboxes ?? []) {
    if (!(await store.getInbox(inbox))) gone.push(inbox);
    else {
      await store.addMember(inbox, handle, now);
      rejoined.push(inbox);
    }
  }
  logger.info({ agent: handle, offboarding: record?.id, back: back.length, stayed: stayed.length }, 'agent reinstated');

  const outbound: OutboundMessage[] = [];
  const who = actor ? `by @${actor}` : 'at the end of your suspension';
  const address = agentAddress(agent);
  if (address) {
    const lines = [`You are active again (reinstated ${who}).`];
    if (rejoined.length) lines.push(`You are back in ${joinFit(rejoined, 600)}.`);
    if (back.length) lines.push(`${back.length} conversation(s) came back to you: ${numberList(back, 2500)}. /mine lists them.`);
    // and what was written in each meanwhile, as any hand-over shows it
    const blocks = [lines.join('\n'), ...(await handOverBlocks(deps, returned))];
    for (const text of packBlocks(blocks, textLimit(deps, address.platform), '(continued: conversations back with you)')) outbound.push({ to: address, text, handle });
  }
  for (const [from, numbers] of fromWhom) {
    const holder = await store.getAgent(from);
    const to = holder ? agentAddress(holder) : null;
    if (to) outbound.push({ to, text: `${numbers.length} conversation(s) went back to @${handle}, who is back: ${numberList(numbers, 3000)}.`, handle: from });
  }
  outbound.push(...(await drainForAgent(deps, handle)).outbound);
  // whoever gave conversations back has room again: their queues drain too
  for (const from of fromWhom.keys()) outbound.push(...(await drainForAgent(deps, from)).outbound);
  if (record) await store.transitionOffboarding(record.id, 'reinstating', 'reinstated', { reinstatedAt: now });

  const lines = [`@${handle} is active again${rejoined.length ? ` and back in ${joinFit(rejoined, 600)}` : ''}.`];
  if (!record) lines.push('No offboarding on record, so there were no inboxes to rejoin and no conversations to take back.');
  else if (record.mode !== 'suspend') lines.push(`Conversations stay where they went (the agent was ${record.mode === 'disable' ? 'disabled' : 'removed'}, not suspended).`);
  else {
    lines.push(`${back.length}/${planned} conversation(s) came back${back.length ? `: ${numberList(back, 1200)}` : ''}.`);
    if (stayed.length) lines.push(`Stayed where they are: ${joinFit(stayed, 1200)}.`);
  }
  if (gone.length) lines.push(`Inboxes that no longer exist: ${joinFit(gone, 300)}.`);
  return { summary: lines.join('\n'), outbound };
}
