import type { CoreDeps } from '../deps.js';
import type { OutboundMessage } from '../ports/outbound.js';
import type { ResponseTimeoutJob } from '../ports/scheduler.js';
import { agentAddress } from '../delivery/notices.js';
import { afterAssigned, drainForAgent, routeAndNotify } from './assign.js';
import { withReservation } from '../routing/reservation.js';

/**
 * The response-timeout job: the assignee did not answer a waiting customer in time. Redirect to
 * the next eligible agent (the slow one excluded for this conversation); after maxRedirects to the
 * inbox's fallback agent (within their capacity), else back to the queue. A stale job (answered, moved, closed) does nothing;
 * the move itself is conditional on the slow agent still holding it, so one job never acts twice.
 */
export async function handleResponseTimeout(deps: CoreDeps, job: ResponseTimeoutJob): Promise<OutboundMessage[]> {
  const { store, clock, logger, metrics } = deps;
  const conv = await store.getConversation(job.conversation);
  const stale =
    !conv ||
    conv.status !== 'assigned' ||
    conv.assignee !== job.assignee ||
    !conv.waitingSince ||
    conv.waitingSince.toISOString() !== job.waitingSince;
  if (stale) {
    logger.debug({ conversation: job.conversation, agent: job.assignee }, 'response timeout is stale; nothing to do');
    return [];
  }
  const inbox = await store.getInbox(conv.inbox);
  if (!inbox || inbox.responseTimeoutSec <= 0) {
    logger.debug({ conversation: job.conversation, inbox: conv.inbox }, 'response timeouts are off for the inbox; nothing to do');
    return [];
  }
  if (inbox.paused) {
    // Automatic assignment is stopped: keep the conversation with its agent and look again later
    // rather than moving it into a queue nobody drains until /resume.
    await deps.scheduler.schedule('response-timeout', new Date(clock.now().getTime() + inbox.responseTimeoutSec * 1000), job);
    return [];
  }
  const slow = job.assignee;
  const redirects = conv.redirects + 1;
  const taken = await store.updateConversation(
    conv.number,
    // still held by the slow agent and still the same unanswered wait: a reply meanwhile wins
    { status: ['assigned'], assignee: slow, waitingSince: conv.waitingSince },
    {
      status: 'queued',
      assignee: null,
      redirects,
      excluded: conv.excluded.includes(slow) ? conv.excluded : [...conv.excluded, slow],
      updatedAt: clock.now(),
    },
  );
  if (!taken) return [];
  await store.releaseSlot(slow);
  metrics.inc('redirects');
  logger.info({ conversation: conv.number, agent: slow, inbox: conv.inbox, redirects }, 'response timeout: redirecting');

  const outbound: OutboundMessage[] = [];
  let placed = false;
  if (redirects > inbox.maxRedirects) {
    const fallback = inbox.fallbackAgent ? await store.getAgent(inbox.fallbackAgent) : null;
    if (fallback && fallback.status === 'active' && fallback.handle !== slow) {
      // automatic, like routing: never past the fallback agent's capacity (a full fallback leaves it queued)
      const slot = await store.reserveSlot(fallback.handle, { requireOnline: false, ignoreCapacity: false });
      if (slot) {
        const assigned = await withReservation(store, fallback.handle, () =>
          store.updateConversation(
            conv.number,
            { status: ['queued'], assignee: null },
            { status: 'assigned', assignee: fallback.handle, updatedAt: clock.now(), queuedNoticeSent: false },
          ),
        );
        if (assigned) {
          placed = true;
          outbound.push(...(await afterAssigned(deps, assigned, slot, { reason: 'timeout', actor: null, from: slow, note: `Escalated after ${redirects - 1} redirects.` })));
        }
      }
    }
  } else {
    const routed = await routeAndNotify(deps, conv.number, { reason: 'timeout', actor: null, from: slow });
    placed = routed.assigned !== null;
    outbound.push(...routed.outbound);
  }
  if (!placed) {
    await store.addHistory({ conversation: conv.number, reason: 'timeout', from: slow, to: null, actor: null, at: clock.now(), note: 'queued: nobody else could take it' });
    metrics.inc('conversations_queued');
  }
  const slowAgent = await store.getAgent(slow);
  const slowAddress = slowAgent ? agentAddress(slowAgent) : null;
  if (slowAddress) {
    const mins = Math.round(inbox.responseTimeoutSec / 60);
    const waited = mins >= 1 ? `${mins} min` : `${inbox.responseTimeoutSec} s`;
    const where = placed ? 'went to someone else' : 'was taken from you and went back to the queue';
    outbound.unshift({ to: slowAddress, text: `Conversation #${conv.number} ${where}: the customer waited more than ${waited} for an answer.`, handle: slow });
  }
  outbound.push(...(await drainForAgent(deps, slow)).outbound);
  return outbound;
}
