import type { Model, PipelineStage } from 'mongoose';
import type { Inbox, Picked } from '../../core/index.js';
import type { AgentRepo } from './agent-repo.js';
import type { InboxDoc, MembershipDoc } from './documents.js';
import { toMembership } from './mappers.js';

/** Enough for every member to fill up or leave while one pick runs; each try is a fixed number of operations. */
const MAX_TRIES = 20;

/**
 * Routing's pick on MongoDB: one aggregation chooses the eligible member (eligibility and load are
 * read from the agents in the database, not scanned in code), then the slot is reserved by the
 * conditional `$inc` (never past capacity) and the cursor moved to the pick. No compare-and-set
 * on the cursor: concurrent picks never retry each other to death. A try is repeated only when
 * the chosen agent filled up or went away between the two steps.
 */
export async function pickAgent(
  inboxes: Model<InboxDoc>,
  memberships: Model<MembershipDoc>,
  agents: AgentRepo,
  agentsCollection: string,
  name: string,
  excluded: readonly string[],
): Promise<Picked | null> {
  const skip = new Set(excluded);
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const inbox = await inboxes.findOne({ name }).lean<Inbox>();
    if (!inbox) return null;
    const [candidate] = await memberships.aggregate<MembershipDoc>(pipeline(inbox, agentsCollection, [...skip]));
    if (!candidate) return null;
    const agent = await agents.reserveSlot(candidate.handle, { requireOnline: true, ignoreCapacity: false });
    if (!agent) {
      skip.add(candidate.handle);
      continue;
    }
    await inboxes.updateOne({ name }, { $set: { cursor: candidate.seq } });
    return { membership: toMembership(candidate), agent };
  }
  return null;
}

function pipeline(inbox: Inbox, agentsCollection: string, excluded: string[]): PipelineStage[] {
  const order: Record<string, 1> = inbox.strategy === 'least-busy' ? { load: 1, wrapped: 1, seq: 1 } : { wrapped: 1, seq: 1 };
  return [
    { $match: { inbox: inbox.name, handle: { $nin: excluded } } },
    {
      $lookup: {
        from: agentsCollection,
        localField: 'handle',
        foreignField: 'handle',
        as: 'agent',
        pipeline: [
          { $match: { status: 'active', availability: 'online', $expr: { $lt: ['$openCount', '$capacity'] } } },
          { $project: { _id: 0, openCount: 1 } },
        ],
      },
    },
    { $unwind: '$agent' },
    // rotation order starting right after the cursor: members after it first, then from the start
    { $addFields: { load: '$agent.openCount', wrapped: { $cond: [{ $gt: ['$seq', inbox.cursor] }, 0, 1] } } },
    { $sort: order },
    { $limit: 1 },
    { $project: { agent: 0, load: 0, wrapped: 0 } },
  ];
}
