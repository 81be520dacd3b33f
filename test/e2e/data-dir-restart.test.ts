// Switchboard on its data directory, as a process that is stopped (SIGTERM) or killed (SIGKILL)
// in the middle of a load and started again: what agents were told about is all there, the
// response timers still fire, conversation numbers carry on, and a second process is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.js';
import { textUpdate, type Person } from '../adapters/telegram/telegram-updates.js';
import { openDataDir } from '../../src/store/embedded/data-dir.js';
import { tempDir } from '../store/data-dir-support.js';
import { ChildSwitchboard } from './child-switchboard.js';

const SECRET = 'restart-secret-0123456789abcdef';
const AGENTS = { amanda: 81_001, bob: 81_002 } as const;
const TIMEOUT_SEC = 8;

interface ConversationView {
  number: number;
  status: string;
  assignee: string | null;
  customer: { id: string };
  messages: Array<{ from: string; text: string }>;
  history: Array<{ reason: string; to: string | null; at: string }>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const customer = (i: number): Person => ({ id: 90_000 + i, first_name: `Customer${i}` });
const question = (i: number) => `question ${i}`;

async function post(sb: ChildSwitchboard, update: object): Promise<void> {
  await fetch(`${sb.base}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
}

/** Conversation number → the agent whose chat got its notice (alone or in a digest), from the fake Bot API's record. */
function noticed(api: FakeTelegramApi): Map<number, string> {
  const byChat = new Map(Object.entries(AGENTS).map(([handle, id]) => [String(id), handle]));
  const out = new Map<number, string>();
  for (const call of api.callsOf('sendMessage')) {
    const handle = byChat.get(String(call.params.chat_id));
    // a notice names its #N first; a digest holds several notices, between separator lines
    for (const part of String(call.params.text).split('— — —')) {
      const n = Number(/#(\d+)/.exec(part)?.[1] ?? NaN);
      if (handle && Number.isInteger(n) && !out.has(n)) out.set(n, handle);
    }
  }
  return out;
}

async function until<T>(what: string, probe: () => Promise<T | false | undefined> | T | false | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['SIGKILL', 'SIGTERM'] as const)('Switchboard on a data directory, %s in the middle of a load', (signal) => {
  it('keeps every conversation, message, assignment and timer agents were told about, and carries the numbers on', async () => {
    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const temp = tempDir();
    cleanups.push(() => temp.remove());
    const env = {
      DATA_DIR: temp.dir,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: api.apiRoot,
      AGENDA_PROCESS_EVERY_MS: '100',
    };

    const first = await ChildSwitchboard.start(env);
    cleanups.push(() => void first.process.kill('SIGKILL'));
    for (const [handle, id] of Object.entries(AGENTS)) {
      expect((await first.api('POST', '/api/agents', { handle, name: handle, availability: 'online', capacity: 1000, telegramUserId: id })).status).toBe(201);
    }
    expect((await first.api('PUT', '/api/inboxes/telegram/members', { handles: Object.keys(AGENTS) })).status).toBe(200);
    expect((await first.api('PATCH', '/api/inboxes/telegram', { responseTimeoutSec: TIMEOUT_SEC, maxRedirects: 5 })).status).toBe(200);

    // Settled: twelve customers, each announced to an agent, whose response timers are pending.
    for (let i = 1; i <= 12; i++) await post(first, textUpdate(customer(i), question(i)));
    await until('twelve notices', () => noticed(api).size >= 12);
    await new Promise((r) => setTimeout(r, 300));
    const settled = new Map(noticed(api));

    // In flight: forty more, eight at a time, and the signal once ten more have been announced.
    let next = 13;
    const senders = Array.from({ length: 8 }, async () => {
      while (next <= 52) {
        const i = next++;
        await post(first, textUpdate(customer(i), question(i))).catch(() => {});
      }
    });
    await until('ten more notices', () => noticed(api).size >= 22);
    first.process.kill(signal);
    const stoppedAt = Date.now();
    const exit = await first.exited;
    expect(exit.signal ?? `code ${exit.code}`).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 'code 0');
    await Promise.all(senders);
    const told = noticed(api);
    expect(told.size).toBeGreaterThanOrEqual(22);

    // What is on disk is the state between two store calls: each agent's load counts what they
    // hold, plus at most the routings that had reserved a slot and not yet assigned (eight senders),
    // which the start-up reconciliation gives back.
    const onDisk = await openDataDir(temp.dir);
    for (const handle of Object.keys(AGENTS)) {
      const openCount = (await onDisk.store.getAgent(handle))!.openCount;
      const held = (await onDisk.store.listAssigned(handle)).length;
      expect({ handle, inFlight: openCount - held >= 0 && openCount - held <= 8 }).toEqual({ handle, inFlight: true });
    }
    await onDisk.close();

    const second = await ChildSwitchboard.start(env);
    cleanups.push(() => void second.process.kill('SIGKILL'));
    const startLog = second.logs.find((l) => l.store === 'embedded');
    expect(startLog?.msg).toContain(`data in ${temp.dir}`);
    // the scheduler's jobs are said to be there too (they are: the timers below fire)
    expect(second.logs.find((l) => l.msg === 'scheduler started')?.backend).toContain(`jobs kept in ${temp.dir}`);

    // Every conversation an agent was told about: there, with the customer's message and its assignment.
    const customerOf = new Map<number, number>();
    for (const [n, handle] of told) {
      const { status, body } = await second.api<ConversationView>('GET', `/api/conversations/${n}`);
      expect({ n, status }).toEqual({ n, status: 200 });
      const i = Number(body.customer.id) - 90_000;
      customerOf.set(n, i);
      expect(body.messages.map((m) => m.text)).toContain(question(i));
      expect(body.history.find((h) => h.reason === 'route')?.to).toBe(handle);
    }

    // The settled conversations' response timers were on disk: they fire in the new process.
    for (const n of settled.keys()) {
      await until(`the response timer of #${n}`, async () => {
        const { body } = await second.api<ConversationView>('GET', `/api/conversations/${n}`);
        return body.history.some((h) => h.reason === 'timeout' && Date.parse(h.at) > stoppedAt);
      });
    }

    // Numbers carry on: new customers get numbers above every number handed out before.
    const before = Math.max(...told.keys());
    for (let i = 100; i < 103; i++) await post(second, textUpdate(customer(i), question(i)));
    const fresh = await until('three new conversations', async () => {
      const { body } = await second.api<{ items: ConversationView[] }>('GET', '/api/conversations?limit=1000');
      const mine = body.items.filter((c) => Number(c.customer.id) >= 90_100);
      return mine.length === 3 ? mine : undefined;
    });
    for (const c of fresh) expect(c.number).toBeGreaterThan(before);
    expect(new Set(fresh.map((c) => c.number)).size).toBe(3);

    // One process per directory: a second start on it stops at once, naming it.
    const refused = await ChildSwitchboard.refused(env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([`DATA_DIR=${temp.dir} is in use by another Switchboard process; stop it first, or give this one another DATA_DIR`]);

    expect((await second.stop('SIGTERM')).code).toBe(0);
  }, 180_000);
});
