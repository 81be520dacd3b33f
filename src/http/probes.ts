import { Router } from 'express';
import type { Logger } from '../core/index.js';
import type { PromMetrics } from './metrics.js';

const READY_TIMEOUT_MS = 5_000;

/** `ready()` with a deadline: a hanging store check must not hang the probe. */
async function checkReady(ready: () => Promise<boolean>, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return (await Promise.race([ready(), timeout])) === true;
  } catch (error) {
    logger.warn({ err: error }, 'readiness check failed');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz (process up), GET /readyz (store and scheduler ready, else 503; names each platform's
 * state, which does not change the status: a platform that is down is not a reason to restart), GET /metrics.
 */
export function createProbeRouter(opts: {
  ready: () => Promise<boolean>;
  platforms?: (() => Record<string, unknown>) | undefined;
  metrics: PromMetrics;
  logger: Logger;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await checkReady(opts.ready, opts.logger);
    res
      .set('Cache-Control', 'no-store')
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', platforms: opts.platforms?.() ?? {} });
  });
  router.get('/metrics', async (_req, res) => {
    const text = await opts.metrics.text();
    res.set('Content-Type', opts.metrics.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return router;
}
