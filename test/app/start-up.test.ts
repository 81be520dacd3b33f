import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/core/index.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { postSlashCommand } from '../fakes/slack-requests.js';
import { client } from '../http/serve.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../adapters/slack/harness.js';

const ADMIN = 'start-up-admin-token-0123456789';

/** A Bot API that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, lines };
}

async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('start-up: HTTP first, platforms in the background', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a Bot API that never answers keeps neither health, the admin API nor Slack down, and /readyz shows Telegram connecting then failed', async () => {
    const hanging = await silentServer();
    cleanups.push(hanging.close);
    const slack = await new FakeSlackApi().start();
    cleanups.push(() => slack.close());
    const { logger, lines } = recordingLogger();
    const config: Config = {
      port: 0,
      logLevel: 'silent',
      adminToken: ADMIN,
      agendaProcessEveryMs: 1000,
      telegram: { token: '123456:never-answers', apiRoot: hanging.url },
      slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.url },
    };
    const started = Date.now();
    const built: BuiltApp = await buildApp(config, { logger, platformStartTimeoutMs: 1_500, platformReconnect: { initialMs: 60_000, maxMs: 60_000 } });
    cleanups.push(() => built.close());
    const base = await built.listen(0);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);

    const http = client(base);
    const first = await http('GET', '/readyz');
    expect(first.status).toBe(200);
    expect(first.body.platforms.telegram.state).toBe('connecting');

    // the admin API works while Telegram hangs
    const admin = client(base, ADMIN);
    const created = await admin('POST', '/api/agents', { handle: 'nina', name: 'Nina', slackUserId: 'U0NINA0001', homePlatform: 'slack' });
    expect(created.status).toBe(201);

    // Slack connects and answers its slash commands
    await eventually(async () => (await http('GET', '/readyz')).body.platforms.slack.state === 'connected');
    const mine = await postSlashCommand(`${base}/slack/events`, { secret: SIGNING_SECRET }, { command: '/mine', user_id: 'U0NINA0001', response_url: 'http://127.0.0.1:1/unused' });
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.json)).toMatch(/no open conversations/i);

    // the start-up deadline passes: Telegram is failed, said once in the log
    const failed = await eventually(async () => {
      const ready = await http('GET', '/readyz');
      return ready.body.platforms.telegram.state === 'failed' && ready.body;
    });
    expect(failed.status).toBe('ready');
    expect(failed.platforms.telegram.detail).toMatch(/did not answer within 1500 ms; trying again in 60 s/);
    const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(metrics).toContain('switchboard_platform_state{platform="telegram",state="failed"} 1');
    expect(metrics).toContain('switchboard_platform_state{platform="slack",state="connected"} 1');
    expect(lines.filter((l) => l.message.startsWith('telegram: failed'))).toHaveLength(1);
    expect(lines.some((l) => l.message.startsWith('telegram: connected'))).toBe(false);
  });

  it('reports Telegram connected once the Bot API answers, and logs it once', async () => {
    const api = await new FakeTelegramApi().listen();
    cleanups.push(() => api.close());
    const { logger, lines } = recordingLogger();
    const built = await buildApp(
      { port: 0, logLevel: 'silent', agendaProcessEveryMs: 1000, telegram: { token: api.token, apiRoot: api.apiRoot, webhookSecret: 'start-up-secret-0123' } },
      { logger },
    );
    cleanups.push(() => built.close());
    await built.listen(0);
    await built.started();
    expect(built.platforms()).toMatchObject({ telegram: { state: 'connected', detail: 'webhook as @switchboard_test_bot' }, slack: { state: 'off' } });
    expect(lines.filter((l) => l.message.startsWith('telegram: connected'))).toHaveLength(1);
  });

  it('retries a Bot API that was down with backoff and turns connected when it comes back', async () => {
    const api = await new FakeTelegramApi().listen();
    cleanups.push(() => api.close());
    api.failNext('getMe', { code: 502, description: 'Bad Gateway' });
    const built = await buildApp(
      { port: 0, logLevel: 'silent', agendaProcessEveryMs: 1000, telegram: { token: api.token, apiRoot: api.apiRoot } },
      { platformStartTimeoutMs: 2_000, platformReconnect: { initialMs: 200, maxMs: 400 } },
    );
    cleanups.push(() => built.close());
    await built.listen(0);
    await built.started();
    expect(built.platforms().telegram).toMatchObject({ state: 'failed', detail: 'Bot API 502: Bad Gateway; trying again in 0.2 s' });
    await eventually(async () => built.platforms().telegram?.state === 'connected');
    expect(api.callsOf('getMe').length).toBeGreaterThanOrEqual(2);
  });
});
