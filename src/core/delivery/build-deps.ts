import type { CoreDeps, SwitchboardDeps } from '../deps.js';
import { Courier } from './courier.js';
import { recordSent, resolveThread, tellGivenUp } from './deliver.js';

/** The core's dependencies with the outbox every message goes through. */
export function buildCoreDeps(input: SwitchboardDeps): CoreDeps {
  const { pace, giveUpAfterMs, ...base } = input;
  // links of what was sent need not wait to be durable: the courier marks a message sent after linking it, so a
  // crash that loses a link loses the mark too, and the message is sent (and linked) again
  const bookkeeping = { ...base, store: base.store.deferred() };
  const deps: CoreDeps = {
    ...base,
    courier: new Courier({
      store: base.store,
      channels: base.channels,
      clock: base.clock,
      logger: base.logger,
      metrics: base.metrics,
      pace,
      giveUpAfterMs,
      resolve: (message) => resolveThread(base, message),
      onSent: (message, sent) => recordSent(bookkeeping, message, sent),
      onGiveUp: (given) => tellGivenUp(deps, given),
    }),
  };
  return deps;
}
