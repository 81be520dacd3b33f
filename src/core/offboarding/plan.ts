import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Membership, Strategy } from '../model/inbox.js';
import type { PlannedMove } from '../model/offboarding.js';
import { isEligible } from '../routing/eligibility.js';
import { rotateAfter } from '../routing/round-robin.js';

/** A plan with agents resolved to handles. */
export type ResolvedPlan =
  | { kind: 'strategy'; strategy: Strategy }
  | { kind: 'to'; handle: string }
  | { kind: 'ratio' | 'hardcoded'; shares: { handle: string; n: number }[] };

/** What a strategy plan needs to know about an inbox: its rotation and where the cursor is. */
export interface InboxSnapshot {
  cursor: number;
  members: readonly Membership[];
}

export interface PlanInput {
  /** The agent being offboarded: never a receiver. */
  agent: string;
  /** The agent's open conversations (any order; planned oldest first). */
  conversations: readonly Pick<Conversation, 'number' | 'inbox' | 'excluded'>[];
  plan: ResolvedPlan;
  /** Strategy plans: rotation of each inbox involved. */
  inboxes: ReadonlyMap<string, InboxSnapshot>;
  /** Strategy plans: the members' current state (status, availability, load, capacity). */
  agents: ReadonlyMap<string, Pick<Agent, 'handle' | 'status' | 'availability' | 'openCount' | 'capacity'>>;
}

/**
 * Who gets which conversation. Pure: the same snapshot always gives the same plan, so the preview's
 * counts are the outcome when nothing changed meanwhile.
 * - strategy: per inbox, among eligible members (active, online, below capacity, not excluded for
 *   the conversation), round-robin from the inbox's cursor or least-busy; load grows as the plan
 *   hands out conversations. Nobody eligible: queued (to = null).
 * - to: all to one agent. ratio: each agent up to N per round, in the order listed, until all are
 *   placed. hardcoded: each agent up to N once; the rest queued. Explicit plans ignore capacity.
 */
export function planMoves(input: PlanInput): PlannedMove[] {
  const convs = [...input.conversations].sort((a, b) => a.number - b.number);
  const { plan } = input;
  switch (plan.kind) {
    case 'to':
      return convs.map((c) => ({ conversation: c.number, inbox: c.inbox, to: plan.handle }));
    case 'ratio':
      return planRatio(convs, plan.shares);
    case 'hardcoded':
      return planHardcoded(convs, plan.shares);
    case 'strategy':
      return planStrategy(input, convs, plan.strategy);
  }
}

type Conv = PlanInput['conversations'][number];

function planRatio(convs: readonly Conv[], shares: readonly { handle: string; n: number }[]): PlannedMove[] {
  const round: string[] = shares.flatMap((s) => Array<string>(s.n).fill(s.handle));
  if (round.length === 0) return convs.map((c) => ({ conversation: c.number, inbox: c.inbox, to: null }));
  return convs.map((c, i) => ({ conversation: c.number, inbox: c.inbox, to: round[i % round.length]! }));
}

function planHardcoded(convs: readonly Conv[], shares: readonly { handle: string; n: number }[]): PlannedMove[] {
  const slots: string[] = shares.flatMap((s) => Array<string>(s.n).fill(s.handle));
  return convs.map((c, i) => ({ conversation: c.number, inbox: c.inbox, to: slots[i] ?? null }));
}

function planStrategy(input: PlanInput, convs: readonly Conv[], strategy: Strategy): PlannedMove[] {
  // simulated load: grows as the plan hands out conversations
  const load = new Map<string, number>();
  for (const a of input.agents.values()) load.set(a.handle, a.openCount);
  const pointer = new Map<string, number>(); // inbox → index into its rotation
  const rotations = new Map<string, Membership[]>();
  const rotationOf = (inbox: string): Membership[] => {
    let r = rotations.get(inbox);
    if (!r) {
      const snap = input.inboxes.get(inbox);
      r = snap ? rotateAfter(snap.members, snap.cursor).filter((m) => m.handle !== input.agent) : [];
      rotations.set(inbox, r);
      pointer.set(inbox, 0);
    }
    return r;
  };
  const eligible = (handle: string, excluded: ReadonlySet<string>): boolean => {
    const a = input.agents.get(handle);
    return a !== undefined && isEligible({ ...(a as Agent), openCount: load.get(handle) ?? a.openCount }, excluded);
  };

  return convs.map((c) => {
    const rotation = rotationOf(c.inbox);
    const excluded = new Set([...c.excluded, input.agent]);
    let pick: number | null = null;
    if (strategy === 'round-robin') {
      const start = pointer.get(c.inbox)!;
      for (let k = 0; k < rotation.length; k++) {
        const idx = (start + k) % rotation.length;
        if (eligible(rotation[idx]!.handle, excluded)) {
          pick = idx;
          break;
        }
      }
      if (pick !== null) pointer.set(c.inbox, (pick + 1) % rotation.length);
    } else {
      let best = Infinity;
      rotation.forEach((m, idx) => {
        const l = load.get(m.handle) ?? Infinity;
        if (l < best && eligible(m.handle, excluded)) {
          best = l;
          pick = idx;
        }
      });
    }
    if (pick === null) return { conversation: c.number, inbox: c.inbox, to: null };
    const handle = rotation[pick]!.handle;
    load.set(handle, (load.get(handle) ?? 0) + 1);
    return { conversation: c.number, inbox: c.inbox, to: handle };
  });
}

/** Receivers with their counts, most first (ties in order of first appearance), and the queued count. */
export function countPlan(moves: readonly PlannedMove[]): { receivers: { handle: string; count: number }[]; queued: number } {
  const counts = new Map<string, number>();
  let queued = 0;
  for (const m of moves) {
    if (m.to === null) queued++;
    else counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  }
  const receivers = [...counts].map(([handle, count]) => ({ handle, count }));
  receivers.sort((a, b) => b.count - a.count); // stable: ties keep first appearance
  return { receivers, queued };
}
