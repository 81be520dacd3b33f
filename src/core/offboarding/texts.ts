import type { OffboardMode, PlannedMove } from '../model/offboarding.js';
import { MAX_ANSWER_LENGTH } from '../delivery/notices.js';
import { countPlan } from './plan.js';

/** `2026-01-01 09:30 UTC` */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Items joined with `sep`, cut to `budget` characters: what does not fit is summed up as
 * "… and N more". Keeps long lists (10,000 conversation numbers) inside one platform message.
 */
export function joinFit(items: readonly string[], budget: number, sep = ', '): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const piece = (i === 0 ? '' : sep) + items[i]!;
    const rest = items.length - i;
    const tail = `${sep === '\n' ? '\n' : ' '}… and ${rest} more`;
    if (out.length + piece.length > budget - (i === items.length - 1 ? 0 : tail.length)) {
      return `${out}${tail}`;
    }
    out += piece;
  }
  return out;
}

/** "104 conversations: @amanda 50, @mathew 29, @support 25, 0 unassigned" */
export function distributionLine(moves: readonly PlannedMove[], budget = 1500): string {
  const { receivers, queued } = countPlan(moves);
  const noun = moves.length === 1 ? 'conversation' : 'conversations';
  const parts = receivers.map((r) => `@${r.handle} ${r.count}`);
  const list = parts.length ? `${joinFit(parts, budget)}, ` : '';
  return `${moves.length} ${noun}: ${list}${queued} unassigned`;
}

/** Conversation numbers as `#1, #5, #9`, cut to fit. */
export function numberList(numbers: readonly number[], budget: number): string {
  return joinFit(
    numbers.map((n) => `#${n}`),
    budget,
  );
}

export function modeLine(mode: OffboardMode, handle: string, until: Date | undefined): string {
  switch (mode) {
    case 'suspend':
      return until
        ? `Suspend @${handle} until ${formatTime(until)}: access stops now; they come back then (or on /reinstate @${handle}) and get back what is still with whoever took it.`
        : `Suspend @${handle} until /reinstate @${handle}: access stops now; on return they get back what is still with whoever took it.`;
    case 'disable':
      return `Disable @${handle}: access stops now, all data stays; /reinstate @${handle} restores access (conversations stay where they went).`;
    case 'remove':
      return `Remove @${handle}: this cannot be undone. Access stops for good, platform identities are unlinked, history stays.`;
  }
}

export function modeDone(mode: OffboardMode, handle: string, until: Date | undefined): string {
  switch (mode) {
    case 'suspend':
      return `@${handle} is suspended${until ? ` until ${formatTime(until)}` : ' until /reinstate'}.`;
    case 'disable':
      return `@${handle} is disabled.`;
    case 'remove':
      return `@${handle} is removed.`;
  }
}

/** Room left in one message after the fixed lines. */
export function budgetFor(fixed: readonly string[]): number {
  const used = fixed.reduce((n, l) => n + l.length + 1, 0);
  return Math.max(200, MAX_ANSWER_LENGTH - used - 50);
}
