import type { Agent } from '../model/agent.js';

/** Can routing give this agent one more conversation? */
export function isEligible(agent: Agent | undefined, excluded: ReadonlySet<string>): agent is Agent {
  return (
    agent !== undefined &&
    agent.status === 'active' &&
    agent.availability === 'online' &&
    agent.openCount < agent.capacity &&
    !excluded.has(agent.handle)
  );
}
