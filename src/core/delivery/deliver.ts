import type { CoreDeps } from '../deps.js';
import { isSupervisor, type Agent } from '../model/agent.js';
import type { OutboundMessage, SentRef } from '../ports/outbound.js';
import type { Store } from '../ports/store.js';
import type { GivenUp } from './courier.js';
import { agentAddress, oneLine, quote } from './notices.js';

export type { DeliveryResult } from './courier.js';

/**
 * Sends one message through the outbox (see Courier): written first, sent at the platform's pace,
 * tried again after a passing failure. Resolves after the first try: sent, refused, or pending.
 * Platform failures are never thrown: conversation state never depends on them.
 */
export function deliver(deps: CoreDeps, message: OutboundMessage) {
  return deps.courier.send(message);
}

/** Queues every message at once (in order per chat, so a drain's notices can share a digest), then waits for each. */
export function deliverAll(deps: CoreDeps, messages: readonly OutboundMessage[]) {
  return Promise.all(messages.map((m) => deps.courier.send(m)));
}

type SendDeps = Pick<CoreDeps, 'store' | 'channels'>;

/**
 * Agent-side messages about a conversation go, where agents answer in threads, into the thread of
 * that conversation and agent (looked up when the message is sent, so the first one creates it).
 */
export async function resolveThread(deps: SendDeps, message: OutboundMessage): Promise<OutboundMessage> {
  if (!threaded(deps, message) || message.to.threadId) return message;
  const thread = await deps.store.findThread(message.conversation!, message.handle!, message.to.platform);
  return thread ? { ...message, to: { ...message.to, chatId: thread.chatId, threadId: thread.threadId } } : message;
}

/** Links what was sent (as sent: after resolveThread) to its conversation, so replies find it; a first threaded message becomes the thread. */
export async function recordSent(deps: SendDeps, message: OutboundMessage, sent: SentRef[]): Promise<void> {
  if (message.conversation === undefined || message.handle === undefined) return;
  const platform = message.to.platform;
  for (const ref of sent) {
    await deps.store.linkMessage({ platform, chatId: ref.chatId, messageId: ref.messageId, conversation: message.conversation });
  }
  // the first message of a conversation's thread (sent outside any thread) starts it
  const first = sent[0];
  if (threaded(deps, message) && !message.to.threadId && first) {
    await deps.store.saveThread({ conversation: message.conversation, handle: message.handle, platform, chatId: first.chatId, threadId: first.messageId });
  }
}

function threaded(deps: SendDeps, message: OutboundMessage): boolean {
  const channel = deps.channels.get(message.to.platform);
  return channel?.capabilities.replies === 'thread' && message.conversation !== undefined && message.handle !== undefined;
}

/**
 * A message not delivered for the whole give-up time (or refused after waiting): the other side is
 * told. An agent's reply → that agent; anything else (a notice, a message to a customer) → every
 * active supervisor and admin.
 */
export async function tellGivenUp(deps: Pick<CoreDeps, 'store' | 'courier'>, given: GivenUp): Promise<void> {
  const { message, reason } = given;
  const excerpt = message.text ? ` «${quote(oneLine(message.text), 120)}»` : '';
  const hours = Math.max(1, Math.round((Date.now() - given.since.getTime()) / 3600_000));
  if (message.replyOf) {
    const agent = await deps.store.getAgent(message.replyOf.handle);
    const to = agent && agentAddress(agent);
    if (to) {
      await deps.courier.send({
        to,
        text: `Your reply to #${message.replyOf.conversation} was not delivered to the customer (${reason}; tried ${given.attempts} times over ${hours} h) and was given up:${excerpt}`,
      });
      return;
    }
  }
  const about = message.conversation ?? message.replyOf?.conversation;
  const whom = message.handle ? `@${message.handle}` : 'a customer';
  const text = `A message for ${whom}${about !== undefined ? ` about #${about}` : ''} was not delivered (${reason}; tried ${given.attempts} times) and was given up:${excerpt}`;
  for (const supervisor of await supervisors(deps.store)) {
    const to = agentAddress(supervisor);
    if (to && !(to.platform === message.to.platform && to.chatId === message.to.chatId)) await deps.courier.send({ to, text });
  }
}

async function supervisors(store: Store): Promise<Agent[]> {
  const out: Agent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listAgents({ limit: 200, after });
    out.push(...page.items.filter((a) => a.status === 'active' && isSupervisor(a)));
    if (!page.next) return out;
    after = page.next;
  }
}
