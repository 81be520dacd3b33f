import type { ChannelState, ChannelStateReporter, Logger, Platform } from './core/index.js';

export interface PlatformStateView {
  state: ChannelState;
  /** Why it failed (naming the variable to fix when the platform refused a credential), or how it is connected. */
  detail?: string;
  /** When it entered this state, ISO. */
  since: string;
}

/**
 * Where each platform's connection stands, for /readyz, the `switchboard_platform_state` metric
 * and the log. Adapters get a reporter (`reporter(platform)`) and call it at start and whenever
 * their connection changes at runtime; a transition to `connected` or `failed` is logged once.
 */
export class PlatformStates {
  private readonly states = new Map<Platform, PlatformStateView>();

  constructor(
    private readonly deps: {
      logger: Logger;
      onChange?: (platform: Platform, state: ChannelState) => void;
      now?: () => Date;
    },
  ) {}

  /** Platforms that are configured start `connecting`; the others stay `off`. */
  declare(platform: Platform, state: ChannelState): void {
    this.set(platform, state, undefined, false);
  }

  reporter(platform: Platform): ChannelStateReporter {
    return (state, detail) => this.set(platform, state, detail, true);
  }

  get(platform: Platform): PlatformStateView {
    return this.states.get(platform) ?? { state: 'off', since: new Date(0).toISOString() };
  }

  /** Every declared platform and its state, for /readyz. */
  snapshot(): Record<string, PlatformStateView> {
    return Object.fromEntries(this.states);
  }

  private set(platform: Platform, state: ChannelState, detail: string | undefined, log: boolean): void {
    const before = this.states.get(platform);
    if (before && before.state === state && before.detail === detail) return;
    const view: PlatformStateView = { state, since: (this.deps.now?.() ?? new Date()).toISOString(), ...(detail ? { detail } : {}) };
    this.states.set(platform, view);
    this.deps.onChange?.(platform, state);
    if (!log || before?.state === state) return;
    if (state === 'connected') this.deps.logger.info({ platform, state }, `${platform}: connected${detail ? ` (${detail})` : ''}`);
    else if (state === 'failed') this.deps.logger.error({ platform, state }, `${platform}: failed: ${detail ?? 'unknown reason'}`);
    else this.deps.logger.debug({ platform, state }, `${platform}: ${state}`);
  }
}
