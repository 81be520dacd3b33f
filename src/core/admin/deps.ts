import type { Store } from '../ports/store.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/telemetry.js';

/** What the admin use cases need from the outside. */
export interface AdminDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Called after an agent's availability, status, capacity or memberships changed (drains queues). */
  onAgentChanged(handle: string): Promise<void>;
  /** Called after an inbox was resumed, its strategy changed or members joined (drains its queue). */
  onInboxChanged(name: string): Promise<void>;
  /** The bot's `?start=CODE` deep link, or null while no Telegram bot is known. */
  inviteLink(code: string): string | null;
  /** A fresh invite code of the invite format (see invite-code.ts); defaults to its generator. */
  newCode?: () => string;
}

/** Run a queue-draining callback; the admin change is already stored, so a failure is logged, not returned. */
export async function notifyChange(
  deps: AdminDeps,
  kind: 'agent' | 'inbox',
  key: string,
): Promise<void> {
  try {
    if (kind === 'agent') await deps.onAgentChanged(key);
    else await deps.onInboxChanged(key);
  } catch (error) {
    deps.logger.error({ [kind]: key, err: error }, 'draining queues after an admin change failed');
  }
}
