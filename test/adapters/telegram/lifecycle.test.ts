import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../../adapters/telegram/index.js';
import { startFakeTelegramApi } from '../../fakes/telegram-api.js';
import { eventually, RecordingCore, RecordingLogger, RecordingMetrics, startHarness, type Harness } from './harness.js';
import { alice, textUpdate } from './telegram-updates.js';

describe('Telegram adapter: start and stop', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('publishes the command menu with setMyCommands at start', async () => {
    h = await startHarness();
    const [call] = h.api.callsOf('setMyCommands');
    const names = (call?.params.commands as { command: string }[]).map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(['transfer', 'unassign', 'claim', 'close', 'mine', 'queue', 'available', 'away', 'offline', 'agents', 'pause', 'resume', 'offboard', 'reinstate', 'help']));
    expect(names.every((name) => /^[a-z0-9_]{1,32}$/.test(name))).toBe(true);
  });

  it('registers $PUBLIC_URL/telegram/webhook with the secret token when PUBLIC_URL is set', async () => {
    h = await startHarness({ publicUrl: 'https://support.example.com/' });
    const [call] = h.api.callsOf('setWebhook');
    expect(call?.params).toMatchObject({ url: 'https://support.example.com/telegram/webhook', secret_token: 'webhook-secret_0123456789' });
    expect(call?.params.allowed_updates).toEqual(['message', 'callback_query']);
  });

  it('does not touch the webhook registration without PUBLIC_URL', async () => {
    h = await startHarness();
    expect(h.api.callsOf('setWebhook')).toHaveLength(0);
    expect(h.api.callsOf('deleteWebhook')).toHaveLength(0);
  });

  it('builds the /start deep link once it knows the bot', async () => {
    h = await startHarness({ start: false });
    expect(h.adapter.startLink('AbC123')).toBeNull();
    await h.adapter.start();
    expect(h.adapter.startLink('AbC123')).toBe('https://t.me/switchboard_test_bot?start=AbC123');
  });

  it('keeps the path prefix of TELEGRAM_API_ROOT, with or without a trailing slash', async () => {
    h = await startHarness({ apiOptions: { prefix: '/tg-proxy/v1' } });
    expect(h.api.callsOf('getMe')).toHaveLength(1);
    await h.close();
    h = await startHarness({ apiOptions: { prefix: '/tg-proxy/v1' }, apiRoot: (api) => `${api.apiRoot}/` });
    expect(h.api.callsOf('setMyCommands')).toHaveLength(1);
  });

  it('stops the start with a message naming the variable when the token is refused', async () => {
    const api = await startFakeTelegramApi({ token: '1:right' });
    const adapter = createTelegramAdapter({
      token: '1:wrong',
      apiRoot: api.apiRoot,
      core: new RecordingCore().asApi(),
      logger: new RecordingLogger(),
      metrics: new RecordingMetrics(),
    });
    try {
      await expect(adapter.start()).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
      expect(api.callsOf('setMyCommands')).toHaveLength(0);
    } finally {
      await adapter.stop();
      await api.close();
    }
  });

  it('keeps running when the Bot API is unreachable at start, and says so in the log', async () => {
    h = await startHarness({ start: false, apiRoot: () => 'http://127.0.0.1:9' });
    await expect(h.adapter.start()).resolves.toBeUndefined();
    expect(h.logger.lines.find((l) => l.level === 'warn')?.message).toBe('Telegram start failed');
  });

  describe('long polling (no webhook secret)', () => {
    it('has no router, drops the webhook and receives updates through getUpdates', async () => {
      h = await startHarness({ webhook: false });
      expect(h.adapter.router).toBeNull();
      await h.api.waitForCall('getUpdates', (p) => Number(p.timeout) > 0);
      expect(h.api.callsOf('deleteWebhook')).toHaveLength(1);
      const update = h.api.enqueueUpdate(textUpdate(alice, 'Hello from polling'));
      const harness = h;
      const event = await eventually(() => harness.core.events[0], 3_000, 'core received the update');
      expect(event).toMatchObject({ deliveryId: `telegram:${update.update_id}`, kind: 'message', text: 'Hello from polling' });
    });

    it('does not start polling when stopped while the start was still waiting for the Bot API', async () => {
      h = await startHarness({ webhook: false, start: false });
      h.api.delayOnce('getMe', 300);
      const starting = h.adapter.start();
      await h.adapter.stop();
      await starting;
      await new Promise((r) => setTimeout(r, 500));
      expect(h.api.callsOf('getUpdates')).toHaveLength(0);
      expect(h.api.callsOf('setMyCommands')).toHaveLength(0);
    });

    it('confirms handled updates so they are not fetched again, and stops promptly', async () => {
      h = await startHarness({ webhook: false });
      h.api.enqueueUpdate(textUpdate(alice, 'one'));
      h.api.enqueueUpdate(textUpdate(alice, 'two'));
      const harness = h;
      await eventually(() => harness.core.events.length === 2, 3_000, 'both updates handled');
      const started = Date.now();
      await h.adapter.stop();
      expect(Date.now() - started).toBeLessThan(2_000);
      // After the stop, getUpdates was called with an offset past both updates.
      const last = h.api.callsOf('getUpdates').at(-1);
      const ids = harness.core.events.map((e) => Number(e.deliveryId.split(':')[1]));
      expect(Number(last?.params.offset)).toBe(Math.max(...ids) + 1);
      expect(harness.core.events.map((e) => e.text)).toEqual(['one', 'two']);
    });
  });
});
