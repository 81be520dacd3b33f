import type { Platform } from './model/agent.js';
import type { ChannelAdapter } from './ports/outbound.js';
import { PLAIN_CAPABILITIES, type ChannelCapabilities } from './ports/capabilities.js';
import type { Clock, Timers } from './ports/clock.js';
import type { Scheduler } from './ports/scheduler.js';
import type { Store } from './ports/store.js';
import type { Logger, Metrics } from './ports/telemetry.js';
import type { Courier } from './delivery/courier.js';

/** Adapters by platform; filled in by the composition root once the adapters exist. */
export interface ChannelRegistry {
  get(platform: Platform): ChannelAdapter | undefined;
}

export interface CoreDeps {
  store: Store;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  channels: ChannelRegistry;
  /** Timers for debounced work (App Home refreshes); real timers when left out. */
  timers?: Timers | undefined;
  /** How long changes gather before the home views of the agents they touch are refreshed (default 2 s). */
  homeDebounceMs?: number | undefined;
  /** A fresh random code (invites, offboarding confirmations). */
  newCode(length?: number): string;
  /** The deep link that starts the Telegram bot with a code, when the bot is known. */
  inviteLink(code: string): string | null;
  /** The outbox every message goes through (built by Switchboard). */
  courier: Courier;
}

/** What Switchboard is built from: the deps without the outbox it builds itself, and how that sends. */
export type SwitchboardDeps = Omit<CoreDeps, 'courier'> & {
  /** Keep to the platforms' send rates (default true; tests without a fake clock turn it off). */
  pace?: boolean | undefined;
  /** How long an undelivered message is tried again before it is given up (default a day). */
  giveUpAfterMs?: number | undefined;
};

/** The capabilities the platform's adapter declares (plain messages when it has none). */
export function capabilitiesOf(deps: Pick<CoreDeps, 'channels'>, platform: Platform): ChannelCapabilities {
  return deps.channels.get(platform)?.capabilities ?? PLAIN_CAPABILITIES;
}

/** Letters and digits nobody mistakes for one another (no I, O, 0, 1). */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Random code from the Web Crypto global (unambiguous letters and digits). */
export function randomCode(length = 8): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += CODE_ALPHABET[b % CODE_ALPHABET.length]; // 256 is a multiple of 32: uniform
  return out;
}
