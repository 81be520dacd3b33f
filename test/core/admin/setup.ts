import { ManualClock, silentLogger, type Logger, type Result } from '../../../src/core/index.js';
import { AdminService } from '../../../src/core/admin/admin-service.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';

export interface Harness {
  admin: AdminService;
  store: MemoryStore;
  clock: ManualClock;
  agentChanges: string[];
  inboxChanges: string[];
}

export interface HarnessOptions {
  link?: (code: string) => string | null;
  codes?: string[];
  logger?: Logger;
  /** Runs after the change is recorded (e.g. a drain, or a failure). */
  onAgentChanged?: (handle: string, store: MemoryStore) => Promise<void>;
}

export function harness(options: HarnessOptions = {}): Harness {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const agentChanges: string[] = [];
  const inboxChanges: string[] = [];
  const codes = options.codes ? [...options.codes] : undefined;
  const admin = new AdminService({
    store,
    clock,
    logger: options.logger ?? silentLogger,
    onAgentChanged: async (handle) => {
      agentChanges.push(handle);
      await options.onAgentChanged?.(handle, store);
    },
    onInboxChanged: async (name) => void inboxChanges.push(name),
    inviteLink: options.link ?? ((code) => `https://t.me/switchboard_bot?start=${code}`),
    ...(codes ? { newCode: () => codes.shift() ?? 'exhausted' } : {}),
  });
  return { admin, store, clock, agentChanges, inboxChanges };
}

/** The value of an ok result; fails the test with the error otherwise. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error of a failed result as plain data. */
export function failure(result: Result<unknown>): { code: string; field: string | undefined; message: string } {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return { code: result.error.code, field: result.error.field, message: result.error.message };
}
