import { capabilitiesOf, type CoreDeps } from '../deps.js';
import { isSupervisor, type Agent } from '../model/agent.js';
import { OPEN_STATUSES } from '../model/conversation.js';
import type { InboundEvent } from '../ports/inbound.js';
import { deliver } from '../delivery/deliver.js';
import { messageText, originalOf } from './customer-message.js';
import { commandText } from '../ports/capabilities.js';
import { conversationFromContext } from '../conversations/from-context.js';

/**
 * An agent answered a conversation: send the text (or a copy of the attachment) to the customer,
 * record it, and stop the response timer. Returns the line for the agent, if any.
 */
export async function handleAgentReply(deps: CoreDeps, agent: Agent, event: InboundEvent): Promise<string | undefined> {
  const { store, clock, logger } = deps;
  let conv = await conversationFromContext(deps, event);
  // Without a reply context, a direct message starting with "#N " goes to conversation N.
  const addressed = !conv && event.chat.isDirect ? /^#(\d{1,9})\s+([\s\S]+)$/.exec(event.text) : null;
  if (addressed) {
    conv = await store.getConversation(Number(addressed[1]));
    if (!conv) return `There is no conversation #${addressed[1]}. /mine lists yours.`;
    event = { ...event, text: addressed[2]!.trim() };
  }
  if (!conv) {
    if (!event.chat.isDirect) return undefined; // team chatter in a channel: not for the bot
    const caps = capabilitiesOf(deps, event.platform);
    const how = caps.replies === 'reply-to' ? 'reply to a message of that conversation' : "reply in that conversation's thread";
    return `To answer a customer, ${how}, or start your message with #N. /mine lists your conversations, ${commandText(caps, 'help')} the commands.`;
  }
  if (conv.status === 'closed') return `Conversation #${conv.number} is closed; the customer's next message opens a new one.`;
  if (conv.assignee !== agent.handle && !isSupervisor(agent)) {
    const holder = conv.assignee ? `assigned to @${conv.assignee}` : 'not assigned to you';
    return `Conversation #${conv.number} is ${holder}; only its assignee or a supervisor can reply. /claim #${conv.number} if it waits.`;
  }
  const text = messageText(event);
  const customer = conv.customer;
  const copies = capabilitiesOf(deps, event.platform).copies;
  const copyOf =
    event.attachment && event.messageId && customer.platform === event.platform && copies
      ? { platform: event.platform, chatId: event.chat.id, messageId: event.messageId }
      : undefined;
  const result = await deliver(deps, {
    to: { platform: customer.platform, chatId: customer.chatId, threadId: customer.threadId },
    // a copy keeps its own caption; platforms that cannot copy get the text with its [kind] marker
    text: copyOf ? '' : text,
    copyOf,
    replyOf: { conversation: conv.number, handle: agent.handle },
  });
  if (!result.ok && !result.pending) {
    // refused: the customer's side said no; anything else is ours (Slack down, its token refused, …)
    const platform = customer.platform.charAt(0).toUpperCase() + customer.platform.slice(1);
    const why = result.failure === 'refused' ? 'the customer blocked the bot or the chat is gone' : `Switchboard cannot reach ${platform} right now`;
    return `Could not deliver your reply to #${conv.number}: ${why}. It was not sent.`;
  }
  const now = clock.now();
  const original = originalOf(event);
  await store.addMessage({ conversation: conv.number, from: 'agent', handle: agent.handle, text, at: now, key: event.deliveryId, ...(original ? { original } : {}) });
  if (conv.waitingSince) {
    // The reply answers this wait whoever holds the conversation by now (a transfer or a redirect
    // may have landed meanwhile): clear it while open and still this wait (another reply may have
    // answered it and the customer written again since: that new wait stays), and cancel the
    // timers of this wait only.
    const since = conv.waitingSince.toISOString();
    await store.updateConversation(conv.number, { status: OPEN_STATUSES, waitingSince: conv.waitingSince }, { waitingSince: undefined, updatedAt: now });
    await deps.scheduler.cancel('response-timeout', { conversation: conv.number, waitingSince: since });
  }
  logger.info({ conversation: conv.number, agent: agent.handle, platform: customer.platform, pending: result.pending ?? false }, 'agent replied');
  if (result.pending) {
    // kept in the outbox and sent again until it goes through; the agent hears again only if it is given up
    const platform = customer.platform.charAt(0).toUpperCase() + customer.platform.slice(1);
    const why = result.failure === 'rate-limited' ? `${platform} asks Switchboard to send more slowly` : `Switchboard cannot reach ${platform} right now`;
    return `${why}: your reply to #${conv.number} is kept and sent as soon as it can be (you are told if it cannot be within a day).`;
  }
  return undefined;
}
