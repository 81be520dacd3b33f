// Public entry of the HTTP layer: probes, metrics and the admin API.
export { createHttpRouter, API_OFF_MESSAGE, type HttpRouterOptions } from './router.js';
export { createErrorHandler, sendResult, sendError, type ErrorBody } from './errors.js';
export { PromMetrics } from './metrics.js';
export type { AdminCore } from './admin-routes.js';
