import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * For pages a person opens in a browser (the jobs dashboard): `Authorization: Bearer <token>`, or
 * HTTP Basic with the token as the password (any user name), so the browser asks for it.
 */
export function requireTokenOrBasic(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1];
    const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header)?.[1];
    const password = basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8').replace(/^[^:]*:/, '');
    const given = bearer ?? password;
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Basic realm="switchboard jobs", charset="UTF-8"');
    res.set('Cache-Control', 'no-store');
    res.status(401).type('text/plain').send('The jobs dashboard needs the admin token: give any user name and ADMIN_TOKEN as the password, or send "Authorization: Bearer <ADMIN_TOKEN>".\n');
  };
}

/** Why a request to the admin API was refused, in one line that says what to send. */
function refusal(header: string | undefined, given: string | undefined): string {
  const send = 'send "Authorization: Bearer <ADMIN_TOKEN>"';
  if (given !== undefined) return `Wrong token: send the ADMIN_TOKEN the server was started with as "Authorization: Bearer <ADMIN_TOKEN>".`;
  if (!header?.trim()) return `Missing token: ${send.replace('send "', 'send the header "')}.`;
  if (/^Bearer(\s|$)/i.test(header.trim())) return `The Authorization header has "Bearer" but not one token after it: ${send}, the token without spaces.`;
  return `The Authorization header lacks "Bearer ": ${send}.`;
}

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
    sendError(res, 401, 'unauthorized', refusal(req.get('authorization'), given));
  };
}
