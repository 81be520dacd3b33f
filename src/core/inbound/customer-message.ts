import { capabilitiesOf, type CoreDeps } from '../deps.js';
import { OPEN_STATUSES, type Conversation, type Customer, type MessageOrigin } from '../model/conversation.js';
import type { Inbox } from '../model/inbox.js';
import type { InboundEvent } from '../ports/inbound.js';
import type { OutboundMessage } from '../ports/outbound.js';
import { agentAddress, attachmentLabel } from '../delivery/notices.js';
import { packBlocks } from '../delivery/split-text.js';
import { continuedLine, textLimit } from '../delivery/transcript.js';
import { routeAndNotify } from '../conversations/assign.js';
import { scheduleResponseTimeout } from '../conversations/timeouts.js';

export const QUEUED_NOTICE = 'Thanks for your message! All our agents are busy right now; someone will answer you here as soon as possible.';

/** The inbox a customer's message belongs to, or null when it is not an inbox (e.g. a team channel). */
export async function inboxFor(deps: CoreDeps, event: InboundEvent): Promise<Inbox | null> {
  if (event.chat.isDirect) return deps.store.findInboxForPlatform(event.platform);
  return capabilitiesOf(deps, event.platform).channelInboxes ? deps.store.findInboxForPlatform(event.platform, event.chat.id) : null;
}

/** The platform message to copy when the event is a non-text message (photo, document, …). */
export function originalOf(event: InboundEvent): MessageOrigin | undefined {
  return event.attachment && event.messageId ? { platform: event.platform, chatId: event.chat.id, messageId: event.messageId } : undefined;
}

export function messageText(event: InboundEvent): string {
  if (!event.attachment) return event.text;
  return event.text ? `${attachmentLabel(event.attachment)} ${event.text}` : attachmentLabel(event.attachment);
}

/**
 * A customer wrote: open or continue their conversation, relay to the assignee, or route it
 * (the trigger). When nobody can take it, it waits in the queue and the customer is told once.
 */
export async function handleCustomerMessage(deps: CoreDeps, event: InboundEvent, inbox: Inbox): Promise<OutboundMessage[]> {
  const { store, clock, metrics, logger } = deps;
  const now = clock.now();
  const customer: Customer = {
    platform: event.platform,
    id: event.sender.id,
    name: event.sender.name || 'Customer',
    chatId: event.chat.id,
    // in a shared channel each customer's messages form a thread, and answers go back into it
    threadId: !event.chat.isDirect && capabilitiesOf(deps, event.platform).channelInboxes ? (event.threadId ?? event.messageId) : undefined,
  };
  const text = messageText(event);
  // The conversation may be closed between finding it and updating it (a /close at that moment):
  // the message then belongs to a new conversation, never to the closed one.
  let opened: Conversation | undefined;
  let conv: Conversation | null = null;
  for (let attempt = 0; !conv && attempt < 5; attempt++) {
    const r = await store.openConversation(inbox.name, customer, now);
    opened = r.conversation;
    if (r.created) {
      metrics.inc('conversations_opened', { inbox: inbox.name });
      logger.info({ conversation: opened.number, inbox: inbox.name, platform: event.platform }, 'conversation opened');
    }
    conv = await store.updateConversation(
      opened.number,
      { status: OPEN_STATUSES },
      { lastMessageText: text, updatedAt: now, ...(opened.waitingSince ? {} : { waitingSince: now }) },
    );
  }
  if (!conv || !opened) {
    logger.warn({ inbox: inbox.name, platform: event.platform }, 'customer message not stored: the conversation kept closing');
    return [];
  }
  const original = originalOf(event);
  await store.addMessage({ conversation: conv.number, from: 'customer', text, at: now, key: event.deliveryId, ...(original ? { original } : {}) });

  if (conv.status === 'assigned' && conv.assignee) return relayToAssignee(deps, conv, text, original, !opened.waitingSince);

  // the notice carries this message with every other one the agent has not seen
  const routed = await routeAndNotify(deps, conv.number, { reason: 'route', actor: null });
  if (routed.assigned) return routed.outbound;
  // not placed; a slot given back on the way may have placed others: their notices go too
  return [...routed.outbound, ...(await queued(deps, conv))];
}

async function relayToAssignee(
  deps: CoreDeps,
  conv: Conversation,
  text: string,
  copyOf: OutboundMessage['copyOf'],
  startedWaiting: boolean,
): Promise<OutboundMessage[]> {
  const agent = await deps.store.getAgent(conv.assignee!);
  if (startedWaiting) await scheduleResponseTimeout(deps, conv);
  const address = agent ? agentAddress(agent) : null;
  if (!agent || !address) {
    deps.logger.warn({ conversation: conv.number, agent: conv.assignee }, 'assignee has no linked platform; message kept but not relayed');
    return [];
  }
  // in full: a text longer than the platform takes goes as several messages, each marked #N
  const texts = packBlocks([`#${conv.number} ${conv.customer.name}: ${text}`], textLimit(deps, address.platform), continuedLine(conv));
  return texts.map((part, i) => ({
    to: address,
    text: part,
    conversation: conv.number,
    handle: agent.handle,
    ...(i === 0 && copyOf ? { copyOf } : {}),
  }));
}

async function queued(deps: CoreDeps, conv: Conversation): Promise<OutboundMessage[]> {
  const { store, clock, metrics } = deps;
  const current = await store.updateConversation(
    conv.number,
    { status: ['queued', 'unassigned'], assignee: null },
    { status: 'queued', updatedAt: clock.now() },
  );
  if (!current) return []; // assigned meanwhile by someone else
  metrics.inc('conversations_queued', { inbox: conv.inbox });
  // told once: only the update that flips the flag sends the notice, also across processes
  const told = await store.updateConversation(conv.number, { status: ['queued'], queuedNoticeSent: false }, { queuedNoticeSent: true });
  if (!told) return [];
  return [{ to: { platform: conv.customer.platform, chatId: conv.customer.chatId, threadId: conv.customer.threadId }, text: QUEUED_NOTICE }];
}

