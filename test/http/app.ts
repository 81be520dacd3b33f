import { buildApp, type BuiltApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Clock, Store } from '../../src/core/index.js';
import { client } from './serve.js';

export const TOKEN = 'test-admin-token-0123456789abcdef';

/** The whole app (no platforms connected) listening on a free port. */
export async function startApp(options: { adminToken?: string; store?: Store; clock?: Clock } = {}) {
  const config: Config = {
    port: 0,
    logLevel: 'silent',
    adminToken: 'adminToken' in options ? options.adminToken : TOKEN,
    agendaProcessEveryMs: 1000,
  };
  const built: BuiltApp = await buildApp(config, {
    pacing: false,
    ...(options.store ? { store: options.store } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const base = await built.listen(0);
  await built.started();
  return { built, base, api: client(base, TOKEN), anonymous: client(base) };
}
