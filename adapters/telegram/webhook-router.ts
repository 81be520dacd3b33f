import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { IntakeClosed, type Logger } from '../../src/core/index.js';
import type { TgUpdate } from './classify-update.js';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * A constant-time check of the secret header (hashing first makes the time independent of the
 * lengths too); the expected secret is hashed once.
 */
export function secretMatcher(expected: string): (given: string | undefined) => boolean {
  const digest = sha256(expected);
  return (given) => typeof given === 'string' && timingSafeEqual(sha256(given), digest) && given.length === expected.length;
}

const OK = { ok: true };

/** A small JSON answer written directly (Telegram reads only the status; no ETag or content negotiation). */
function reply(res: express.Response, status: number, body: object, retryAfter?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) };
  if (retryAfter) headers['retry-after'] = retryAfter;
  res.writeHead(status, headers).end(text);
}

/** Largest update body taken (Telegram's are far smaller). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request's JSON body, read without a body-parsing framework (one small JSON object per request). */
function readJson(req: express.Request): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(new BodyError(413, 'body too large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyError(413, 'body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')));
      } catch {
        reject(new BodyError(400, 'body is not JSON'));
      }
    });
    req.on('error', reject);
  });
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
 * parser: it reads its own JSON (at most 2 MB, else 413; not JSON → 400).
 */
export function createWebhookRouter(options: WebhookOptions): express.Router {
  const router = express.Router();
  const secretMatches = secretMatcher(options.secret);
  router.post(WEBHOOK_PATH, async (req, res) => {
    if (!secretMatches(req.get(SECRET_HEADER))) {
      options.logger.warn({ platform: 'telegram', ip: req.ip }, 'webhook request with a wrong secret token');
      reply(res, 401, { ok: false, error: 'unauthorized' });
      return;
    }
    let update: TgUpdate | undefined;
    try {
      update = (await readJson(req)) as TgUpdate | undefined;
    } catch (error) {
      const status = error instanceof BodyError ? error.status : 400;
      reply(res, status, { ok: false, error: error instanceof BodyError ? error.message : 'body not read' });
      return;
    }
    if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) {
      reply(res, 400, { ok: false, error: 'not a Telegram update' });
      return;
    }
    if (options.busy()) {
      options.logger.warn({ platform: 'telegram', update: update.update_id }, 'webhook busy, update deferred');
      reply(res, 503, { ok: false, error: 'busy' }, '1');
      return;
    }
    try {
      await options.accept(update);
    } catch (error) {
      if (error instanceof IntakeClosed) {
        reply(res, 503, { ok: false, error: 'stopping' }, '5');
        return;
      }
      options.logger.error(
        { source: 'telegram', platform: 'telegram', update: update.update_id, error: error instanceof Error ? error.message : String(error) },
        'update not kept; Telegram will deliver it again',
      );
      reply(res, 500, { ok: false, error: 'update not kept' });
      return;
    }
    reply(res, 200, OK);
  });
  return router;
}
