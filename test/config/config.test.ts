import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('runs on defaults with an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      logLevel: 'info',
      logFormat: undefined,
      sendPacing: true,
      mongodbConnectTimeoutMs: 10_000,
      adminToken: undefined,
      mongodbUri: undefined,
      dataDir: './data',
      publicUrl: undefined,
      telegram: undefined,
      slack: undefined,
      agendaProcessEveryMs: 1000,
    });
  });

  it('keeps the embedded store in DATA_DIR, or nothing with :memory:', () => {
    expect(loadConfig({ DATA_DIR: ' /var/lib/switchboard ' }).dataDir).toBe('/var/lib/switchboard');
    expect(loadConfig({ DATA_DIR: ':memory:' }).dataDir).toBe(':memory:');
    expect(loadConfig({ DATA_DIR: '' }).dataDir).toBe('./data');
  });

  it('reads platforms and trims a trailing slash of PUBLIC_URL', () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABC-def_1',
      TELEGRAM_WEBHOOK_SECRET: 's3cret-0123456789abcdef',
      PUBLIC_URL: 'https://bot.example.com/',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'abc',
    });
    expect(c.telegram).toEqual({ token: '123456:ABC-def_1', webhookSecret: 's3cret-0123456789abcdef', apiRoot: undefined });
    expect(c.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 'abc', apiUrl: undefined });
    expect(c.publicUrl).toBe('https://bot.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: PORT must be a port number from 0 to 65535'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: LOG_LEVEL must be one of'],
    [{ MONGODB_URI: 'localhost:27017' }, 'MONGODB_URI: MONGODB_URI must start with mongodb://'],
    [{ TELEGRAM_BOT_TOKEN: 'nope' }, 'TELEGRAM_BOT_TOKEN: TELEGRAM_BOT_TOKEN must look like'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN: ADMIN_TOKEN must be at least 16 characters'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET: set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET'],
    [{ TELEGRAM_WEBHOOK_SECRET: 'abcdefghijklmnop' }, 'TELEGRAM_WEBHOOK_SECRET: set TELEGRAM_BOT_TOKEN too'],
    [{ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 'x' }, 'TELEGRAM_WEBHOOK_SECRET: TELEGRAM_WEBHOOK_SECRET must be 16-256 characters'],
    [{ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 'sixteen-chars-but+plus' }, 'TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z'],
    [{ ADMIN_TOKEN: 'change-me-to-a-long-secret' }, 'ADMIN_TOKEN: ADMIN_TOKEN is the example value from the README'],
    [{ AGENDA_PROCESS_EVERY_MS: '5' }, 'AGENDA_PROCESS_EVERY_MS: AGENDA_PROCESS_EVERY_MS must be'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT: LOG_FORMAT must be pretty or json'],
    [{ SEND_PACING: 'no' }, 'SEND_PACING: SEND_PACING must be on or off'],
    [{ MONGODB_CONNECT_TIMEOUT_MS: '10s' }, 'MONGODB_CONNECT_TIMEOUT_MS: MONGODB_CONNECT_TIMEOUT_MS must be a whole number'],
    [{ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 'secret-0123456789', PUBLIC_URL: 'http://bot.example.com' }, 'PUBLIC_URL: Telegram only delivers webhooks to https://'],
  ])('stops on %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('SEND_PACING', () => {
  it('keeps to the platforms\' rates unless it is off', () => {
    expect(loadConfig({}).sendPacing).toBe(true);
    expect(loadConfig({ SEND_PACING: 'on' }).sendPacing).toBe(true);
    expect(loadConfig({ SEND_PACING: 'off' }).sendPacing).toBe(false);
  });
});
