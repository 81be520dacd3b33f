import { isSupervisor, PLATFORMS, type Agent } from '../model/agent.js';
import type { Store } from '../ports/store.js';
import { systemTimers, type Timers } from '../ports/clock.js';
import type { CoreDeps } from '../deps.js';
import { agentIdentities } from '../delivery/notices.js';

export const DEFAULT_HOME_DEBOUNCE_MS = 2000;
const SUPERVISOR_PAGE = 500;

/** A write that may change what home views show: the agents it touches; `load` when supervisors' views (queues, load) change too. */
export interface WorkChange {
  agents: readonly (string | null | undefined)[];
  load: boolean;
}

/**
 * Gathers changes to agents' work and, after a short debounce, tells each platform with home views
 * which of its users should see theirs again: the agents touched, and every supervisor when queues
 * or load changed. Changes that arrive while one is pending join it: a busy minute refreshes a
 * view at most once per debounce, and an idle one not at all.
 */
export class HomeFeed {
  private readonly handles = new Set<string>();
  private load = false;
  private timer: unknown = null;
  private stopped = false;
  private readonly timers: Timers;
  private readonly debounceMs: number;

  constructor(private readonly deps: CoreDeps) {
    this.timers = deps.timers ?? systemTimers;
    this.debounceMs = deps.homeDebounceMs ?? DEFAULT_HOME_DEBOUNCE_MS;
  }

  /** Whether any platform shows home views: without one, changes cost nothing. */
  private wanted(): boolean {
    return PLATFORMS.some((p) => typeof this.deps.channels.get(p)?.homeChanged === 'function');
  }

  note(change: WorkChange): void {
    if (this.stopped || !this.wanted()) return;
    for (const handle of change.agents) if (handle) this.handles.add(handle);
    this.load ||= change.load;
    if (this.timer === null) this.timer = this.timers.setTimeout(() => void this.flush(), this.debounceMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const handles = [...this.handles];
    const load = this.load;
    this.handles.clear();
    this.load = false;
    if (this.stopped) return;
    try {
      const agents = new Map<string, Agent>();
      for (const a of await this.deps.store.getAgents(handles)) agents.set(a.handle, a);
      if (load) for (const a of await supervisors(this.deps.store)) agents.set(a.handle, a);
      for (const platform of PLATFORMS) {
        const channel = this.deps.channels.get(platform);
        if (!channel?.homeChanged) continue;
        const ids = [...agents.values()].flatMap((a) => agentIdentities(a).filter((i) => i.platform === platform).map((i) => i.chatId));
        if (ids.length > 0) channel.homeChanged(ids);
      }
    } catch (error) {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'home views not refreshed');
    }
  }
}

async function supervisors(store: Store): Promise<Agent[]> {
  const out: Agent[] = [];
  let after: string | undefined;
  do {
    const page = await store.listAgents({ limit: SUPERVISOR_PAGE, after });
    out.push(...page.items.filter((a) => isSupervisor(a) && a.status === 'active'));
    after = page.next ?? undefined;
  } while (after);
  return out;
}

/** Reads a watched call's arguments (typed per method below) and result. */
type Watch = { watch(args: never, result: unknown): WorkChange | null }['watch'];

const agentsOf = (...handles: (string | null | undefined)[]): WorkChange => ({ agents: handles, load: true });

/** The store writes that change what a home view shows, and whom they touch. */
const WATCHED: Partial<Record<keyof Store, Watch>> = {
  createAgent: ([agent]: [Agent]) => agentsOf(agent.handle),
  updateAgent: ([handle]: [string], result) => (result ? agentsOf(handle) : null),
  reserveSlot: ([handle]: [string], result) => (result ? agentsOf(handle) : null),
  releaseSlot: ([handle]: [string]) => agentsOf(handle),
  setOpenCount: ([handle]: [string], result) => (result ? agentsOf(handle) : null),
  pickAgent: (_args, result) => (result ? agentsOf((result as { agent: Agent }).agent.handle) : null),
  createInbox: () => agentsOf(),
  updateInbox: (_args, result) => (result ? agentsOf() : null),
  deleteInbox: (_args, result) => (result === 'deleted' ? agentsOf() : null),
  addMember: ([, handle]: [string, string]) => agentsOf(handle),
  removeMember: ([, handle]: [string, string], result) => (result ? agentsOf(handle) : null),
  openConversation: (_args, result) => ((result as { created: boolean }).created ? agentsOf() : null),
  updateConversation: ([, condition]: [number, { assignee?: string | null }], result) =>
    result ? agentsOf((result as { assignee: string | null }).assignee, condition.assignee) : null,
  addHistory: ([event]: [{ from: string | null; to: string | null }]) => agentsOf(event.from, event.to),
  // a notice was posted: its thread can now be linked from the agent's own view
  saveThread: ([thread]: [{ handle: string }]) => ({ agents: [thread.handle], load: false }),
};

/** `store`, telling `onChange` after each write that changes what a home view shows. Reads pass through. */
export function watchStore(store: Store, onChange: (change: WorkChange) => void): Store {
  // one wrapper per method function, made on first use (no new function per call; a method
  // replaced on the store later gets its own)
  const wrappers = new WeakMap<object, unknown>();
  let deferred: Store | null = null;
  return new Proxy(store, {
    get(target, prop, receiver) {
      // the deferred view is watched too (it is this same wrapper when the store has none of its own)
      if (prop === 'deferred') {
        return () => {
          const inner = target.deferred();
          if (inner === target) return receiver as Store;
          return (deferred ??= watchStore(inner, onChange));
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const known = wrappers.get(value);
      if (known) return known;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      const watch = WATCHED[prop as keyof Store];
      const wrapper = watch
        ? async (...args: unknown[]) => {
            const result = await bound(...args);
            const change = watch(args as never, result);
            if (change) onChange(change);
            return result;
          }
        : bound;
      wrappers.set(value, wrapper);
      return wrapper;
    },
  });
}
