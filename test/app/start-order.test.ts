// At start the open-conversation counts are corrected before anything acts on them: a timer that
// fell due while Switchboard was down must not see an agent as full because the stopped process
// had taken one of their slots for a move it never made. Real app, real telegraf against the fake
// Bot API.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { startFakeTelegramApi } from '../fakes/telegram-api.js';
import { wrapStore } from '../support/store-wrappers.js';

const ANN = 7301;
const BEA = 7302;
const CAROL = 9301;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const agent = (handle: string, telegramUserId: number, capacity: number) => ({
  handle,
  name: handle,
  role: 'agent' as const,
  status: 'active' as const,
  availability: 'online' as const,
  capacity,
  openCount: 0,
  homePlatform: 'telegram' as const,
  telegramUserId: String(telegramUserId),
  createdAt: new Date(),
});

describe('start-up order', () => {
  it('a response timer due during the downtime redirects to an agent whose slot a crash left taken: the count is corrected first', async () => {
    // What the stopped process left: Carol waits on Bea for 10 minutes (the timeout is 1 minute),
    // and one of Ann's slots was taken for a move that never happened.
    const store = new MemoryStore();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await store.createInbox({ name: 'telegram', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 60, maxRedirects: 3, createdAt: tenMinutesAgo });
    await store.createAgent(agent('ann', ANN, 1));
    await store.createAgent(agent('bea', BEA, 5));
    await store.addMember('telegram', 'ann', tenMinutesAgo);
    await store.addMember('telegram', 'bea', tenMinutesAgo);
    const { conversation } = await store.openConversation('telegram', { platform: 'telegram', id: String(CAROL), name: 'Carol', chatId: String(CAROL) }, tenMinutesAgo);
    expect(await store.reserveSlot('bea', { requireOnline: false, ignoreCapacity: false })).not.toBeNull();
    await store.updateConversation(conversation.number, {}, { status: 'assigned', assignee: 'bea', waitingSince: tenMinutesAgo, updatedAt: tenMinutesAgo });
    expect(await store.reserveSlot('ann', { requireOnline: false, ignoreCapacity: false })).not.toBeNull();

    const api = await startFakeTelegramApi();
    cleanups.push(() => api.close());
    const config: Config = {
      port: 0,
      logLevel: 'silent',
      telegram: { token: api.token, webhookSecret: 'start-order-secret-0123456789', apiRoot: api.apiRoot },
      agendaProcessEveryMs: 50,
    };
    // a slow database at this start: listing the agents (what the correction reads first) takes 300 ms
    const slow = wrapStore(store, (method, call) => (method === 'listAgents' ? async (...args) => (await new Promise((r) => setTimeout(r, 300)), call(...args)) : undefined));
    const built = await buildApp(config, { store: slow, pacing: false });
    cleanups.push(() => built.close(1_000));
    await built.scheduler.schedule('response-timeout', new Date(tenMinutesAgo.getTime() + 60_000), { conversation: conversation.number, assignee: 'bea', waitingSince: tenMinutesAgo.toISOString() });
    await built.listen(0);
    await built.started();

    await api.waitUntil(() => api.delivered(ANN).length > 0, 5_000, 'the conversation did not reach Ann');
    expect((await store.getConversation(conversation.number))?.assignee).toBe('ann');
    expect((await store.getAgent('ann'))!.openCount).toBe(1);
    expect((await store.getAgent('bea'))!.openCount).toBe(0);
    // straight from Bea to Ann, as /history shows it: never "queued: nobody else could take it"
    const history = (await store.listHistory({ conversation: conversation.number }, { limit: 10 })).items;
    expect(history.map((e) => [e.reason, e.from, e.to, e.note])).toEqual([['timeout', 'bea', 'ann', undefined]]);
    // Carol was never told that everyone is busy
    expect(api.delivered(CAROL).filter((t) => t.includes('All our agents are busy'))).toEqual([]);
  });
});
