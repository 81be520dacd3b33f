/** Structured logging; fields follow the operator conventions (conversation, agent, inbox, platform). */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export type CounterName =
  | 'conversations_opened'
  | 'conversations_assigned'
  | 'conversations_queued'
  | 'commands'
  | 'deliveries_failed'
  | 'redirects'
  | 'errors'
  | 'load_corrections'
  | 'timer_repairs'
  | 'outbox_resumed'
  | 'outbox_delivered_late'
  | 'outbox_digests'
  | 'outbox_given_up'
  | 'intake_replayed'
  | 'updates_malformed';

/** Counters and the routing latency histogram; implemented with prom-client in src/http. */
export interface Metrics {
  inc(name: CounterName, labels?: Record<string, string>, by?: number): void;
  observeRouting(seconds: number): void;
}

export const noMetrics: Metrics = { inc() {}, observeRouting() {} };
