import type { CoreDeps, SwitchboardDeps } from '../deps.js';
import { Courier } from './courier.js';
import { recordSent, resolveThread, tellGivenUp } from './deliver.js';

/** The core's dependencies with the outbox every message goes through. */
export function buildCoreDeps(input: SwitchboardDeps): CoreDeps {
  const { pace, giveUpAfterMs, ...base } = input;
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
      onSent: (message, sent) => recordSent(base, message, sent),
      onGiveUp: (given) => tellGivenUp(deps, given),
    }),
  };
  return deps;
}
