// Public entry of the core: adapters, http, scheduler and main import from here only.
export * from './model/agent.js';
export * from './model/inbox.js';
export * from './model/conversation.js';
export * from './model/history.js';
export * from './model/offboarding.js';
export * from './ports/store.js';
export * from './ports/inbound.js';
export * from './ports/outbound.js';
export * from './ports/scheduler.js';
export * from './ports/clock.js';
export * from './ports/telemetry.js';
export * from './errors.js';
export * from './api.js';
export { Switchboard } from './switchboard.js';
export { randomCode, type CoreDeps, type ChannelRegistry } from './deps.js';
export { retryBounded, type RetryBudget, type RetryJudgement } from './delivery/bounded-retry.js';
