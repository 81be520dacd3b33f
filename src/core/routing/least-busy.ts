import type { Agent } from '../model/agent.js';
import type { Membership } from '../model/inbox.js';
import { isEligible } from './eligibility.js';

/**
 * The eligible member with the fewest open conversations; ties go to whoever comes first in
 * rotation order (members given in order starting right after the cursor).
 */
export function pickLeastBusy(
  ordered: readonly Membership[],
  agents: ReadonlyMap<string, Agent>,
  excluded: ReadonlySet<string>,
): Membership | null {
  let best: Membership | null = null;
  let bestLoad = Infinity;
  for (const m of ordered) {
    const a = agents.get(m.handle);
    if (!isEligible(a, excluded)) continue;
    if (a.openCount < bestLoad) {
      best = m;
      bestLoad = a.openCount;
      if (bestLoad === 0) break;
    }
  }
  return best;
}
