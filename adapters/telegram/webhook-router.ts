import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { IntakeClosed, type Logger } from '../../src/core/index.js';
import type { TgUpdate } from './classify-update.js';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Constant-time comparison (hashing first makes the time independent of the lengths too). */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export interface WebhookOptions {
  secret: string;
  logger: Logger;
  /** True when too many updates wait: answer 503 so Telegram delivers again later. */
  busy(): boolean;
  /**
   * Hand the update over. With a durable intake it resolves once the update is kept (then 200),
   * rejects with IntakeClosed while stopping (503: Telegram delivers it again later) or when the
   * store did not keep it (500: the same).
   */
  accept(update: TgUpdate): Promise<void>;
}

/**
 * POST /telegram/webhook. Checks the secret header before reading the body (wrong or missing →
 * 401, nothing else happens), keeps the update and answers 200 once it is kept; it is handled
 * afterwards, so a slow platform call never makes Telegram time out and deliver it again, and a
 * crash after the 200 loses nothing. Mount the router at the app root before any global body
 * parser (it parses its own JSON).
 */
export function createWebhookRouter(options: WebhookOptions): express.Router {
  const router = express.Router();
  router.post(
    WEBHOOK_PATH,
    (req, res, next) => {
      if (!secretMatches(req.get(SECRET_HEADER), options.secret)) {
        options.logger.warn({ platform: 'telegram', ip: req.ip }, 'webhook request with a wrong secret token');
        res.status(401).json({ ok: false, error: 'unauthorized' });
        return;
      }
      next();
    },
    express.json({ limit: '2mb', type: () => true }),
    async (req, res) => {
      const update = req.body as TgUpdate | undefined;
      if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) {
        res.status(400).json({ ok: false, error: 'not a Telegram update' });
        return;
      }
      if (options.busy()) {
        options.logger.warn({ platform: 'telegram', update: update.update_id }, 'webhook busy, update deferred');
        res.status(503).set('Retry-After', '1').json({ ok: false, error: 'busy' });
        return;
      }
      try {
        await options.accept(update);
      } catch (error) {
        if (error instanceof IntakeClosed) {
          res.status(503).set('Retry-After', '5').json({ ok: false, error: 'stopping' });
          return;
        }
        options.logger.error(
          { source: 'telegram', platform: 'telegram', update: update.update_id, error: error instanceof Error ? error.message : String(error) },
          'update not kept; Telegram will deliver it again',
        );
        res.status(500).json({ ok: false, error: 'update not kept' });
        return;
      }
      res.status(200).json({ ok: true });
    },
  );
  // A body that is not JSON: say so here instead of leaving it to the app's error handler.
  router.use(WEBHOOK_PATH, (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if ((error as { type?: string }).type === 'entity.parse.failed' || (error as { status?: number }).status === 400) {
      res.status(400).json({ ok: false, error: 'body is not JSON' });
      return;
    }
    next(error);
  });
  return router;
}
