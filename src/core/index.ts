// Public entry of the core: adapters, http, scheduler and main import from here only.
export * from './model/agent.js';
export * from './model/inbox.js';
export * from './model/conversation.js';
export * from './model/history.js';
export * from './model/offboarding.js';
export * from './ports/store.js';
export * from './ports/durable.js';
export * from './ports/inbound.js';
export * from './ports/outbound.js';
export * from './ports/capabilities.js';
export * from './ports/scheduler.js';
export * from './ports/clock.js';
export * from './ports/telemetry.js';
export * from './errors.js';
export * from './api.js';
export { Switchboard } from './switchboard.js';
export { randomCode, type CoreDeps, type ChannelRegistry, type SwitchboardDeps } from './deps.js';
export { buildCoreDeps } from './delivery/build-deps.js';
export { Courier, forDelivery, type DeliveryResult, type GivenUp } from './delivery/courier.js';
export {
  retryBounded,
  reconnectDelayMs,
  DEFAULT_RECONNECT_BACKOFF,
  type ReconnectBackoff,
  type RetryBudget,
  type RetryJudgement,
} from './delivery/bounded-retry.js';
export { CATALOGUE as commandCatalogue } from './features.js';
export { usageLine, type CommandCatalogue, type CommandInfo, type Audience } from './commands/catalogue.js';
export { splitText } from './delivery/split-text.js';
export { withStatusLine, STATUS_MARK } from './delivery/notices.js';
export { ACTIONS_SHORTCUT } from './commands/conversation-buttons.js';
export { Intake, IntakeClosed, type IntakeHandler, type IntakeGiveUp } from './inbound/intake.js';
