import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/core/index.js';
import { startErrorLine } from '../../src/start-errors.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { MainProcess } from '../support/run-main.js';

/** A server that accepts connections and never answers (a port in use, a MongoDB that hangs). */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: Record<string, unknown>, message: string) => void lines.push({ level, message });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, lines };
}

const base: Config = { port: 0, logLevel: 'silent', agendaProcessEveryMs: 1000 };

describe('start errors: one line naming the variable', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('PORT in use: npm start exits with one line naming PORT', { timeout: 90_000 }, async () => {
    const taken = await silentServer();
    cleanups.push(taken.close);
    const main = new MainProcess({ LOG_FORMAT: 'pretty', PORT: String(taken.port) });
    cleanups.push(() => main.stop());
    expect(await main.exited).toBe(1);
    expect(main.stderr).toEqual([`Switchboard could not start: PORT ${taken.port} is already in use by another program: stop it, or set PORT to a free port.`]);
    // LOG_FORMAT=pretty: readable lines with ISO times, not JSON
    const store = main.stdout.find((l) => l.includes('store: embedded'));
    expect(store).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] INFO: store: embedded/);
  });

  it('MongoDB that does not answer: "connecting to MongoDB…", then one line naming MONGODB_CONNECT_TIMEOUT_MS', async () => {
    const mongo = await silentServer();
    cleanups.push(mongo.close);
    const { logger, lines } = recordingLogger();
    const env = { MONGODB_URI: `mongodb://127.0.0.1:${mongo.port}/switchboard`, MONGODB_CONNECT_TIMEOUT_MS: '500' };
    const started = Date.now();
    const failure = await buildApp({ ...base, mongodbUri: env.MONGODB_URI, mongodbConnectTimeoutMs: 500 }, { logger }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.map((l) => l.message)).toContain('connecting to MongoDB (giving up after 500 ms, MONGODB_CONNECT_TIMEOUT_MS)…');
    const line = startErrorLine(failure, env);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^could not connect to MongoDB at MONGODB_URI=mongodb:\/\/127\.0\.0\.1:\d+\/switchboard .*no answer within 500 ms \(MONGODB_CONNECT_TIMEOUT_MS\)/);
  });

  it('a refused Telegram token: one line naming TELEGRAM_BOT_TOKEN, and the service stays up', async () => {
    const api = await new FakeTelegramApi({ token: '1:right' }).listen();
    cleanups.push(() => api.close());
    const { logger, lines } = recordingLogger();
    const built: BuiltApp = await buildApp({ ...base, telegram: { token: '1:wrong', apiRoot: api.apiRoot } }, { logger });
    cleanups.push(() => built.close());
    const url = await built.listen(0);
    await built.started();
    expect(lines.filter((l) => l.message.includes('TELEGRAM_BOT_TOKEN'))).toEqual([
      { level: 'error', message: 'telegram: failed: TELEGRAM_BOT_TOKEN was refused by the Bot API: copy the token from @BotFather again' },
    ]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(built.platforms().telegram?.state).toBe('failed');
  });

  it('a refused Slack token: one line naming SLACK_BOT_TOKEN, and the service stays up', async () => {
    const slack = await new FakeSlackApi().start();
    cleanups.push(() => slack.close());
    slack.failMethod('auth.test', 'invalid_auth');
    const { logger, lines } = recordingLogger();
    const built = await buildApp({ ...base, slack: { botToken: 'xoxb-refused', signingSecret: 'signing-secret-0123', apiUrl: slack.url } }, { logger });
    cleanups.push(() => built.close());
    const url = await built.listen(0);
    await built.started();
    const named = lines.filter((l) => l.message.includes('SLACK_BOT_TOKEN'));
    expect(named).toHaveLength(1);
    expect(named[0]!.message).toMatch(/^slack: failed: SLACK_BOT_TOKEN was refused by Slack: .*\(slack: invalid_auth\b.*\)$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
