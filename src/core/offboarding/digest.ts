import type { CoreDeps } from '../deps.js';
import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Offboarding } from '../model/offboarding.js';
import type { OutboundMessage } from '../ports/outbound.js';
import { agentAddress } from '../delivery/notices.js';
import { packBlocks } from '../delivery/split-text.js';
import { messageLine, olderLine, textLimit, unseenMessages } from '../delivery/transcript.js';
import { formatTime } from './texts.js';

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
 * Conversations handed over in bulk (offboarding, reinstatement), one block each: `#N inbox ·
 * customer`, then its latest messages of both sides as any hand-over shows them.
 */
export async function handOverBlocks(deps: CoreDeps, convs: readonly Conversation[]): Promise<string[]> {
  const now = deps.clock.now();
  const blocks: string[] = [];
  for (const c of convs) {
    const unseen = await unseenMessages(deps, c, true);
    const lines = [`#${c.number} ${c.inbox} · ${c.customer.name}`];
    if (unseen.older > 0) lines.push(olderLine(c, unseen.older));
    for (const m of unseen.messages) lines.push(messageLine(c, m, now));
    if (unseen.messages.length === 0 && c.lastMessageText) lines[0] += `: ${c.lastMessageText}`;
    blocks.push(lines.join('\n'));
  }
  return blocks;
}

/**
 * ONE digest for an agent who received conversations in an offboarding, however many: a block per
 * conversation with its latest messages, split into several platform messages only when it does
 * not fit one. Its texts open with no `#N` mark: a reply to a digest names no single conversation.
 */
export async function digestMessages(deps: CoreDeps, receiver: Agent, record: Offboarding, convs: readonly Conversation[]): Promise<OutboundMessage[]> {
  const address = agentAddress(receiver);
  if (!address || convs.length === 0) return [];
  // the supervisor who gave them to themselves handed nothing to anyone: they took them
  const self = receiver.handle === record.supervisor;
  const head = self
    ? `You took ${convs.length} conversation(s) of @${record.agent}, who ${why(record)}:`
    : `@${record.supervisor} handed you ${convs.length} conversation(s) of @${record.agent}, who ${why(record)}:`;
  const foot = "They are yours now: the customer's next message reaches you here; to write first, send '#N your answer'. /mine lists them; /transfer #N @agent hands one on.";
  const blocks = [head, ...(await handOverBlocks(deps, convs)), foot];
  const texts = packBlocks(blocks, textLimit(deps, address.platform), self ? `(continued: conversations of @${record.agent} you took)` : `(continued: conversations of @${record.agent} handed to you)`);
  return texts.map((text) => ({ to: address, text, handle: receiver.handle }));
}
