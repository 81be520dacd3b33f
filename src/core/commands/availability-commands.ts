import type { Availability } from '../model/agent.js';
import { ok, type Result } from '../errors.js';
import { drainForAgent } from '../conversations/assign.js';
import { answered, type CommandContext, type CommandOutcome } from './context.js';
import { defineCommand, type ButtonDefinition, type CommandDefinition } from './catalogue.js';
import type { Button } from '../ports/inbound.js';

/** `/available`, `/away`, `/offline`: coming online drains the queues of the agent's inboxes. */
export async function runAvailability(ctx: CommandContext, availability: Availability): Promise<Result<CommandOutcome>> {
  const { store } = ctx.deps;
  await store.updateAgent(ctx.caller.handle, { availability });
  ctx.deps.logger.info({ agent: ctx.caller.handle, availability }, 'availability changed');
  if (availability !== 'online') {
    const note = ctx.caller.openCount > 0 ? ` You keep your ${ctx.caller.openCount} open conversation(s); /transfer or /unassign them if needed.` : '';
    return ok(answered(`You are ${availability}: no new conversations will be routed to you.${note}`));
  }
  if ((await store.listMemberships(ctx.caller.handle)).length === 0) {
    return ok(answered('You are online, but in no inbox yet, so no conversations can reach you; ask a supervisor to add you to one.'));
  }
  const drained = await drainForAgent(ctx.deps, ctx.caller.handle);
  const got = new Set(drained.outbound.filter((m) => m.handle === ctx.caller.handle && m.conversation !== undefined).map((m) => m.conversation)).size;
  const extra = got > 0 ? ` ${got} waiting conversation(s) were assigned to you.` : '';
  return ok(answered(`You are online and in rotation.${extra}`, drained.outbound));
}

export const availabilityCommands: CommandDefinition[] = [
  defineCommand({ name: 'available', args: '', summary: 'go online: new conversations come to you', audience: 'everyone', listed: true, run: (ctx) => runAvailability(ctx, 'online') }),
  defineCommand({ name: 'away', args: '', summary: 'pause new conversations for a while', audience: 'everyone', listed: true, run: (ctx) => runAvailability(ctx, 'away') }),
  defineCommand({ name: 'offline', args: '', summary: 'stop new conversations', audience: 'everyone', listed: true, run: (ctx) => runAvailability(ctx, 'offline') }),
];

/** Buttons that set the caller's availability (a home view offers them): each does what its command does. */
export const AVAILABILITY_ACTIONS: Readonly<Record<Availability, string>> = { online: 'set-online', away: 'set-away', offline: 'set-offline' };
const AVAILABILITY_LABELS: Readonly<Record<Availability, string>> = { online: 'Go online', away: 'Go away', offline: 'Go offline' };

/** The buttons for the availabilities other than `current`. */
export function availabilityButtons(current: Availability): Button[] {
  return (Object.keys(AVAILABILITY_ACTIONS) as Availability[])
    .filter((a) => a !== current)
    .map((a) => ({ label: AVAILABILITY_LABELS[a], action: AVAILABILITY_ACTIONS[a], value: a, ...(a === 'online' ? { style: 'primary' as const } : {}) }));
}

export const availabilityButtonDefinitions: ButtonDefinition[] = (Object.keys(AVAILABILITY_ACTIONS) as Availability[]).map((a) => ({
  action: AVAILABILITY_ACTIONS[a],
  run: (ctx) => runAvailability(ctx, a),
}));
