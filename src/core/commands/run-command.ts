import { hasAccess } from '../model/agent.js';
import { err, type Result } from '../errors.js';
import { capabilitiesOf } from '../deps.js';
import { commandText } from '../ports/capabilities.js';
import { isParseError, type Command } from './parse.js';
import type { CommandContext, CommandOutcome } from './context.js';
import type { CommandDefinition } from './catalogue.js';

const revoked = (ctx: CommandContext): Result<never> => err('access_revoked', `Your access is revoked (${ctx.caller.status}); ask a supervisor.`);

/** Run a command typed by an agent. Revoked agents (suspended, disabled, removed) are refused. */
export async function runAgentCommand(ctx: CommandContext, name: string, text: string): Promise<Result<CommandOutcome>> {
  if (!hasAccess(ctx.caller)) return revoked(ctx);
  const parsed = ctx.catalogue.parse(name, text);
  if (isParseError(parsed)) {
    if (!ctx.catalogue.find(name)) {
      const help = commandText(capabilitiesOf(ctx.deps, ctx.event.platform), 'help');
      return err('unknown_command', parsed.error.replace('Type /help', `Type ${help}`));
    }
    return err('invalid_argument', parsed.error);
  }
  const def = ctx.catalogue.find(parsed.name) as CommandDefinition<Command['name']>;
  return def.run(ctx, parsed as never);
}

/** A button press from an agent: each feature registers the buttons it puts on its messages. */
export async function runAgentButton(ctx: CommandContext, action: string, value: string): Promise<Result<CommandOutcome>> {
  if (!hasAccess(ctx.caller)) return revoked(ctx);
  const def = ctx.catalogue.button(action);
  if (!def) return err('invalid_argument', `Unknown button; type ${commandText(capabilitiesOf(ctx.deps, ctx.event.platform), 'help')} for the commands.`);
  return def.run(ctx, value);
}
