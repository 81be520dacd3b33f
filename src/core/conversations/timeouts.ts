import type { CoreDeps } from '../deps.js';
import type { Conversation } from '../model/conversation.js';
import type { ResponseTimeoutJob } from '../ports/scheduler.js';

/** The timer a conversation should have now, or null when it waits for nobody. */
async function timerFor(deps: CoreDeps, conv: Conversation): Promise<{ runAt: Date; job: ResponseTimeoutJob } | null> {
  if (conv.status !== 'assigned' || !conv.assignee || !conv.waitingSince) return null;
  const inbox = await deps.store.getInbox(conv.inbox);
  if (!inbox || inbox.responseTimeoutSec <= 0) return null;
  if (conv.redirects > inbox.maxRedirects) return null; // escalated already: the fallback keeps it
  return {
    runAt: new Date(deps.clock.now().getTime() + inbox.responseTimeoutSec * 1000),
    job: { conversation: conv.number, assignee: conv.assignee, waitingSince: conv.waitingSince.toISOString() },
  };
}

const sameWait = (conv: Conversation | null, job: ResponseTimeoutJob): boolean =>
  conv !== null && conv.status === 'assigned' && conv.assignee === job.assignee && conv.waitingSince?.toISOString() === job.waitingSince;

/**
 * Schedule the response-timeout redirect for a conversation that waits for its assignee. The
 * scheduler replaces the conversation's pending timer in one write, so concurrent calls leave one.
 * A call working from a conversation that changed meanwhile (a reply, a transfer landing between
 * its read and its write) looks again after writing: it takes back its own timer if that is out of
 * date and writes the current one, so the last writer always leaves the timer of the current wait.
 */
export async function scheduleResponseTimeout(deps: CoreDeps, conv: Conversation): Promise<void> {
  let current: Conversation | null = conv;
  for (let round = 0; round < 5 && current; round++) {
    const timer = await timerFor(deps, current);
    if (!timer) return;
    await deps.scheduler.schedule('response-timeout', timer.runAt, timer.job);
    current = await deps.store.getConversation(conv.number);
    if (sameWait(current, timer.job)) return;
    await deps.scheduler.cancel('response-timeout', timer.job); // ours only, if still pending
  }
}

export async function cancelResponseTimeout(deps: CoreDeps, conversation: number): Promise<void> {
  await deps.scheduler.cancel('response-timeout', { conversation });
}
