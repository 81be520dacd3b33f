import type { CoreDeps } from '../deps.js';
import type { Conversation } from '../model/conversation.js';

/** Schedule the response-timeout redirect for a conversation that waits for its assignee. */
export async function scheduleResponseTimeout(deps: CoreDeps, conv: Conversation): Promise<void> {
  if (conv.status !== 'assigned' || !conv.assignee || !conv.waitingSince) return;
  const inbox = await deps.store.getInbox(conv.inbox);
  if (!inbox || inbox.responseTimeoutSec <= 0) return;
  if (conv.redirects > inbox.maxRedirects) return; // escalated already: the fallback keeps it
  await deps.scheduler.cancel('response-timeout', { conversation: conv.number });
  const runAt = new Date(deps.clock.now().getTime() + inbox.responseTimeoutSec * 1000);
  await deps.scheduler.schedule('response-timeout', runAt, {
    conversation: conv.number,
    assignee: conv.assignee,
    waitingSince: conv.waitingSince.toISOString(),
  });
}

export async function cancelResponseTimeout(deps: CoreDeps, conversation: number): Promise<void> {
  await deps.scheduler.cancel('response-timeout', { conversation });
}
