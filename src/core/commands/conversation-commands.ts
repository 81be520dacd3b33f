import type { Command } from './parse.js';
import { answered, resolveAgent, resolveConversation, type CommandContext, type CommandOutcome } from './context.js';
import { err, ok, type Result } from '../errors.js';
import { claim, close, transfer, unassign, type ActionOutcome } from '../conversations/actions.js';
import { isSupervisor } from '../model/agent.js';
import { conversationFromContext } from '../conversations/from-context.js';
import { defineCommand, type CommandDefinition } from './catalogue.js';

const toOutcome = (r: Result<ActionOutcome>): Result<CommandOutcome> => (r.ok ? ok(answered(r.value.answer, r.value.outbound)) : r);

export async function runTransfer(ctx: CommandContext, cmd: Extract<Command, { name: 'transfer' }>): Promise<Result<CommandOutcome>> {
  const target = await resolveAgent(ctx, cmd.target);
  if (!target.ok) return target;
  const conv = await resolveConversation(ctx, 'transfer', cmd.conversation);
  if (!conv.ok) return conv;
  return toOutcome(await transfer(ctx.deps, ctx.caller, conv.value, target.value, cmd.note));
}

export async function runUnassign(ctx: CommandContext, cmd: Extract<Command, { name: 'unassign' }>): Promise<Result<CommandOutcome>> {
  const conv = await resolveConversation(ctx, 'unassign', cmd.conversation);
  if (!conv.ok) return conv;
  return toOutcome(await unassign(ctx.deps, ctx.caller, conv.value, cmd.reassign));
}

export async function runClose(ctx: CommandContext, cmd: Extract<Command, { name: 'close' }>): Promise<Result<CommandOutcome>> {
  const conv = await resolveConversation(ctx, 'close', cmd.conversation);
  if (!conv.ok) return conv;
  return toOutcome(await close(ctx.deps, ctx.caller, conv.value));
}

/** `/claim #N`, or the oldest waiting conversation in the caller's inboxes. */
export async function runClaim(ctx: CommandContext, cmd: Extract<Command, { name: 'claim' }>): Promise<Result<CommandOutcome>> {
  const { store } = ctx.deps;
  if (cmd.conversation !== undefined) {
    const conv = await store.getConversation(cmd.conversation);
    if (!conv) return err('conversation_not_found', `There is no conversation #${cmd.conversation}. /queue lists what waits.`);
    return toOutcome(await claim(ctx.deps, ctx.caller, conv));
  }
  const fromContext = await conversationFromContext(ctx.deps, ctx.event);
  if (fromContext) return toOutcome(await claim(ctx.deps, ctx.caller, fromContext));
  let inboxes = (await store.listMemberships(ctx.caller.handle)).map((m) => m.inbox);
  if (inboxes.length === 0 && isSupervisor(ctx.caller)) inboxes = (await store.listInboxes({ limit: 1000 })).items.map((i) => i.name);
  if (inboxes.length === 0) return err('forbidden', 'You are not a member of any inbox; ask a supervisor to add you.');
  // someone else may take the oldest at the same moment: then the next oldest is ours
  let result: Result<ActionOutcome> | null = null;
  for (let attempt = 0; attempt < 5 && (!result || (!result.ok && result.error.code === 'conflict')); attempt++) {
    let oldest = null;
    for (const inbox of inboxes) {
      const [first] = await store.listWaiting(inbox, ['queued', 'unassigned'], 1);
      if (first && (!oldest || first.number < oldest.number)) oldest = first;
    }
    if (!oldest) return ok(answered('Nothing waits in your inboxes right now.'));
    result = await claim(ctx.deps, ctx.caller, oldest);
  }
  return toOutcome(result!);
}

/** The commands about one conversation, in the order /help lists them. */
export const conversationCommands: CommandDefinition[] = [
  defineCommand({ name: 'claim', args: '[#N]', summary: 'take a waiting conversation (the oldest without #N)', audience: 'everyone', listed: true, run: runClaim }),
  defineCommand({ name: 'transfer', args: '[#N] @agent [note]', summary: 'hand a conversation to another agent', audience: 'everyone', listed: true, run: runTransfer }),
  defineCommand({
    name: 'unassign',
    args: '[#N] [--reassign]',
    summary: 'put a conversation back; --reassign gives it to someone else now',
    audience: 'everyone',
    listed: true,
    run: runUnassign,
  }),
  defineCommand({ name: 'close', args: '[#N]', summary: 'close a conversation', audience: 'everyone', listed: true, run: runClose }),
];
