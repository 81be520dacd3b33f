import type { CoreDeps } from '../deps.js';
import type { Conversation } from '../model/conversation.js';
import type { InboundEvent } from '../ports/inbound.js';
import { markedConversation } from '../delivery/transcript.js';

/**
 * The conversation an agent's message or command refers to: the replied-to message or the thread
 * it is in. Without a stored link (too old, or stored only once the send returned, after a very
 * quick reply) the `#N` mark that opens the bot's own message names it; a message the bot did not
 * send names nothing, whatever `#N` it contains.
 */
export async function conversationFromContext(deps: CoreDeps, event: InboundEvent): Promise<Conversation | null> {
  const ref = event.replyTo ?? event.threadId; // a reply-to or a thread, whichever the event carries
  if (!ref) return null;
  const number = (await deps.store.findLinkedConversation(event.platform, event.chat.id, ref)) ?? (await markedInQuote(deps, event, ref));
  return number === null ? null : deps.store.getConversation(number);
}

async function markedInQuote(deps: CoreDeps, event: InboundEvent, ref: string): Promise<number | null> {
  let text: string | null = null;
  if (event.quoted) text = event.quoted.fromBot ? event.quoted.text : null;
  else {
    const channel = deps.channels.get(event.platform);
    try {
      text = channel?.postedText ? await channel.postedText(event.chat.id, ref) : null;
    } catch (e) {
      deps.logger.warn({ platform: event.platform, error: (e as Error).message }, 'replied-to message not readable');
    }
  }
  const number = text === null ? null : markedConversation(text);
  if (number !== null) deps.logger.info({ platform: event.platform, conversation: number }, 'reply context taken from the mark of an unlinked message');
  return number;
}
