import { Router } from 'express';
import type { Logger } from '../core/index.js';
import { createAdminRoutes, type AdminCore } from './admin-routes.js';
import { requireBearer } from './auth.js';
import { createErrorHandler, sendError } from './errors.js';
import type { PromMetrics } from './metrics.js';
import { createProbeRouter } from './probes.js';

export interface HttpRouterOptions {
  core: AdminCore;
  /** Unset or empty: the admin API is off and every /api path answers 404. */
  adminToken?: string | undefined;
  ready: () => Promise<boolean>;
  /** Each platform's connection state, named in /readyz. */
  platforms?: () => Record<string, unknown>;
  metrics: PromMetrics;
  logger: Logger;
}

export const API_OFF_MESSAGE = 'The admin API is off: set ADMIN_TOKEN to turn it on.';

/**
 * Probes and metrics at the root, the admin API under /api (JSON parsed only there, after the
 * token check). Mount it on the app root after the platform routers.
 */
export function createHttpRouter(opts: HttpRouterOptions): Router {
  const router = Router();
  router.use(createProbeRouter(opts));

  const api = Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  if (opts.adminToken) {
    api.use(requireBearer(opts.adminToken));
    api.use(createAdminRoutes(opts.core));
  } else {
    api.use((_req, res) => sendError(res, 404, 'not_found', API_OFF_MESSAGE));
  }
  api.use(createErrorHandler(opts));
  router.use('/api', api);
  return router;
}
