import type { CoreDeps } from '../deps.js';
import type { Conversation } from '../model/conversation.js';
import type { InboundEvent } from '../ports/inbound.js';

/** The conversation an agent's message or command refers to: the replied-to message or the thread it is in. */
export async function conversationFromContext(deps: CoreDeps, event: InboundEvent): Promise<Conversation | null> {
  const ref = event.replyTo ?? event.threadId; // a reply-to or a thread, whichever the event carries
  if (!ref) return null;
  const number = await deps.store.findLinkedConversation(event.platform, event.chat.id, ref);
  return number === null ? null : deps.store.getConversation(number);
}
