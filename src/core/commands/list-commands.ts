import type { Conversation } from '../model/conversation.js';
import { isSupervisor } from '../model/agent.js';
import { err, ok, type Result } from '../errors.js';
import { fitAnswer, oneLine, quote } from '../delivery/notices.js';
import { answered, type CommandContext, type CommandOutcome } from './context.js';
import { defineCommand, type CommandDefinition } from './catalogue.js';

function age(ctx: CommandContext, since: Date): string {
  const mins = Math.max(0, Math.round((ctx.deps.clock.now().getTime() - since.getTime()) / 60_000));
  if (mins < 60) return `${mins}m`;
  const hours = Math.round(mins / 60);
  return hours < 48 ? `${hours}h` : `${Math.round(hours / 24)}d`;
}

function line(ctx: CommandContext, c: Conversation, withStatus: boolean): string {
  const status = withStatus ? ` [${c.status}]` : '';
  const waiting = c.waitingSince ? `, waiting ${age(ctx, c.waitingSince)}` : '';
  const last = c.lastMessageText ? `: ${quote(oneLine(c.lastMessageText), 80)}` : '';
  return `#${c.number} ${c.inbox} · ${c.customer.name}${status}${waiting}${last}`;
}

export async function runMine(ctx: CommandContext): Promise<Result<CommandOutcome>> {
  const mine = await ctx.deps.store.listAssigned(ctx.caller.handle);
  if (mine.length === 0) return ok(answered(`You have no open conversations (${ctx.caller.availability}).`));
  const header = `Your open conversations (${mine.length}/${ctx.caller.capacity}):`;
  return ok(answered(fitAnswer([header, ...mine.map((c) => line(ctx, c, false))].join('\n'))));
}

export async function runQueue(ctx: CommandContext, inboxName: string | undefined): Promise<Result<CommandOutcome>> {
  const { store } = ctx.deps;
  const memberOf = (await store.listMemberships(ctx.caller.handle)).map((m) => m.inbox);
  let inboxes: string[];
  if (inboxName !== undefined) {
    const inbox = await store.getInbox(inboxName);
    if (!inbox) return err('inbox_not_found', `No inbox "${inboxName}". Type /queue without a name for your inboxes.`);
    if (!isSupervisor(ctx.caller) && !memberOf.includes(inbox.name)) {
      return err('forbidden', `You are not a member of inbox ${inbox.name}; /queue shows your own inboxes.`);
    }
    inboxes = [inbox.name];
  } else {
    inboxes = memberOf;
    if (inboxes.length === 0 && isSupervisor(ctx.caller)) inboxes = (await store.listInboxes({ limit: 1000 })).items.map((i) => i.name);
    if (inboxes.length === 0) return err('forbidden', 'You are not a member of any inbox; ask a supervisor to add you.');
  }
  const lines: string[] = [];
  for (const name of inboxes) {
    const waiting = await store.listWaiting(name, ['queued', 'unassigned'], 100);
    for (const c of waiting) lines.push(line(ctx, c, true));
  }
  if (lines.length === 0) return ok(answered(`Nothing waits in ${inboxes.join(', ')}.`));
  return ok(answered(fitAnswer([`Waiting in ${inboxes.join(', ')} (${lines.length}), oldest first; /claim #N takes one:`, ...lines].join('\n'))));
}

export async function runAgents(ctx: CommandContext): Promise<Result<CommandOutcome>> {
  if (!isSupervisor(ctx.caller)) return err('forbidden', '/agents is for supervisors; /mine shows your own conversations.');
  const lines: string[] = [];
  let after: string | undefined;
  do {
    const page = await ctx.deps.store.listAgents({ limit: 500, after });
    for (const a of page.items) {
      if (a.status === 'removed') continue;
      lines.push(`@${a.handle} ${a.name} · ${a.role} · ${a.status} · ${a.availability} · ${a.openCount}/${a.capacity}`);
    }
    after = page.next ?? undefined;
  } while (after);
  if (lines.length === 0) return ok(answered('No agents yet.'));
  return ok(answered(fitAnswer([`Agents (${lines.length}):`, ...lines].join('\n'))));
}

export const listCommands: CommandDefinition[] = [
  defineCommand({ name: 'mine', args: '', summary: 'your open conversations', audience: 'everyone', listed: true, run: (ctx) => runMine(ctx) }),
  defineCommand({ name: 'queue', args: '[inbox]', summary: 'conversations waiting for an agent', audience: 'everyone', listed: true, run: (ctx, cmd) => runQueue(ctx, cmd.inbox) }),
];

export const supervisorListCommands: CommandDefinition[] = [
  defineCommand({ name: 'agents', args: '', summary: 'agents with status and load', audience: 'supervisors', listed: true, run: (ctx) => runAgents(ctx) }),
];
