import type { Model } from 'mongoose';
import type { Inbox, Picked } from '../../core/index.js';
import type { AgentRepo } from './agent-repo.js';
import type { InboxDoc, MembershipDoc } from './documents.js';
import { op } from './filters.js';
import type { KeyLock } from './key-lock.js';
import { toAgent, toMembership } from './mappers.js';
import type { MemberCopies } from './member-copies.js';

/**
 * Each try is a fixed number of operations; a try is lost only to another process moving the
 * cursor, or to a copy of an agent that turned out stale (then mended before the next try).
 */
const MAX_TRIES = 24;
/**
 * After this many tries lost to other processes moving the cursor, the cursor is set without the
 * compare: a pick then risks a turn of the rotation, never leaving a conversation queued while an
 * agent has room.
 */
const STRICT_TRIES = 16;

export interface PickDeps {
  inboxes: Model<InboxDoc>;
  memberships: Model<MembershipDoc>;
  agents: AgentRepo;
  copies: MemberCopies;
  /** Picks of one inbox in this process take turns (see KeyLock). */
  lock: KeyLock;
}

/**
 * Routing's pick on MongoDB, in a fixed number of operations whatever the size of the inbox:
 *
 * 1. read the inbox (strategy, cursor);
 * 2. choose through an index on the inbox's memberships, which carry a copy of each agent's
 *    routing fields (`ready`, `load`): round-robin, the first ready member after the cursor in
 *    rotation order (else the first from the start); least-busy, the lowest load, ties by the
 *    same rotation — one index entry read, two at most;
 * 3. move the cursor to the choice only while it is still where step 1 read it (another process
 *    picking in the same inbox makes this try start over, so no two picks choose from one cursor;
 *    see STRICT_TRIES);
 * 4. reserve the slot on the agent document, conditionally (active, online, below capacity and,
 *    for least-busy, at the load that was compared), and publish the new load to the copies.
 *
 * Picks of one inbox in this process take turns, so they never lose tries to each other: the
 * operations per pick stay the same however many routings run at once.
 */
export function pickAgent(deps: PickDeps, name: string, excluded: readonly string[]): Promise<Picked | null> {
  return deps.lock.run(`pick:${name}`, () => pickInTurn(deps, name, excluded));
}

async function pickInTurn(deps: PickDeps, name: string, excluded: readonly string[]): Promise<Picked | null> {
  await deps.copies.mendUnpublished();
  const skip = [...new Set(excluded)];
  let lost = 0;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const inbox = await deps.inboxes.findOne({ name }).lean<Inbox>();
    if (!inbox) return null;
    const candidate = inbox.strategy === 'least-busy' ? await leastBusy(deps.memberships, inbox, skip) : await nextInRotation(deps.memberships, inbox, skip);
    if (!candidate) return null;
    const strict = lost < STRICT_TRIES;
    const moved = await deps.inboxes.updateOne(strict ? { name, cursor: inbox.cursor } : { name }, { $set: { cursor: candidate.seq } });
    if (moved.matchedCount === 0) {
      if (strict) lost++;
      // a pause of a millisecond or two, different each time, so that two processes do not meet again
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      continue;
    }
    const expected = inbox.strategy === 'least-busy' ? candidate.load : undefined;
    const agent = await deps.agents.reserve(candidate.handle, { requireOnline: true, ignoreCapacity: false }, expected);
    if (!agent) {
      // The copy was stale (the agent filled up, left, or its load changed): mend it and try again.
      await deps.copies.refresh(candidate.handle);
      continue;
    }
    return { membership: toMembership(candidate), agent: toAgent(agent) };
  }
  return null;
}

function ready(inbox: Inbox, skip: string[]) {
  return { inbox: inbox.name, ready: true, ...(skip.length > 0 ? { handle: op({ $nin: skip }) } : {}) };
}

/** The first ready member after the cursor in rotation order, else the first from the start. */
async function nextInRotation(memberships: Model<MembershipDoc>, inbox: Inbox, skip: string[]): Promise<MembershipDoc | null> {
  const after = await memberships
    .findOne({ ...ready(inbox, skip), seq: op({ $gt: inbox.cursor }) })
    .sort({ seq: 1 })
    .lean<MembershipDoc>();
  return after ?? (await memberships.findOne(ready(inbox, skip)).sort({ seq: 1 }).lean<MembershipDoc>());
}

/** The ready member with the lowest load; among equals, the first after the cursor in rotation order. */
async function leastBusy(memberships: Model<MembershipDoc>, inbox: Inbox, skip: string[]): Promise<MembershipDoc | null> {
  const lowest = await memberships.findOne(ready(inbox, skip)).sort({ load: 1, seq: 1 }).lean<MembershipDoc>();
  // `lowest` is the first of its load in rotation order: after the cursor it is also the first after it.
  if (!lowest || lowest.seq > inbox.cursor) return lowest;
  const after = await memberships
    .findOne({ ...ready(inbox, skip), load: lowest.load ?? 0, seq: op({ $gt: inbox.cursor }) })
    .sort({ seq: 1 })
    .lean<MembershipDoc>();
  return after ?? lowest;
}
