import type { CoreDeps } from '../deps.js';
import { isSupervisor, type Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { InboundEvent } from '../ports/inbound.js';
import type { OutboundMessage } from '../ports/outbound.js';
import type { Answer } from '../ports/inbound.js';
import { err, ok, type Result } from '../errors.js';
import { conversationFromContext } from '../conversations/from-context.js';
import { describeRef, type AgentRef } from './tokens.js';
import type { CommandName } from './parse.js';
import type { CommandCatalogue } from './catalogue.js';

/** What a command handler gets: who called, from where, and the core's dependencies. */
export interface CommandContext {
  deps: CoreDeps;
  caller: Agent;
  event: InboundEvent;
  /** The commands and buttons the features registered (usage lines, /help, dispatch). */
  catalogue: CommandCatalogue;
}

export interface CommandOutcome {
  answer: Answer;
  outbound: OutboundMessage[];
}

export const answered = (text: string, outbound: OutboundMessage[] = []): CommandOutcome => ({ answer: { text }, outbound });

/**
 * The conversation a command is about: `#N`, else the context (replied-to message / thread),
 * else the caller's only open conversation, else an error asking for `#N`.
 */
export async function resolveConversation(ctx: CommandContext, command: CommandName, number: number | undefined): Promise<Result<Conversation>> {
  const { store } = ctx.deps;
  if (number !== undefined) {
    const conv = await store.getConversation(number);
    return conv ? ok(conv) : err('conversation_not_found', `There is no conversation #${number}. /mine lists yours, /queue what waits.`);
  }
  const fromContext = await conversationFromContext(ctx.deps, ctx.event);
  if (fromContext) return ok(fromContext);
  const mine = await store.listAssigned(ctx.caller.handle);
  if (mine.length === 1) return ok(mine[0]!);
  const why = mine.length === 0 ? 'You have no open conversation' : `You have ${mine.length} open conversations`;
  return err('invalid_argument', `${why}; say which one: ${ctx.catalogue.usage(command).replace('[#N]', '#N')}`);
}

/** Where to look agents up: /agents for supervisors, who alone may use it; a supervisor for the others. */
export function agentsHint(caller: Agent): string {
  return isSupervisor(caller) ? '/agents lists them.' : 'Check the handle, or ask a supervisor for it.';
}

/** `@x`: a handle first, then a Telegram username; Slack mentions by user id. */
export async function resolveAgent(ctx: CommandContext, ref: AgentRef): Promise<Result<Agent>> {
  const { store } = ctx.deps;
  const agent =
    ref.kind === 'slack'
      ? await store.findAgentByIdentity('slack', ref.id)
      : ((await store.getAgent(ref.value)) ?? (await store.findAgentByTelegramUsername(ref.value)));
  if (!agent) return err('agent_not_found', `No agent ${describeRef(ref)}. ${agentsHint(ctx.caller)}`);
  return ok(agent);
}
