import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../../../src/app.js';
import { silentLogger } from '../../../../src/core/index.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../../fakes/telegram-api.js';
import { textUpdate } from '../telegram-updates.js';
import { must, person } from './switchboard.js';

describe('Telegram end to end: long polling (no webhook secret)', () => {
  let api: FakeTelegramApi | undefined;
  let built: BuiltApp | undefined;
  afterEach(async () => {
    await built?.close();
    await api?.close();
  });

  it('relays a customer message fetched with getUpdates, and closes promptly', async () => {
    api = await startFakeTelegramApi();
    built = await buildApp(
      { port: 0, logLevel: 'silent', telegram: { token: api.token, apiRoot: api.apiRoot }, agendaProcessEveryMs: 1_000 },
      { logger: silentLogger, pacing: false },
    );
    const base = await built.listen(0);
    await built.started();
    const webhook = await fetch(`${base}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(webhook.ok).toBe(false); // no webhook route in polling mode
    const ann = person('Ann');
    must(await built.core.createAgent({ handle: 'ann', name: 'Ann', telegramUserId: String(ann.id), availability: 'online' }));
    must(await built.core.setMembers('telegram', { handles: ['ann'] }));

    api.enqueueUpdate(textUpdate(person('Alice'), 'hello by polling'));
    const notice = await api.waitForCall('sendMessage', (p) => String(p.chat_id) === String(ann.id));
    expect(notice.params.text).toContain('Alice: hello by polling');

    const started = Date.now();
    await built.close();
    built = undefined;
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
