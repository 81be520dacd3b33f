import type { Store } from '../ports/store.js';
import { isSupervisor, type Agent, type AgentPatch, type AgentStatus } from '../model/agent.js';
import type { OffboardMode } from '../model/offboarding.js';
import { err, ok, type Result } from '../errors.js';

const RANK: Record<OffboardMode, number> = { suspend: 1, disable: 2, remove: 3 };
const STATUS_RANK: Record<Agent['status'], number> = { active: 0, suspended: 1, disabled: 2, removed: 3 };

export function requireSupervisor(caller: Agent, command: string): Result<true> {
  if (!isSupervisor(caller)) return err('forbidden', `${command} is for supervisors and admins; ask one of them.`);
  return ok(true);
}

async function activeAdminsOtherThan(store: Store, handle: string): Promise<number> {
  let count = 0;
  let after: string | undefined;
  do {
    const page = await store.listAgents({ limit: 500, after });
    for (const a of page.items) if (a.role === 'admin' && a.status === 'active' && a.handle !== handle) count++;
    after = page.next ?? undefined;
  } while (after);
  return count;
}

/**
 * Take an agent out of service (their status goes to `status`), unless they are the last active
 * admin. Two supervisors offboarding the last two admins at once both pass a read-only check, so
 * the rule is enforced after the write: the status changes (conditionally on it still being what
 * was read), then the other active admins are counted, and with none left the change is undone —
 * also conditionally — and refused. Of two such races at least one admin stays active.
 * Returns false when refused.
 */
export async function takeOutOfService(store: Store, target: Agent, patch: AgentPatch & { status: AgentStatus }): Promise<boolean> {
  const taken = await store.updateAgent(target.handle, patch, { status: [target.status] });
  if (!taken || target.role !== 'admin' || target.status !== 'active') return true;
  if ((await activeAdminsOtherThan(store, target.handle)) > 0) return true;
  const restore: AgentPatch = { status: 'active' };
  for (const field of ['telegramUserId', 'telegramUsername', 'slackUserId'] as const) if (field in patch) Object.assign(restore, { [field]: target[field] });
  await store.updateAgent(target.handle, restore, { status: [patch.status] });
  return false;
}

/**
 * May `caller` offboard `target` in this mode? Nobody offboards themselves or the last active admin;
 * a removed agent is gone for good; an offboarding only goes further (suspended → disabled → removed).
 */
export async function checkOffboard(store: Store, caller: Agent, target: Agent, mode: OffboardMode): Promise<Result<true>> {
  const allowed = requireSupervisor(caller, '/offboard');
  if (!allowed.ok) return allowed;
  if (target.handle === caller.handle) return err('forbidden', 'You cannot offboard yourself; ask another supervisor.');
  if (target.status === 'removed') return err('forbidden', `@${target.handle} is removed already and cannot be offboarded again.`);
  if (STATUS_RANK[target.status] >= RANK[mode]) {
    const next = target.status === 'suspended' ? '--disable or --remove' : '--remove';
    return err('nothing_to_do', `@${target.handle} is ${target.status} already; /reinstate @${target.handle} brings them back, ${next} goes further.`);
  }
  if (target.role === 'admin' && target.status === 'active' && (await activeAdminsOtherThan(store, target.handle)) === 0) return lastAdmin(target.handle);
  return ok(true);
}

export const lastAdminText = (handle: string): string => `@${handle} is the last active admin and cannot be offboarded; make someone else admin first.`;

function lastAdmin(handle: string): Result<never> {
  return err('forbidden', lastAdminText(handle));
}
