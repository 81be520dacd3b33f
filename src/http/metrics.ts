import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  CHANNEL_STATES,
  ERROR_CODES,
  commandCatalogue,
  PLATFORMS,
  type ChannelState,
  type CounterName,
  type Metrics,
  type Platform,
} from '../core/index.js';

const PREFIX = 'switchboard_';

/**
 * Every label value a series may carry. Values come partly from what people send (command names,
 * button data): anything not listed is counted as `other`, so no input can create new series.
 */
const LABEL_VALUES = {
  command: [...commandCatalogue.names(), 'help', 'start', 'other', 'unknown'],
  outcome: ['ok', 'refused', ...ERROR_CODES],
  platform: [...PLATFORMS],
  failure: ['refused', 'unreachable', 'rate-limited', 'no_adapter'],
  source: ['http', 'telegram', 'slack', 'slack_auth', 'scheduler', 'core'],
  direction: ['up', 'down'],
} as const satisfies Record<string, readonly string[]>;
type LabelName = keyof typeof LABEL_VALUES;

const COUNTERS: Record<CounterName, { help: string; labels: readonly LabelName[] }> = {
  conversations_opened: { help: 'Conversations opened by a customer message', labels: [] },
  conversations_assigned: { help: 'Conversations assigned to an agent (routing, transfers, claims, plans)', labels: [] },
  conversations_queued: { help: 'Conversations queued because nobody eligible could take them', labels: [] },
  commands: { help: 'Slash commands handled, by command and outcome', labels: ['command', 'outcome'] },
  deliveries_failed: { help: 'Messages a platform did not accept, by platform and failure', labels: ['platform', 'failure'] },
  redirects: { help: 'Conversations redirected after the response timeout', labels: [] },
  errors: { help: 'Unexpected errors, by source', labels: ['source'] },
  load_corrections: { help: "Agents whose open-conversation count the reconciliation corrected, by direction", labels: ['direction'] },
  timer_repairs: { help: 'Waiting conversations the reconciliation gave back their response timer', labels: [] },
  outbox_resumed: { help: 'Messages left in the outbox (a restart, a stopped process) taken up again', labels: [] },
  outbox_delivered_late: { help: 'Messages delivered on a later try, after a passing failure', labels: ['platform'] },
  outbox_digests: { help: "Digests sent instead of several notices waiting for one agent's chat", labels: ['platform'] },
  outbox_given_up: { help: 'Messages given up after the give-up time (the other side was told)', labels: ['platform'] },
  intake_replayed: { help: 'Acknowledged updates handled at start after a stop or crash', labels: ['platform'] },
  updates_malformed: { help: 'Updates or events that could not be read, by source', labels: ['source'] },
};

/** A declared value as is, anything else `other` (missing: `unknown`). */
function labelValue(label: LabelName, value: string | undefined): string {
  if (value === undefined || value === '') return 'unknown';
  return (LABEL_VALUES[label] as readonly string[]).includes(value) ? value : 'other';
}

/**
 * The Metrics port on prom-client, with its own registry (not the global one), so several
 * instances (tests, two apps in one process) never clash. Default process metrics are prefixed
 * `switchboard_` as well.
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly counters: Record<CounterName, Counter<string>>;
  private readonly routing: Histogram<string>;
  private readonly platformState: Gauge<string>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    const counters = {} as Record<CounterName, Counter<string>>;
    for (const [name, spec] of Object.entries(COUNTERS) as [CounterName, (typeof COUNTERS)[CounterName]][]) {
      counters[name] = new Counter({
        name: `${PREFIX}${name}_total`,
        help: spec.help,
        labelNames: [...spec.labels],
        registers: [this.registry],
      });
    }
    this.counters = counters;
    this.routing = new Histogram({
      name: `${PREFIX}routing_duration_seconds`,
      help: 'Time to route a conversation (pick an agent and assign it)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.platformState = new Gauge({
      name: `${PREFIX}platform_state`,
      help: 'Connection state of each platform: 1 for its current state (connected, connecting, failed, off), 0 for the others',
      labelNames: ['platform', 'state'],
      registers: [this.registry],
    });
    for (const platform of PLATFORMS) this.setPlatformState(platform, 'off');
  }

  inc(name: CounterName, labels: Record<string, string> = {}, by = 1): void {
    const counter = this.counters[name];
    const spec = COUNTERS[name];
    if (!counter || !spec) return;
    if (spec.labels.length === 0) {
      counter.inc(by);
      return;
    }
    const values: Record<string, string> = {};
    for (const label of spec.labels) values[label] = labelValue(label, labels[label]);
    counter.inc(values, by);
  }

  /** A gauge read when /metrics is scraped (e.g. messages waiting in the outbox). */
  gauge(name: string, help: string, read: () => Promise<number> | number): void {
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          // the store did not answer: the gauge keeps its last value
        }
      },
    });
  }

  observeRouting(seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.routing.observe(seconds);
  }

  setPlatformState(platform: Platform, state: ChannelState): void {
    for (const each of CHANNEL_STATES) this.platformState.set({ platform, state: each }, each === state ? 1 : 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
