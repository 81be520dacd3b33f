import { isSupervisor } from '../model/agent.js';
import type { Inbox } from '../model/inbox.js';
import { err, ok, type Result } from '../errors.js';
import { drainInbox } from '../conversations/assign.js';
import { answered, type CommandContext, type CommandOutcome } from './context.js';
import { defineCommand, type CommandDefinition } from './catalogue.js';

async function pickInbox(ctx: CommandContext, name: string | undefined, verb: string): Promise<Result<Inbox>> {
  const { store } = ctx.deps;
  if (name !== undefined) {
    const inbox = await store.getInbox(name);
    return inbox ? ok(inbox) : err('inbox_not_found', `No inbox "${name}". Type /${verb} <inbox>; /queue shows yours.`);
  }
  const all = (await store.listInboxes({ limit: 1000 })).items;
  if (all.length === 1) return ok(all[0]!);
  if (all.length === 0) return err('inbox_not_found', 'There are no inboxes yet; create one through the admin API.');
  return err('invalid_argument', `Say which inbox: /${verb} <inbox> (one of: ${all.map((i) => i.name).join(', ')}).`);
}

/** `/pause` stops automatic assignment in an inbox; `/resume` restarts it and drains its queue. */
export async function runPauseResume(ctx: CommandContext, verb: 'pause' | 'resume', name: string | undefined): Promise<Result<CommandOutcome>> {
  if (!isSupervisor(ctx.caller)) return err('forbidden', `/${verb} is for supervisors.`);
  const picked = await pickInbox(ctx, name, verb);
  if (!picked.ok) return picked;
  const inbox = picked.value;
  const paused = verb === 'pause';
  if (inbox.paused === paused) return ok(answered(`Inbox ${inbox.name} is already ${paused ? 'paused' : 'running'}.`));
  await ctx.deps.store.updateInbox(inbox.name, { paused });
  ctx.deps.logger.info({ inbox: inbox.name, agent: ctx.caller.handle, paused }, paused ? 'inbox paused' : 'inbox resumed');
  if (paused) return ok(answered(`Paused ${inbox.name}: new conversations wait in the queue until /resume ${inbox.name}.`));
  const drained = await drainInbox(ctx.deps, inbox.name);
  return ok(answered(`Resumed ${inbox.name}: ${drained.assigned} queued conversation(s) assigned.`, drained.outbound));
}

export const inboxCommands: CommandDefinition[] = [
  defineCommand({ name: 'pause', args: '[inbox]', summary: 'stop automatic assignment in an inbox', audience: 'supervisors', listed: true, run: (ctx, cmd) => runPauseResume(ctx, 'pause', cmd.inbox) }),
  defineCommand({ name: 'resume', args: '[inbox]', summary: 'restart automatic assignment', audience: 'supervisors', listed: true, run: (ctx, cmd) => runPauseResume(ctx, 'resume', cmd.inbox) }),
];
