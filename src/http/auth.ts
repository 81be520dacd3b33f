import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * `Authorization: Bearer <token>`, compared in constant time (both sides hashed first, so the
 * comparison takes the same time whatever the length of the guess).
 */
export function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    const given = match?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="switchboard"');
    sendError(
      res,
      401,
      'unauthorized',
      given === undefined
        ? 'Missing token: send the header "Authorization: Bearer <ADMIN_TOKEN>".'
        : 'Wrong token: send the ADMIN_TOKEN the server was started with as "Authorization: Bearer <ADMIN_TOKEN>".',
    );
  };
}
