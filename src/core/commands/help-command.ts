import { isSupervisor, type Agent } from '../model/agent.js';
import type { Platform } from '../model/agent.js';
import { USAGE, type CommandName } from './parse.js';

const DESCRIPTIONS: Partial<Record<CommandName, string>> = {
  transfer: 'hand a conversation to another agent',
  unassign: 'put a conversation back; --reassign gives it to someone else now',
  claim: 'take a waiting conversation (the oldest without #N)',
  close: 'close a conversation',
  mine: 'your open conversations',
  queue: 'conversations waiting for an agent',
  available: 'go online: new conversations come to you',
  away: 'pause new conversations for a while',
  offline: 'stop new conversations',
  agents: 'agents with status and load',
  pause: 'stop automatic assignment in an inbox',
  resume: 'restart automatic assignment',
  offboard: 'take an agent out of rotation and hand over their conversations',
  reinstate: 'bring back a suspended or disabled agent',
};

const EVERYONE: CommandName[] = ['mine', 'queue', 'claim', 'transfer', 'unassign', 'close', 'available', 'away', 'offline'];
const SUPERVISORS: CommandName[] = ['agents', 'pause', 'resume', 'offboard', 'reinstate'];

/** The help command's name on a platform (Slack's own /help is not ours). */
export function helpCommand(platform: Platform): string {
  return platform === 'slack' ? '/sb-help' : '/help';
}

export function helpText(agent: Agent, platform: Platform): string {
  const names = isSupervisor(agent) ? [...EVERYONE, ...SUPERVISORS] : EVERYONE;
  const reply = platform === 'slack' ? 'Reply in a conversation thread' : 'Reply to a relayed message';
  const lines = names.map((n) => `${USAGE[n]} — ${DESCRIPTIONS[n] ?? ''}`);
  return [`Commands for @${agent.handle} (${agent.role}). ${reply} to answer the customer; #N picks a conversation.`, ...lines, `${helpCommand(platform)} — this list`].join('\n');
}

export const CUSTOMER_GREETING = 'Hi! Just write your message here and one of our team will answer you in this chat.';
