// With MongoDB: a Switchboard process killed with SIGKILL in the middle of a load loses nothing it
// acknowledged. Every customer message Telegram got a 200 for is stored once and reaches an agent
// once the next process has started (kept updates are handled, waiting messages sent). Skipped by
// name, with the reason, when no MongoDB server is available (MONGODB_URI or mongodb-memory-server).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegramApi } from '../fakes/telegram-api.js';
import { textUpdate, type Person } from '../adapters/telegram/telegram-updates.js';
import { findTestServer, type TestServer } from '../store/mongo-server.js';
import { ChildSwitchboard } from './child-switchboard.js';

const SECRET = 'mongo-kill-secret-0123456789abcdef';
const AGENTS = { amanda: 82_001, bob: 82_002 } as const;
const CUSTOMERS = 40;

const server = await findTestServer();
const skip = 'reason' in server ? server.reason : null;

afterAll(async () => {
  if (!('reason' in server)) await server.stop();
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const customer = (i: number): Person => ({ id: 91_000 + i, first_name: `Customer${i}` });
const question = (i: number) => `question number ${i} [q${i}]`;

describe.skipIf(skip !== null)(`Switchboard on MongoDB, SIGKILL in the middle of a load${skip ? ` — skipped: ${skip}` : ''}`, () => {
  it('handles every acknowledged update once the next process runs: stored once, announced to an agent', async () => {
    const url = new URL((server as TestServer).uri);
    url.pathname = `/sb_kill_${process.pid}_${Date.now()}`;
    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const env = { MONGODB_URI: url.toString(), TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.apiRoot };

    const first = await ChildSwitchboard.start(env);
    cleanups.push(() => void first.process.kill('SIGKILL'));
    for (const [handle, id] of Object.entries(AGENTS)) {
      expect((await first.api('POST', '/api/agents', { handle, name: handle, availability: 'online', capacity: 1000, telegramUserId: id })).status).toBe(201);
    }
    expect((await first.api('PUT', '/api/inboxes/telegram/members', { handles: Object.keys(AGENTS) })).status).toBe(200);

    // six senders at once; the kill comes after fifteen acknowledgements
    const acknowledged = new Set<number>();
    let next = 1;
    let killed = false;
    const senders = Array.from({ length: 6 }, async () => {
      while (next <= CUSTOMERS) {
        const i = next++;
        const res = await fetch(`${first.base}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(textUpdate(customer(i), question(i))),
        }).catch(() => null);
        if (res?.status === 200) acknowledged.add(i);
        if (acknowledged.size >= 15 && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    });
    await Promise.all(senders);
    await first.exited;
    expect(acknowledged.size).toBeGreaterThanOrEqual(15);

    const second = await ChildSwitchboard.start(env);
    cleanups.push(() => void second.process.kill('SIGKILL'));
    const agentChats = Object.values(AGENTS).map(String);
    const told = () => agentChats.flatMap((chat) => api.delivered(chat)).join('\n');
    const deadline = Date.now() + 30_000;
    for (const i of acknowledged) {
      while (!told().includes(`[q${i}]`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect({ i, announced: told().includes(`[q${i}]`) }).toEqual({ i, announced: true });
    }
    // stored once each, in the conversation of that customer
    const { body } = await second.api<{ items: Array<{ number: number; customer: { id: string } }> }>('GET', '/api/conversations?limit=1000');
    for (const i of acknowledged) {
      const conv = body.items.find((c) => c.customer.id === String(91_000 + i));
      expect({ i, found: conv !== undefined }).toEqual({ i, found: true });
      const detail = await second.api<{ messages: Array<{ text: string }> }>('GET', `/api/conversations/${conv!.number}`);
      expect({ i, stored: detail.body.messages.filter((m) => m.text === question(i)).length }).toEqual({ i, stored: 1 });
    }
  });
});
