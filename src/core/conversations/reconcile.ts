import type { CoreDeps } from '../deps.js';
import type { OutboundMessage } from '../ports/outbound.js';
import type { Conversation } from '../model/conversation.js';
import { drainForAgent } from './assign.js';
import { scheduleResponseTimeout } from './timeouts.js';

export interface ReconcileResult {
  /** Agents looked at. */
  checked: number;
  /** Agents whose openCount was set to what they hold. */
  corrected: number;
  /** Conversations the drains of corrected agents assigned. */
  assigned: number;
  /** Waiting conversations that had no response timer (a process died before setting it). */
  timersRepaired: number;
  outbound: OutboundMessage[];
}

const PAGE = 500;

/**
 * Sets each agent's `openCount` to the number of open conversations they hold. A count can drift
 * when a process dies (or a store call fails) between a conversation's move and the slot's release.
 * A discrepancy is corrected only when two readings agree (a routing in flight between its
 * reservation and its assignment looks like a leak for a moment), and by compare-and-set, so a
 * reservation landing meanwhile wins; whatever is still off is corrected by the next run.
 * Each correction is logged and counted; an agent who got room back has their queues drained.
 * A waiting conversation found without its response timer gets one.
 */
export async function reconcileLoads(deps: CoreDeps): Promise<ReconcileResult> {
  const { store, logger, metrics } = deps;
  const result: ReconcileResult = { checked: 0, corrected: 0, assigned: 0, timersRepaired: 0, outbound: [] };
  let after: string | undefined;
  do {
    const page = await store.listAgents({ limit: PAGE, after });
    for (const agent of page.items) {
      result.checked++;
      const assigned = await store.listAssigned(agent.handle);
      result.timersRepaired += await repairTimers(deps, assigned);
      const held = assigned.length;
      if (agent.openCount === held) continue;
      const again = await store.getAgent(agent.handle);
      const heldAgain = (await store.listAssigned(agent.handle)).length;
      if (!again || again.openCount !== agent.openCount || heldAgain !== held) continue; // moving: next run
      const fixed = await store.setOpenCount(agent.handle, agent.openCount, held);
      if (!fixed) continue;
      result.corrected++;
      const direction = held < agent.openCount ? 'down' : 'up';
      metrics.inc('load_corrections', { direction });
      logger.warn({ agent: agent.handle, openCount: agent.openCount, held }, `load reconciliation: open-conversation count corrected from ${agent.openCount} to ${held}`);
      if (direction === 'down') {
        const drained = await drainForAgent(deps, agent.handle);
        result.assigned += drained.assigned;
        result.outbound.push(...drained.outbound);
      }
    }
    after = page.next ?? undefined;
  } while (after);
  return result;
}

/**
 * Give each waiting conversation without a pending response timer of its current wait its timer: a
 * timer left for an earlier assignee or an earlier wait (a step failed between the hand-over and
 * the new timer) is replaced, since it would be ignored when it fires.
 */
async function repairTimers(deps: CoreDeps, conversations: readonly Conversation[]): Promise<number> {
  let repaired = 0;
  for (const conv of conversations) {
    if (!conv.waitingSince) continue;
    const since = conv.waitingSince.toISOString();
    const timers = await deps.scheduler.pending('response-timeout', { conversation: conv.number });
    if (timers.some((t) => t.data.assignee === conv.assignee && t.data.waitingSince === since)) continue;
    await scheduleResponseTimeout(deps, conv);
    if ((await deps.scheduler.pending('response-timeout', { conversation: conv.number })).length === 0) continue; // needs none (timeouts off, escalated)
    repaired++;
    deps.metrics.inc('timer_repairs');
    deps.logger.warn({ conversation: conv.number, agent: conv.assignee, inbox: conv.inbox }, 'reconciliation: a waiting conversation had no response timer; set it');
  }
  return repaired;
}
