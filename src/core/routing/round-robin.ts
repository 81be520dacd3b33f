import type { Agent } from '../model/agent.js';
import type { Membership } from '../model/inbox.js';
import { isEligible } from './eligibility.js';

/**
 * The first eligible member in rotation order, given members already in order starting right
 * after the cursor. Ineligible members are skipped, never lost: the cursor only moves to the
 * member who is picked, so a skipped member is first in line once eligible again.
 */
export function pickRoundRobin(
  ordered: readonly Membership[],
  agents: ReadonlyMap<string, Agent>,
  excluded: ReadonlySet<string>,
): Membership | null {
  for (const m of ordered) {
    if (isEligible(agents.get(m.handle), excluded)) return m;
  }
  return null;
}

/** Members in rotation order starting after `cursor` (wrapping around). */
export function rotateAfter(members: readonly Membership[], cursor: number): Membership[] {
  const idx = members.findIndex((m) => m.seq > cursor);
  if (idx <= 0) return [...members];
  return [...members.slice(idx), ...members.slice(0, idx)];
}
