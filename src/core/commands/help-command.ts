import type { Agent } from '../model/agent.js';
import { ok } from '../errors.js';
import { capabilitiesOf } from '../deps.js';
import { commandText, type ChannelCapabilities } from '../ports/capabilities.js';
import { answered, type CommandContext } from './context.js';
import { defineCommand, usageLine, type CommandCatalogue, type CommandDefinition } from './catalogue.js';

/** The commands the agent may use, as they are typed on a platform with these capabilities. */
export function helpText(catalogue: CommandCatalogue, agent: Agent, caps: ChannelCapabilities): string {
  const reply = caps.replies === 'thread' ? 'Reply in a conversation thread' : 'Reply to a relayed message';
  const lines = catalogue
    .list(agent)
    .filter((c) => c.name !== 'help')
    .map((c) => `${usageLine(c, commandText(caps, c.name))} — ${c.summary}`);
  return [`Commands for @${agent.handle} (${agent.role}). ${reply} to answer the customer; #N picks a conversation.`, ...lines, `${commandText(caps, 'help')} — this list`].join('\n');
}

const helpFor = (ctx: CommandContext): string => helpText(ctx.catalogue, ctx.caller, capabilitiesOf(ctx.deps, ctx.event.platform));

export const helpCommands: CommandDefinition[] = [
  defineCommand({ name: 'help', args: '', summary: 'commands you can use', audience: 'everyone', listed: true, run: (ctx) => Promise.resolve(ok(answered(helpFor(ctx)))) }),
  defineCommand({
    name: 'start',
    args: '',
    summary: 'link your account with an invite code',
    audience: 'everyone',
    listed: false,
    run: (ctx) => Promise.resolve(ok(answered(`You are linked as @${ctx.caller.handle}. ${helpFor(ctx)}`))),
  }),
];

export const CUSTOMER_GREETING = 'Hi! Just write your message here and one of our team will answer you in this chat.';
