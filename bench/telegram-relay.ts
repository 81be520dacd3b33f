/**
 * Telegram relay latency: customer updates are posted to the webhook at a fixed rate, and the time
 * until the agent-side sendMessage reaches the fake Bot API is measured. Switchboard (buildApp,
 * in-process store) runs side by side with a bare telegraf bot that answers each update with one
 * sendMessage to the same fake API. Run alone with `npx tsx bench/telegram-relay.ts [rate] [seconds]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { Telegraf } from 'telegraf';
import { buildApp } from '../src/app.js';
import { silentLogger } from '../src/core/index.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../test/fakes/telegram-api.js';

export const SECRET = 'bench-secret-0123456789';
const CUSTOMERS = 200;
// 40 agents: 500 updates a second are about 12 a second into each agent's chat (Telegram itself takes one)
export const AGENT_CHATS = Array.from({ length: 40 }, (_, i) => String(9001 + i));
const DRAIN_MS = 10_000;
const TOKEN = /bench-(\d+)\b/;

export interface Target {
  name: string;
  webhookUrl: string;
  close(): Promise<void>;
}

/** update_ids already used in this process (warm-up and measured runs must not collide: duplicates are dropped). */
let usedUpdates = 0;

function customerUpdate(i: number, base: number) {
  const id = 500_000 + (i % CUSTOMERS);
  return {
    update_id: 1_000_000 + base + i,
    message: {
      message_id: 10_000 + i,
      date: Math.floor(Date.now() / 1000),
      from: { id, is_bot: false, first_name: `Customer ${id}` },
      chat: { id, type: 'private', first_name: `Customer ${id}` },
      text: `Hello, this is bench-${i}`,
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Post `rate` updates per second for `seconds`, then wait (bounded) for the agent-side deliveries. */
export async function runLoad(target: Target, api: FakeTelegramApi, rate: number, seconds: number): Promise<Record<string, unknown>> {
  const total = Math.round(rate * seconds);
  const base = usedUpdates;
  usedUpdates += total;
  const postedAt = new Array<number>(total);
  const latencies: number[] = [];
  const acks: number[] = [];
  const seen = new Set<number>();
  let lastDelivery = 0;
  let acked = 0;
  let rejected = 0;
  const agentChats = new Set(AGENT_CHATS);
  api.onCall = (call) => {
    if (call.method !== 'sendMessage' || !agentChats.has(String(call.params.chat_id))) return;
    const match = TOKEN.exec(String(call.params.text));
    const i = match ? Number(match[1]) : -1;
    if (i < 0 || seen.has(i) || postedAt[i] === undefined) return;
    seen.add(i);
    latencies.push(call.at - postedAt[i]!);
    lastDelivery = call.at;
  };
  const inFlight = new Set<Promise<void>>();
  const post = (i: number) => {
    postedAt[i] = Date.now();
    const request = fetch(target.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(customerUpdate(i, base)),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        acks.push(Date.now() - postedAt[i]!);
        if (res.ok) acked++;
        else rejected++;
      })
      .catch(() => void rejected++)
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const started = Date.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
      while (next < due) post(next++);
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  const postingMs = Date.now() - started;
  const deadline = Date.now() + DRAIN_MS;
  while ((seen.size < total || inFlight.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  api.onCall = null;
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  const spanSec = Math.max(1, (lastDelivery || Date.now()) - started) / 1000;
  return {
    case: target.name,
    'rate/s': rate,
    seconds,
    posted: total,
    'acked 200': acked,
    rejected,
    delivered: seen.size,
    // still queued when the drain time ran out (paced sends wait their turn), not dropped
    'undelivered at end': total - seen.size,
    'ack p50 ms': round(percentile(acks, 50)),
    'ack p99 ms': round(percentile(acks, 99)),
    'p50 ms': round(percentile(latencies, 50)),
    'p99 ms': round(percentile(latencies, 99)),
    'max ms': round(latencies.at(-1) ?? NaN),
    'throughput/s': round(seen.size / spanSec),
    'posting s': round(postingMs / 1000),
  };
}

async function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A bare telegraf bot: webhook, one sendMessage per update. */
async function bareTelegraf(api: FakeTelegramApi): Promise<Target> {
  const bot = new Telegraf(api.token, { telegram: { apiRoot: `${api.apiRoot}/`, webhookReply: false } });
  bot.botInfo = await bot.telegram.getMe();
  bot.on('message', async (ctx) => {
    const text = 'text' in ctx.message ? ctx.message.text : '';
    await ctx.telegram.sendMessage(AGENT_CHATS[0]!, `relay ${text}`);
  });
  bot.catch(() => {});
  const app = express();
  app.post('/telegram/webhook', bot.webhookCallback('/telegram/webhook', { secretToken: SECRET }));
  const { server, base } = await listen(app);
  return {
    name: 'bare telegraf (1 sendMessage per update)',
    webhookUrl: `${base}/telegram/webhook`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Switchboard through buildApp, in memory or on a data directory: 40 agents in the Telegram inbox.
 * Every update goes through the intake (kept before the 200) and every message through the outbox.
 * With `pacing`, sends keep to Telegram's limits (1 a second into a chat): 500 updates a second
 * into 40 agent chats then wait (and go as digests), so only the acknowledgement is comparable.
 */
async function switchboard(api: FakeTelegramApi, dataDir?: string, pacing = false): Promise<Target> {
  const built = await buildApp(
    { port: 0, logLevel: 'silent', dataDir, telegram: { token: api.token, webhookSecret: SECRET, apiRoot: api.apiRoot }, agendaProcessEveryMs: 1_000 },
    { logger: silentLogger, pacing },
  );
  const base = await built.listen(0);
  await built.started();
  const { core } = built;
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: Error }): T => {
    if (!r.ok) throw r.error;
    return r.value;
  };
  for (const [k, chat] of AGENT_CHATS.entries()) {
    must(await core.createAgent({ handle: `agent${k + 1}`, name: `Agent ${k + 1}`, telegramUserId: chat, availability: 'online', capacity: 1_000 }));
  }
  // listen() created the default 'telegram' inbox; the agents become its rotation.
  must(await core.setMembers('telegram', { handles: AGENT_CHATS.map((_, k) => `agent${k + 1}`) }));
  const name = `switchboard (${dataDir ? 'data directory' : 'memory store'}, ${pacing ? "paced to Telegram's limits" : 'unpaced: Bot API without limits'})`;
  return { name, webhookUrl: `${base}/telegram/webhook`, close: () => built.close() };
}

export async function benchTelegramRelay(opts: { rate?: number; seconds?: number; bare?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const rate = opts.rate ?? 500;
  const seconds = opts.seconds ?? 10;
  const api = await startFakeTelegramApi();
  api.record = false;
  const rows: Record<string, unknown>[] = [];
  let cleanup = () => {};
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-relay-'));
    cleanup = () => rmSync(dataDir, { recursive: true, force: true });
    const targets = [(a: FakeTelegramApi) => switchboard(a), (a: FakeTelegramApi) => switchboard(a, dataDir), (a: FakeTelegramApi) => switchboard(a, undefined, true)];
    if (opts.bare !== false) targets.push(bareTelegraf);
    for (const start of targets) {
      const target = await start(api);
      try {
        await runLoad(target, api, rate, 1); // warm-up, not counted: both cases start with a warm JIT and server
        rows.push(await runLoad(target, api, rate, seconds));
      } finally {
        await target.close();
      }
    }
  } finally {
    await api.close();
    cleanup();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rate, seconds] = process.argv.slice(2).map(Number);
  benchTelegramRelay({ rate: rate || undefined, seconds: seconds || undefined })
    .then((rows) => {
      console.table(rows);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
