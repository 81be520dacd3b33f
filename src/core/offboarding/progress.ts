import { afterDelay, type Clock } from '../ports/clock.js';
import type { Offboarding } from '../model/offboarding.js';

/** An offboarding that runs longer than this tells the supervisor that it is working. */
export const WORKING_NOTICE_AFTER_MS = 2000;

/** "Offboarding @alex: handing over 104 conversations…" */
export function workingLine(record: Offboarding): string {
  const n = record.plan.length;
  const what = n === 0 ? 'taking them out of their inboxes' : `handing over ${n} ${n === 1 ? 'conversation' : 'conversations'}`;
  return `Offboarding @${record.agent}: ${what}… The summary follows when it is done.`;
}

export interface SlowWatch {
  /** Cancels the notice if it has not gone yet, and waits for it if it is on its way. */
  stop(): Promise<void>;
}

/**
 * Calls `tell` once if the work it watches is still running `ms` from now (on the core's clock, so
 * tests move time instead of waiting). `tell` failing never fails the work.
 */
export function watchSlow(clock: Clock, ms: number, tell: () => unknown): SlowWatch {
  let sending: Promise<unknown> | null = null;
  const cancel = afterDelay(clock, ms, () => {
    sending = Promise.resolve()
      .then(tell)
      .catch(() => undefined);
  });
  return {
    async stop() {
      cancel();
      await sending;
    },
  };
}
