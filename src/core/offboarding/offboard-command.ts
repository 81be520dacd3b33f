import type { CoreDeps } from '../deps.js';
import { isSupervisor } from '../model/agent.js';
import type { OutboundMessage } from '../ports/outbound.js';
import type { ReinstateAgentJob } from '../ports/scheduler.js';
import { err, ok, type Result } from '../errors.js';
import type { AgentRef } from '../commands/tokens.js';
import { answered, resolveAgent, type CommandContext, type CommandOutcome } from '../commands/context.js';
import { defineCommand, type ButtonDefinition, type CommandDefinition } from '../commands/catalogue.js';
import { agentAddress } from '../delivery/notices.js';
import { deliverAll } from '../delivery/deliver.js';
import { executeOffboarding } from './execute.js';
import { isOffboardParseError, OFFBOARD_ARGS, parseOffboard } from './parse-offboard.js';
import { previewOffboarding } from './preview.js';
import { latestDone, reinstateAgent } from './reinstate.js';
import { checkOffboard, requireSupervisor } from './rules.js';
import { formatTime } from './texts.js';
import { WORKING_NOTICE_AFTER_MS, watchSlow, workingLine } from './progress.js';

/** `/offboard @agent …` (preview), `/offboard confirm CODE`, `/offboard cancel CODE`. */
export async function runOffboard(ctx: CommandContext, args: string): Promise<Result<CommandOutcome>> {
  const allowed = requireSupervisor(ctx.caller, '/offboard');
  if (!allowed.ok) return allowed;
  const parsed = parseOffboard(args, ctx.deps.clock.now());
  if (isOffboardParseError(parsed)) return err('invalid_argument', parsed.error);
  switch (parsed.action) {
    case 'confirm':
      return confirmOffboarding(ctx, parsed.code);
    case 'cancel':
      return cancelOffboarding(ctx, parsed.code);
    case 'preview':
      return previewOffboarding(ctx, parsed, args);
  }
}

/**
 * How a confirming supervisor hears that a long offboarding is under way (once, after
 * WORKING_NOTICE_AFTER_MS). By default a message to them on the platform they typed on.
 */
export type WorkingNotice = (text: string) => unknown;

/** Confirm or cancel button of an offboarding preview. */
export async function runOffboardButton(
  ctx: CommandContext,
  action: 'confirm' | 'cancel',
  code: string,
  onWorking?: WorkingNotice,
): Promise<Result<CommandOutcome>> {
  const allowed = requireSupervisor(ctx.caller, '/offboard');
  if (!allowed.ok) return allowed;
  const clean = code.trim().toUpperCase();
  return action === 'confirm' ? confirmOffboarding(ctx, clean, onWorking) : cancelOffboarding(ctx, clean);
}

/** The supervisor's own chat with the bot on the platform they typed on (a Slack user id opens a DM). */
function tellCaller(ctx: CommandContext): WorkingNotice {
  const to: OutboundMessage['to'] = { platform: ctx.event.platform, chatId: ctx.event.sender.id };
  return (text) => deliverAll(ctx.deps, [{ to, text, handle: ctx.caller.handle }]);
}

const STATE_LINE = {
  running: 'is being carried out already',
  done: 'was carried out already',
  reinstated: 'was carried out already (and undone since)',
  reinstating: 'was carried out already (and is being undone)',
  cancelled: 'was cancelled',
  expired: 'expired',
} as const;

/**
 * Carry out a previewed offboarding. Within 10 minutes, by the supervisor who asked for the preview;
 * pending → running is the single gate, so a second confirm (or a double click) does nothing.
 */
async function confirmOffboarding(ctx: CommandContext, code: string, onWorking: WorkingNotice = tellCaller(ctx)): Promise<Result<CommandOutcome>> {
  const { store, clock } = ctx.deps;
  const record = await store.findOffboardingByCode(code);
  if (!record) return err('code_invalid', `No offboarding has the code ${code}; /offboard @agent makes a new preview.`);
  if (record.supervisor !== ctx.caller.handle) return err('forbidden', `Only @${record.supervisor}, who asked for this preview, can confirm it.`);
  if (record.state !== 'pending') return err('nothing_to_do', `Offboarding ${code} of @${record.agent} ${STATE_LINE[record.state]}; nothing more to do.`);
  const now = clock.now();
  if (now.getTime() > record.expiresAt.getTime()) {
    await store.transitionOffboarding(record.id, 'pending', 'expired');
    return err('code_invalid', `Code ${code} expired at ${formatTime(record.expiresAt)}; type /offboard @${record.agent} again for a fresh preview.`);
  }
  const agent = await store.getAgent(record.agent);
  if (!agent) return err('agent_not_found', `@${record.agent} no longer exists.`);
  const still = await checkOffboard(store, ctx.caller, agent, record.mode);
  if (!still.ok) {
    await store.transitionOffboarding(record.id, 'pending', 'cancelled');
    return err(still.error.code, `${still.error.message} (preview ${code} cancelled)`);
  }
  const running = await store.transitionOffboarding(record.id, 'pending', 'running', { confirmedAt: now });
  if (!running) return err('nothing_to_do', `Offboarding ${code} of @${record.agent} was confirmed already; nothing more to do.`);
  const slow = watchSlow(clock, WORKING_NOTICE_AFTER_MS, () => onWorking(workingLine(running)));
  try {
    const result = await executeOffboarding(ctx.deps, running);
    return ok(answered(result.summary, result.outbound));
  } finally {
    await slow.stop();
  }
}

async function cancelOffboarding(ctx: CommandContext, code: string): Promise<Result<CommandOutcome>> {
  const { store } = ctx.deps;
  const record = await store.findOffboardingByCode(code);
  if (!record) return err('code_invalid', `No offboarding has the code ${code}.`);
  if (record.supervisor !== ctx.caller.handle && ctx.caller.role !== 'admin') {
    return err('forbidden', `Only @${record.supervisor}, who asked for this preview, or an admin can cancel it.`);
  }
  if (record.state !== 'pending' || !(await store.transitionOffboarding(record.id, 'pending', 'cancelled'))) {
    const state = (await store.getOffboarding(record.id))?.state ?? record.state;
    return err('nothing_to_do', `Offboarding ${code} of @${record.agent} ${state === 'pending' ? 'is pending' : STATE_LINE[state]}; nothing to cancel.`);
  }
  return ok(answered(`Cancelled offboarding ${code} of @${record.agent}; nothing changed.`));
}

/** `/reinstate @agent`: access back, inboxes rejoined, a suspension's conversations taken back. */
export async function runReinstate(ctx: CommandContext, target: AgentRef): Promise<Result<CommandOutcome>> {
  const allowed = requireSupervisor(ctx.caller, '/reinstate');
  if (!allowed.ok) return allowed;
  const { store, scheduler } = ctx.deps;
  const found = await resolveAgent(ctx, target);
  if (!found.ok) return found;
  const agent = found.value;
  if (agent.status === 'active') return err('nothing_to_do', `@${agent.handle} is active already; nothing to reinstate.`);
  if (agent.status === 'removed') return err('forbidden', `@${agent.handle} was removed, which cannot be undone; create a new agent instead.`);
  if ((await store.listOffboardings({ state: 'running', agent: agent.handle })).length > 0) {
    return err('conflict', `The offboarding of @${agent.handle} is still being carried out; try again in a moment.`);
  }
  const result = await reinstateAgent(ctx.deps, agent.handle, await latestDone(ctx.deps, agent.handle), ctx.caller.handle);
  if (!result) return err('nothing_to_do', `@${agent.handle} was reinstated meanwhile; nothing more to do.`);
  await scheduler.cancel('reinstate-agent', { handle: agent.handle });
  return ok(answered(result.summary, result.outbound));
}

/** The scheduled end of a suspension. Stale jobs (reinstated by hand, offboarded further) do nothing. */
export async function reinstateFromJob(deps: CoreDeps, job: ReinstateAgentJob): Promise<OutboundMessage[]> {
  const { store, logger } = deps;
  const record = await store.getOffboarding(job.offboarding);
  const agent = await store.getAgent(job.handle);
  if (!record || record.agent !== job.handle || record.mode !== 'suspend' || record.state !== 'done' || agent?.status !== 'suspended') {
    logger.debug({ agent: job.handle, offboarding: job.offboarding }, 'reinstatement job is stale; nothing to do');
    return [];
  }
  const result = await reinstateAgent(deps, job.handle, record, null);
  if (!result) return [];
  const supervisor = await store.getAgent(record.supervisor);
  const to = supervisor && isSupervisor(supervisor) && supervisor.status === 'active' ? agentAddress(supervisor) : null;
  const tell: OutboundMessage[] = to ? [{ to, text: `Suspension over. ${result.summary}`, handle: supervisor!.handle }] : [];
  return [...result.outbound, ...tell];
}

/** Carry on offboardings that were confirmed but did not finish (start-up after a crash). */
export async function resumeUnfinished(deps: CoreDeps): Promise<number> {
  const running = await deps.store.listOffboardings({ state: 'running' });
  let resumed = 0;
  for (const record of running) {
    try {
      const result = await executeOffboarding(deps, record, { resumed: true });
      const supervisor = await deps.store.getAgent(record.supervisor);
      const to = supervisor ? agentAddress(supervisor) : null;
      const tell: OutboundMessage[] = to ? [{ to, text: `Offboarding ${record.code} was interrupted and has now finished.\n${result.summary}`, handle: record.supervisor }] : [];
      await deliverAll(deps, [...result.outbound, ...tell]);
      resumed++;
    } catch (e) {
      deps.logger.error({ agent: record.agent, offboarding: record.id, error: (e as Error).message }, 'resuming offboarding failed');
    }
  }
  for (const record of await deps.store.listOffboardings({ state: 'reinstating' })) {
    try {
      const result = await reinstateAgent(deps, record.agent, record, null, { resumed: true });
      if (result) await deliverAll(deps, result.outbound);
      resumed++;
    } catch (e) {
      deps.logger.error({ agent: record.agent, offboarding: record.id, error: (e as Error).message }, 'resuming reinstatement failed');
    }
  }
  return resumed;
}

export const offboardingCommands: CommandDefinition[] = [
  defineCommand({
    name: 'offboard',
    args: OFFBOARD_ARGS,
    summary: 'take an agent out of rotation and hand over their conversations',
    audience: 'supervisors',
    listed: true,
    run: (ctx, cmd) => runOffboard(ctx, cmd.args),
  }),
  defineCommand({
    name: 'reinstate',
    args: '@agent',
    summary: 'bring back a suspended or disabled agent',
    audience: 'supervisors',
    listed: true,
    run: (ctx, cmd) => runReinstate(ctx, cmd.target),
  }),
];

export const offboardingButtons: ButtonDefinition[] = [
  { action: 'offboard-confirm', run: (ctx, value) => runOffboardButton(ctx, 'confirm', value) },
  { action: 'offboard-cancel', run: (ctx, value) => runOffboardButton(ctx, 'cancel', value) },
];
