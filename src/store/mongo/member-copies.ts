import type { Model } from 'mongoose';
import { silentLogger, type Logger } from '../../core/index.js';
import type { AgentDoc, MembershipDoc } from './documents.js';
import { op } from './filters.js';

/** What routing needs to know of an agent, as copied onto each of its memberships. */
export function isReady(agent: Pick<AgentDoc, 'status' | 'availability' | 'openCount' | 'capacity'>): boolean {
  return agent.status === 'active' && agent.availability === 'online' && agent.openCount < agent.capacity;
}

/**
 * Keeps the copies of each agent's routing fields (`ready`, `load`) on its memberships in step with
 * the agent document, so a pick is one indexed query on an inbox's memberships.
 *
 * Every agent write that changes those fields bumps the agent's `rev` in the same update and then
 * publishes the result; a copy is only ever replaced by one with a higher `rev`, so copies written
 * out of order by concurrent writers end at the newest. The agent document stays the truth: a pick
 * reserves the slot there, conditionally, and re-publishes the agent when a copy was stale.
 */
export class MemberCopies {
  /** Agents whose publish failed after their write: mended before the next pick. */
  private readonly unpublished = new Set<string>();

  constructor(
    private readonly memberships: Model<MembershipDoc>,
    private readonly agents: Model<AgentDoc>,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Writes the agent's routing fields onto its memberships that hold an older copy (or none). */
  async publish(agent: AgentDoc): Promise<void> {
    const rev = agent.rev ?? 0;
    await this.memberships.updateMany(
      { handle: agent.handle, agentRev: op({ $not: { $gte: rev } }) },
      { $set: { ready: isReady(agent), load: agent.openCount, agentRev: rev } },
    );
  }

  /**
   * `publish`, after a write that already happened: a failure here must not turn that write into
   * an error for the caller (it did happen), so it is logged, and the copy is mended before the
   * next pick of this process (see `mendUnpublished`), or by the next write of the agent.
   */
  async publishAfterWrite(agent: AgentDoc | null): Promise<void> {
    if (!agent) return;
    try {
      await this.publish(agent);
    } catch (error) {
      this.unpublished.add(agent.handle);
      this.logger.warn({ agent: agent.handle, err: error }, 'could not copy the agent onto its memberships');
    }
  }

  /** Publishes the agents whose publish failed (nothing to do, and no operation, in the usual case). */
  async mendUnpublished(): Promise<void> {
    for (const handle of [...this.unpublished]) {
      this.unpublished.delete(handle);
      try {
        await this.refresh(handle);
      } catch (error) {
        this.unpublished.add(handle);
        throw error;
      }
    }
  }

  /** Reads the agent and publishes it (a pick found its copy stale, or a membership was just added). */
  async refresh(handle: string): Promise<AgentDoc | null> {
    const agent = await this.agents.findOne({ handle }).lean<AgentDoc>();
    if (agent) await this.publish(agent);
    else await this.memberships.updateMany({ handle }, { $set: { ready: false, load: 0, agentRev: -1 } });
    return agent;
  }

  /**
   * Gives a new membership its copy. An agent write landing between the read and the copy was
   * published before this membership could take it, so the agent is read again until it stands
   * still (one extra read in the usual case).
   */
  async adopt(handle: string): Promise<void> {
    let agent = await this.refresh(handle);
    for (let attempt = 0; agent && attempt < 5; attempt++) {
      const again = await this.agents.findOne({ handle }, { rev: 1 }).lean<Pick<AgentDoc, 'rev'>>();
      if (!again || again.rev === agent.rev) return;
      agent = await this.refresh(handle);
    }
  }

  /**
   * At connect: memberships whose copy is missing (stored before copies existed) or older than the
   * agent (a process stopped between an agent write and its publish) get the agent's current one.
   * One aggregation over the memberships, then one publish per agent found. Returns how many agents.
   */
  async mend(): Promise<number> {
    const stale = await this.memberships.aggregate<{ _id: string }>([
      { $lookup: { from: this.agents.collection.collectionName, localField: 'handle', foreignField: 'handle', as: 'agent' } },
      { $project: { handle: 1, agentRev: { $ifNull: ['$agentRev', null] }, found: { $gt: [{ $size: '$agent' }, 0] }, rev: { $ifNull: [{ $first: '$agent.rev' }, 0] } } },
      // a membership of an unknown agent keeps agentRev -1 once mended
      { $match: { $expr: { $cond: ['$found', { $ne: ['$agentRev', '$rev'] }, { $ne: ['$agentRev', -1] }] } } },
      { $group: { _id: '$handle' } },
    ]);
    for (const { _id: handle } of stale) await this.refresh(handle);
    return stale.length;
  }
}
