import { hasAccess } from '../model/agent.js';
import { ok, type Result } from '../errors.js';
import { runOffboard, runOffboardButton, runReinstate } from '../offboarding/offboard-command.js';
import { isParseError, parseCommand, type Command } from './parse.js';
import { answered, type CommandContext, type CommandOutcome } from './context.js';
import { runClaim, runClose, runTransfer, runUnassign } from './conversation-commands.js';
import { runAgents, runMine, runQueue } from './list-commands.js';
import { runAvailability } from './availability-commands.js';
import { runPauseResume } from './inbox-commands.js';
import { helpCommand, helpText } from './help-command.js';
import { err } from '../errors.js';

/** Run a command typed by an agent. Revoked agents (suspended, disabled, removed) are refused. */
export async function runAgentCommand(ctx: CommandContext, name: string, text: string): Promise<Result<CommandOutcome>> {
  if (!hasAccess(ctx.caller)) {
    return err('access_revoked', `Your access is revoked (${ctx.caller.status}); ask a supervisor.`);
  }
  const parsed = parseCommand(name, text);
  if (isParseError(parsed)) return err(parsed.error.startsWith('Unknown command') ? 'unknown_command' : 'invalid_argument', parsed.error);
  return dispatch(ctx, parsed);
}

function dispatch(ctx: CommandContext, cmd: Command): Promise<Result<CommandOutcome>> {
  switch (cmd.name) {
    case 'transfer':
      return runTransfer(ctx, cmd);
    case 'unassign':
      return runUnassign(ctx, cmd);
    case 'claim':
      return runClaim(ctx, cmd);
    case 'close':
      return runClose(ctx, cmd);
    case 'mine':
      return runMine(ctx);
    case 'queue':
      return runQueue(ctx, cmd.inbox);
    case 'available':
      return runAvailability(ctx, 'online');
    case 'away':
      return runAvailability(ctx, 'away');
    case 'offline':
      return runAvailability(ctx, 'offline');
    case 'agents':
      return runAgents(ctx);
    case 'pause':
    case 'resume':
      return runPauseResume(ctx, cmd.name, cmd.inbox);
    case 'offboard':
      return runOffboard(ctx, cmd.args);
    case 'reinstate':
      return runReinstate(ctx, cmd.target);
    case 'help':
      return Promise.resolve(ok(answered(helpText(ctx.caller, ctx.event.platform))));
    case 'start':
      return Promise.resolve(ok(answered(`You are linked as @${ctx.caller.handle}. ${helpText(ctx.caller, ctx.event.platform)}`)));
  }
}

/** A button press from an agent: Claim / Unassign on notices, Confirm / Cancel on offboarding previews. */
export async function runAgentButton(ctx: CommandContext, action: string, value: string): Promise<Result<CommandOutcome>> {
  if (!hasAccess(ctx.caller)) return err('access_revoked', `Your access is revoked (${ctx.caller.status}); ask a supervisor.`);
  const number = /^\d+$/.test(value) ? Number(value) : undefined;
  switch (action) {
    case 'claim':
      return number === undefined ? err('invalid_argument', 'That button is broken; type /claim #N.') : runClaim(ctx, { name: 'claim', conversation: number });
    case 'unassign':
      return number === undefined
        ? err('invalid_argument', 'That button is broken; type /unassign #N.')
        : runUnassign(ctx, { name: 'unassign', conversation: number, reassign: false });
    case 'offboard-confirm':
      return runOffboardButton(ctx, 'confirm', value);
    case 'offboard-cancel':
      return runOffboardButton(ctx, 'cancel', value);
    default:
      return err('invalid_argument', `Unknown button; type ${helpCommand(ctx.event.platform)} for the commands.`);
  }
}
