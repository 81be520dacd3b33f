import { err, type Result } from '../errors.js';
import type { AgentRef } from '../commands/tokens.js';
import type { CommandContext, CommandOutcome } from '../commands/context.js';

// Placeholder until offboarding lands: refuses clearly, changes nothing.
export async function runOffboard(_ctx: CommandContext, _args: string): Promise<Result<CommandOutcome>> {
  return err('forbidden', '/offboard is not available yet.');
}

export async function runReinstate(_ctx: CommandContext, _target: AgentRef): Promise<Result<CommandOutcome>> {
  return err('forbidden', '/reinstate is not available yet.');
}

/** Confirm or cancel button of an offboarding preview. */
export async function runOffboardButton(_ctx: CommandContext, _action: 'confirm' | 'cancel', _code: string): Promise<Result<CommandOutcome>> {
  return err('forbidden', '/offboard is not available yet.');
}

import type { CoreDeps } from '../deps.js';
import type { ReinstateAgentJob } from '../ports/scheduler.js';
import type { OutboundMessage } from '../ports/outbound.js';

/** The scheduled end of a suspension. */
export async function reinstateFromJob(_deps: CoreDeps, _job: ReinstateAgentJob): Promise<OutboundMessage[]> {
  return [];
}

/** Carry on offboardings that were confirmed but did not finish. */
export async function resumeUnfinished(_deps: CoreDeps): Promise<number> {
  return 0;
}
