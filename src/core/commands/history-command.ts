import { isSupervisor } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import { err, ok, type Result } from '../errors.js';
import { cutText, MAX_ANSWER_LENGTH } from '../delivery/notices.js';
import { messageLine, RECENT_MESSAGES } from '../delivery/transcript.js';
import { answered, resolveConversation, type CommandContext, type CommandOutcome } from './context.js';
import { defineCommand, type CommandDefinition } from './catalogue.js';
import type { Command } from './parse.js';

/** Who may read a conversation: its assignee, a supervisor, or a member of its inbox. */
async function mayRead(ctx: CommandContext, conv: Conversation): Promise<boolean> {
  if (isSupervisor(ctx.caller) || conv.assignee === ctx.caller.handle) return true;
  return (await ctx.deps.store.listMemberships(ctx.caller.handle)).some((m) => m.inbox === conv.inbox);
}

/**
 * Lines cut to fit `budget` characters together: short lines stay whole, the room left is shared
 * evenly among the long ones, each cut line ending with how much of it is left out.
 */
export function fitLines(lines: readonly string[], budget: number): string[] {
  const total = lines.reduce((n, l) => n + l.length + 1, 0);
  if (total <= budget) return [...lines];
  const order = lines.map((l, i) => ({ i, length: l.length + 1 })).sort((a, b) => a.length - b.length);
  const allowed = new Array<number>(lines.length);
  let room = budget;
  for (const [k, { i, length }] of order.entries()) {
    const share = Math.floor(room / (order.length - k));
    allowed[i] = Math.min(length, share);
    room -= allowed[i]!;
  }
  return lines.map((line, i) => {
    if (line.length + 1 <= allowed[i]!) return line;
    const cut = line.length - (allowed[i]! - 30);
    return `${cutText(line, Math.max(0, allowed[i]! - 30))}… (${cut} more characters)`;
  });
}

/** `/history [#N]`: the conversation's latest messages of both sides, who wrote each and when, in one answer. */
export async function runHistory(ctx: CommandContext, cmd: Extract<Command, { name: 'history' }>): Promise<Result<CommandOutcome>> {
  const { store, clock } = ctx.deps;
  const found = await resolveConversation(ctx, 'history', cmd.conversation);
  if (!found.ok) return found;
  const conv = found.value;
  if (!(await mayRead(ctx, conv))) {
    return err('forbidden', `Conversation #${conv.number} is in inbox ${conv.inbox}; only its assignee, a supervisor or a member of ${conv.inbox} can read it. /mine lists yours.`);
  }
  const [messages, total] = await Promise.all([store.listMessages(conv.number, RECENT_MESSAGES), store.countMessages(conv.number)]);
  const holder = conv.assignee ? `assigned to @${conv.assignee}` : conv.status;
  const shown = total > messages.length ? `the latest ${messages.length} of ${total} messages (all of them through the admin API)` : `${total} message(s)`;
  const head = `#${conv.number} in ${conv.inbox} from ${conv.customer.name}, ${holder}: ${shown}, times UTC.`;
  if (messages.length === 0) return ok(answered(`${head}\nNo messages yet.`));
  const now = clock.now();
  const lines = fitLines(
    messages.map((m) => messageLine(conv, m, now)),
    MAX_ANSWER_LENGTH - head.length - 1,
  );
  return ok(answered([head, ...lines].join('\n')));
}

export const historyCommands: CommandDefinition[] = [
  defineCommand({ name: 'history', args: '[#N]', summary: "a conversation's latest 20 messages, who wrote each and when", audience: 'everyone', listed: true, run: runHistory }),
];
