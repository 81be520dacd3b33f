// The Telegram webhook keeps an update before it answers 200: a crash right after the answer loses
// nothing (the next start handles it), a store that cannot keep it makes the answer 500 (Telegram
// delivers again), a stopping Switchboard answers 503, a malformed update is logged and counted,
// and a stop keeps to its deadline while a handling hangs. Real telegraf against the fake Bot API.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Logger, Store } from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.js';
import { textUpdate, type Person } from '../adapters/telegram/telegram-updates.js';
import { faultyStore, wrapStore } from '../support/store-wrappers.js';

const SECRET = 'intake-secret-0123456789abcdef';
const ANN = 7101;
const carol: Person = { id: 9101, first_name: 'Carol' };

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Logged {
  level: string;
  fields: Record<string, unknown>;
  msg: string;
}
function recordingLogger(): { logger: Logger; lines: Logged[] } {
  const lines: Logged[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => void lines.push({ level, fields, msg });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') }, lines };
}

async function start(api: FakeTelegramApi, store: Store, logger?: Logger): Promise<{ built: BuiltApp; base: string }> {
  const config: Config = {
    port: 0,
    logLevel: 'silent',
    telegram: { token: api.token, webhookSecret: SECRET, apiRoot: api.apiRoot },
    agendaProcessEveryMs: 1_000,
  };
  // a short lane lease: the crashed process's hold on the chat runs out quickly
  const built = await buildApp(config, { store, pacing: false, intakeSweepMs: 200, intakeLeaseMs: 500, ...(logger ? { logger } : {}) });
  const base = await built.listen(0);
  await built.started();
  return { built, base };
}

function post(base: string, update: object): Promise<Response> {
  return fetch(`${base}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
}

async function withAgent(store: MemoryStore): Promise<void> {
  const now = new Date();
  await store.createAgent({
    handle: 'ann',
    name: 'Ann',
    role: 'agent',
    status: 'active',
    availability: 'online',
    capacity: 5,
    openCount: 0,
    homePlatform: 'telegram',
    telegramUserId: String(ANN),
    createdAt: now,
  } as Parameters<MemoryStore['createAgent']>[0]);
}

describe('the Telegram webhook keeps what it acknowledges', () => {
  it('an update acknowledged just before a crash is handled at the next start', async () => {
    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const inner = new MemoryStore();
    let hang = false;
    // the first process hangs inside the handling (as if it died there): nothing after the 200 happens
    const hanging = wrapStore(inner, (method, call) => (method === 'findAgentByIdentity' ? (...args) => (hang ? new Promise(() => {}) : call(...args)) : undefined));
    const first = await start(api, hanging);
    await withAgent(inner);
    await first.built.core.setMembers('telegram', { handles: ['ann'] });
    hang = true;
    expect((await post(first.base, textUpdate(carol, 'My parcel never came'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(api.delivered(ANN)).toEqual([]);
    expect(await inner.countIntake()).toBe(1);
    // the stop keeps to its deadline although the handling never ends; the update stays kept
    const stopping = Date.now();
    await first.built.close(1_000);
    expect(Date.now() - stopping).toBeLessThan(2_500);
    expect(await inner.countIntake()).toBe(1);

    const second = await start(api, inner);
    cleanups.push(() => second.built.close(1_000));
    await api.waitUntil(() => api.delivered(ANN).some((t) => t.includes('My parcel never came')), 5_000, 'the kept update was not handled');
    expect(api.delivered(ANN).filter((t) => t.includes('My parcel never came'))).toHaveLength(1);
    await expect.poll(() => inner.countIntake()).toBe(0);
    const metrics = await (await fetch(`${second.base}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_intake_replayed_total\{platform="telegram"\} 1/);
  });

  it('answers 500 when the store cannot keep the update, so Telegram delivers it again; the redelivery is handled once', async () => {
    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const inner = new MemoryStore();
    let refuse = true;
    const { built, base } = await start(api, faultyStore(inner, (method) => refuse && method === 'saveIntake'));
    cleanups.push(() => built.close(1_000));
    await withAgent(inner);
    await built.core.setMembers('telegram', { handles: ['ann'] });
    const update = textUpdate(carol, 'Is anyone there?');
    expect((await post(base, update)).status).toBe(500);
    refuse = false;
    expect((await post(base, update)).status).toBe(200);
    expect((await post(base, update)).status).toBe(200); // a second redelivery: kept already / handled
    await api.waitUntil(() => api.delivered(ANN).some((t) => t.includes('Is anyone there?')), 5_000, 'not relayed');
    await new Promise((r) => setTimeout(r, 300));
    expect(api.delivered(ANN).filter((t) => t.includes('Is anyone there?'))).toHaveLength(1);
  });

  it('answers 503 while stopping: Telegram keeps the update and delivers it again later', async () => {
    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const { built, base } = await start(api, new MemoryStore());
    cleanups.push(() => built.close(1_000));
    await built.intake.stop(0);
    const res = await post(base, textUpdate(carol, 'hello?'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, error: 'stopping' });
  });

  it('logs and counts a malformed update with its source, answers 200 and throws nothing', async () => {
    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const { logger, lines } = recordingLogger();
    const { built, base } = await start(api, new MemoryStore(), logger);
    cleanups.push(() => built.close(1_000));
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    cleanups.push(() => (process.stderr.write = write));
    expect((await post(base, { update_id: 801, message: {} })).status).toBe(200);
    expect((await post(base, { update_id: 802, callback_query: {} })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const malformed = lines.filter((l) => l.msg === 'malformed update ignored');
    expect(malformed.map((l) => [l.level, l.fields.source, l.fields.problem])).toEqual([
      ['warn', 'telegram', 'message without chat.id'],
      ['warn', 'telegram', 'callback_query without id or from'],
    ]);
    expect(stderr.join('')).toBe('');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_updates_malformed_total\{source="telegram"\} 2/);
  });
});
