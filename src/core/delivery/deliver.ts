import { type CoreDeps } from '../deps.js';
import { ChannelError, type OutboundMessage, type SentRef } from '../ports/outbound.js';

export interface DeliveryResult {
  ok: boolean;
  sent: SentRef[];
  failure?: ChannelError['failure'] | undefined;
  reason?: string | undefined;
}

/**
 * Sends one message through the adapter of its platform. Agent-side messages about a conversation
 * are linked to it (so replies find it) and, where agents answer in threads, kept in one thread per
 * conversation and agent.
 * Platform failures are logged and counted, never thrown: conversation state never depends on them.
 */
export async function deliver(deps: CoreDeps, message: OutboundMessage): Promise<DeliveryResult> {
  const { store, logger, metrics } = deps;
  const platform = message.to.platform;
  const channel = deps.channels.get(platform);
  const fields = { platform, conversation: message.conversation, agent: message.handle };
  if (!channel) {
    logger.warn(fields, 'no adapter for platform; message not delivered');
    metrics.inc('deliveries_failed', { platform, failure: 'no_adapter' });
    return { ok: false, sent: [], failure: 'unreachable', reason: `${platform} is not connected` };
  }
  let to = message.to;
  const threaded = channel.capabilities.replies === 'thread' && message.conversation !== undefined && message.handle !== undefined;
  if (threaded && !to.threadId) {
    const thread = await store.findThread(message.conversation!, message.handle!, platform);
    if (thread) to = { ...to, chatId: thread.chatId, threadId: thread.threadId };
  }
  let sent: SentRef[];
  try {
    sent = await channel.send({ ...message, to });
  } catch (e) {
    const failure = e instanceof ChannelError ? e.failure : 'unreachable';
    logger.warn({ ...fields, failure, error: (e as Error).message }, 'delivery failed');
    metrics.inc('deliveries_failed', { platform, failure });
    return { ok: false, sent: [], failure, reason: (e as Error).message };
  }
  if (message.conversation !== undefined && message.handle !== undefined) {
    for (const ref of sent) {
      await store.linkMessage({ platform, chatId: ref.chatId, messageId: ref.messageId, conversation: message.conversation });
    }
    const first = sent[0];
    if (threaded && !to.threadId && first) {
      await store.saveThread({
        conversation: message.conversation,
        handle: message.handle,
        platform,
        chatId: first.chatId,
        threadId: first.messageId,
      });
    }
  }
  return { ok: true, sent };
}

export async function deliverAll(deps: CoreDeps, messages: readonly OutboundMessage[]): Promise<DeliveryResult[]> {
  const out: DeliveryResult[] = [];
  for (const m of messages) out.push(await deliver(deps, m));
  return out;
}
