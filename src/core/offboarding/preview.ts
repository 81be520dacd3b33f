import type { CoreDeps } from '../deps.js';
import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Offboarding, PlannedMove } from '../model/offboarding.js';
import { StoreConflict } from '../ports/store.js';
import { err, ok, type Result } from '../errors.js';
import { answered, resolveAgent, type CommandContext, type CommandOutcome } from '../commands/context.js';
import { planMoves, type InboxSnapshot, type PlanInput, type ResolvedPlan } from './plan.js';
import type { OffboardArgs, PlanSpec } from './parse-offboard.js';
import { checkOffboard } from './rules.js';
import { budgetFor, distributionLine, formatTime, joinFit, modeLine } from './texts.js';

export const CONFIRM_WINDOW_MS = 10 * 60_000;
const CODE_LENGTH = 6;

type PreviewArgs = Extract<OffboardArgs, { action: 'preview' }>;

/** Agents named in a plan → handles; they must be active and not the agent being offboarded. */
async function resolvePlan(ctx: CommandContext, spec: PlanSpec, target: Agent): Promise<Result<ResolvedPlan>> {
  const receiver = async (ref: Parameters<typeof resolveAgent>[1]): Promise<Result<string>> => {
    const a = await resolveAgent(ctx, ref);
    if (!a.ok) return a;
    if (a.value.handle === target.handle) return err('invalid_argument', `@${target.handle} is the agent being offboarded and cannot receive conversations; name someone else.`);
    if (a.value.status !== 'active') return err('agent_inactive', `@${a.value.handle} is ${a.value.status}; agents named in a plan must be active (/agents lists them).`);
    return ok(a.value.handle);
  };
  switch (spec.kind) {
    case 'strategy':
      return ok(spec);
    case 'to': {
      const h = await receiver(spec.target);
      return h.ok ? ok({ kind: 'to', handle: h.value }) : h;
    }
    case 'ratio':
    case 'hardcoded': {
      const shares: { handle: string; n: number }[] = [];
      for (const e of spec.entries) {
        const h = await receiver(e.ref);
        if (!h.ok) return h;
        if (shares.some((s) => s.handle === h.value)) return err('invalid_argument', `@${h.value} appears twice in --${spec.kind}; name each agent once.`);
        shares.push({ handle: h.value, n: e.n });
      }
      return ok({ kind: spec.kind, shares });
    }
  }
}

/** Rotation and member state of the inboxes involved, for strategy plans. */
async function snapshot(deps: CoreDeps, convs: readonly Conversation[]): Promise<Pick<PlanInput, 'inboxes' | 'agents'> & { paused: Set<string> }> {
  const inboxes = new Map<string, InboxSnapshot>();
  const handles = new Set<string>();
  const paused = new Set<string>();
  for (const name of new Set(convs.map((c) => c.inbox))) {
    const inbox = await deps.store.getInbox(name);
    if (inbox?.paused) paused.add(name);
    if (!inbox || inbox.paused) continue; // a paused inbox assigns nothing: its conversations are queued
    const members = await deps.store.listMembers(name);
    inboxes.set(name, { cursor: inbox.cursor, members });
    for (const m of members) handles.add(m.handle);
  }
  const agents = new Map((await deps.store.getAgents([...handles])).map((a) => [a.handle, a]));
  return { inboxes, agents, paused };
}

/** One line per inbox: how many open conversations, and why some would be queued. */
function inboxLines(convs: readonly Conversation[], moves: readonly PlannedMove[], plan: ResolvedPlan, paused: ReadonlySet<string>): string[] {
  const per = new Map<string, { open: number; queued: number }>();
  for (const c of convs) per.set(c.inbox, { open: (per.get(c.inbox)?.open ?? 0) + 1, queued: 0 });
  for (const m of moves) if (m.to === null) per.get(m.inbox)!.queued++;
  return [...per].map(([inbox, { open, queued }]) => {
    let why = '';
    if (queued > 0 && plan.kind === 'strategy') {
      why = paused.has(inbox) ? ` — ${queued} unassigned: the inbox is paused` : ` — ${queued} unassigned: no other member is active, online and below capacity`;
    }
    if (queued > 0 && plan.kind === 'hardcoded') why = ` — ${queued} unassigned: beyond the --hardcoded shares`;
    return `• ${inbox}: ${open} open${why}`;
  });
}

async function jobLines(deps: CoreDeps, handle: string, moves: readonly PlannedMove[]): Promise<string[]> {
  const timers = await deps.scheduler.pending('response-timeout', { assignee: handle });
  const reinstates = await deps.scheduler.pending('reinstate-agent', { handle });
  // a conversation the plan leaves unassigned waits in its queue: its timer goes, none comes back
  const unassigned = new Set(moves.filter((m) => m.to === null).map((m) => m.conversation));
  const follow = timers.filter((j) => !unassigned.has(j.data.conversation));
  const dropped = timers.filter((j) => unassigned.has(j.data.conversation));
  const numbers = (jobs: typeof timers) => joinFit(jobs.map((j) => `#${j.data.conversation}`), 300);
  const lines: string[] = [];
  if (follow.length) lines.push(`• ${follow.length} response timer(s) (${numbers(follow)}): cancelled and re-created for the new assignees`);
  if (dropped.length) lines.push(`• ${dropped.length} response timer(s) (${numbers(dropped)}): cancelled; those conversations wait unassigned`);
  for (const j of reinstates) lines.push(`• reinstatement at ${formatTime(j.runAt)}: cancelled`);
  return lines.length ? ['Scheduled jobs:', ...lines] : ['Scheduled jobs: none'];
}

async function newCode(deps: CoreDeps): Promise<string> {
  for (;;) {
    const code = deps.newCode(CODE_LENGTH).toUpperCase();
    if (!(await deps.store.findOffboardingByCode(code))) return code;
  }
}

/** Plan an offboarding, store it as `pending`, and answer with the preview and the confirmation code. */
export async function previewOffboarding(ctx: CommandContext, args: PreviewArgs, typed: string): Promise<Result<CommandOutcome>> {
  const { deps, caller } = ctx;
  const { store, clock } = deps;
  const found = await resolveAgent(ctx, args.target);
  if (!found.ok) return found;
  const agent = found.value;
  const allowed = await checkOffboard(store, caller, agent, args.mode);
  if (!allowed.ok) return allowed;
  const plan = await resolvePlan(ctx, args.plan, agent);
  if (!plan.ok) return plan;

  const convs = await store.listAssigned(agent.handle);
  const snap = plan.value.kind === 'strategy' ? await snapshot(deps, convs) : { inboxes: new Map(), agents: new Map(), paused: new Set<string>() };
  const moves = planMoves({ agent: agent.handle, conversations: convs, plan: plan.value, inboxes: snap.inboxes, agents: snap.agents });
  const inboxes = (await store.listMemberships(agent.handle)).map((m) => m.inbox);

  // a fresh preview replaces this supervisor's earlier ones for the same agent
  for (const old of await store.listOffboardings({ state: 'pending', agent: agent.handle })) {
    if (old.supervisor === caller.handle) await store.transitionOffboarding(old.id, 'pending', 'cancelled');
  }
  const now = clock.now();
  let record: Offboarding | null = null;
  for (let attempt = 0; !record && attempt < 5; attempt++) {
    const candidate: Offboarding = {
      id: deps.newCode(16),
      code: await newCode(deps),
      agent: agent.handle,
      supervisor: caller.handle,
      mode: args.mode,
      until: args.until,
      command: `/offboard ${typed}`.trim(),
      plan: moves,
      inboxes,
      state: 'pending',
      createdAt: now,
      expiresAt: new Date(now.getTime() + CONFIRM_WINDOW_MS),
    };
    try {
      await store.createOffboarding(candidate);
      record = candidate;
    } catch (e) {
      if (!(e instanceof StoreConflict)) throw e;
    }
  }
  if (!record) return err('conflict', 'Could not store the preview; try /offboard again.');
  deps.logger.info({ agent: agent.handle, offboarding: record.id, mode: record.mode, conversations: moves.length }, 'offboarding previewed');

  const head = [modeLine(args.mode, agent.handle, args.until)];
  const jobs = await jobLines(deps, agent.handle, moves);
  const tail = [
    `Inboxes to leave: ${inboxes.length ? joinFit(inboxes, 600) : 'none'}.`,
    `Type /offboard confirm ${record.code} within 10 minutes (until ${formatTime(record.expiresAt)}) to carry it out, or /offboard cancel ${record.code}.`,
  ];
  // the confirmation line must survive: the variable parts share what room is left
  const room = budgetFor([...head, ...jobs, ...tail]);
  const plannedLine = `Plan: ${distributionLine(moves, Math.min(1500, Math.floor(room / 2)))}`;
  const perInbox = convs.length
    ? [`@${agent.handle} holds ${convs.length} open conversation(s):`, ...inboxLines(convs, moves, plan.value, snap.paused)]
    : [`@${agent.handle} holds no open conversations.`];
  const inboxText = joinFit(perInbox, room - plannedLine.length - 1, '\n');
  const text = [...head, inboxText, plannedLine, ...jobs, ...tail].join('\n');
  const outcome = answered(text);
  outcome.answer.buttons = [
    { label: args.mode === 'remove' ? 'Confirm removal' : 'Confirm', action: 'offboard-confirm', value: record.code, style: 'danger' },
    { label: 'Cancel', action: 'offboard-cancel', value: record.code },
  ];
  return ok(outcome);
}
