import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Offboarding } from '../model/offboarding.js';
import type { OutboundMessage } from '../ports/outbound.js';
import { agentAddress, oneLine, quote } from '../delivery/notices.js';
import { budgetFor, formatTime, joinFit } from './texts.js';

function why(record: Offboarding): string {
  switch (record.mode) {
    case 'suspend':
      return `is suspended${record.until ? ` until ${formatTime(record.until)}` : ''}`;
    case 'disable':
      return 'is disabled';
    case 'remove':
      return 'has left the team';
  }
}

/**
 * ONE message for an agent who received conversations in an offboarding, however many: a line per
 * conversation (number, inbox, customer, latest message), cut to fit one platform message.
 */
export function digestMessage(receiver: Agent, record: Offboarding, convs: readonly Conversation[]): OutboundMessage | null {
  const address = agentAddress(receiver);
  if (!address || convs.length === 0) return null;
  const head = `@${record.supervisor} handed you ${convs.length} conversation(s) of @${record.agent}, who ${why(record)}:`;
  const foot = "They are yours now: the customer's next message reaches you here; to write first, send '#N your answer'. /mine lists them; /transfer #N @agent hands one on.";
  const items = convs.map((c) => `#${c.number} ${c.inbox} · ${c.customer.name}${c.lastMessageText ? `: ${quote(oneLine(c.lastMessageText), 60)}` : ''}`);
  const list = joinFit(items, budgetFor([head, foot]), '\n');
  return { to: address, text: [head, list, foot].join('\n'), handle: receiver.handle };
}
