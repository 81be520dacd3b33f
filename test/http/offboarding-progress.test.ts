import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, type Store } from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { wrapStore } from '../support/store-wrappers.js';
import { startApp } from './app.js';

type App = Awaited<ReturnType<typeof startApp>>;
let app: App | undefined;
afterEach(async () => {
  await app?.built.close();
  app = undefined;
});

/** Each conversation write takes `ms` on the app's manual clock: no real waiting. */
function pacedStore(clock: ManualClock, ms: number): Store {
  return wrapStore(new MemoryStore(), (method, call) =>
    method === 'updateConversation'
      ? async (...args) => {
          const r = await call(...args);
          clock.advance(ms);
          return r;
        }
      : undefined,
  );
}

async function teamWith(msPerMove: number, conversations: number) {
  const clock = new ManualClock(new Date());
  app = await startApp({ store: pacedStore(clock, msPerMove), clock });
  const { api, built } = app;
  expect((await api('POST', '/api/agents', { handle: 'ann', name: 'Ann', availability: 'online', capacity: 50, telegramUserId: 7001 })).status).toBe(201);
  expect((await api('POST', '/api/agents', { handle: 'ben', name: 'Ben', availability: 'offline', capacity: 50, telegramUserId: 7002 })).status).toBe(201);
  expect((await api('POST', '/api/inboxes', { name: 'help', platform: 'telegram' })).status).toBe(201);
  expect((await api('PUT', '/api/inboxes/help/members', { handles: ['ann', 'ben'] })).status).toBe(200);
  for (let i = 1; i <= conversations; i++) {
    await built.core.handleInbound({
      platform: 'telegram',
      deliveryId: `c:${i}`,
      kind: 'message',
      sender: { id: String(9000 + i), name: `Customer ${i}` },
      chat: { id: String(9000 + i), isDirect: true },
      text: `question ${i}`,
    });
  }
  expect((await api('PATCH', '/api/agents/ben', { availability: 'online' })).status).toBe(200);
  const preview = await api('POST', '/api/agents/ann/offboard', {});
  expect(preview.status).toBe(201);
  return { api, code: preview.body.code as string };
}

describe('POST /api/offboardings/:code/confirm on a long offboarding', () => {
  it('answers 202 with the working line, and GET /api/offboardings/:code has the summary when it is done', async () => {
    const { api, code } = await teamWith(400, 8); // about 3.2 s of store writes
    const started = await api('POST', `/api/offboardings/${code}/confirm`);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      code,
      agent: 'ann',
      state: 'running',
      summary: null,
      message: 'Offboarding @ann: handing over 8 conversations… The summary follows when it is done.',
    });
    await expect
      .poll(async () => (await api('GET', `/api/offboardings/${code}`)).body, { timeout: 5000 })
      .toMatchObject({ code, agent: 'ann', state: 'done', summary: expect.stringContaining('8/8 reassigned, 0 left unassigned') });
    expect((await api('GET', '/api/agents/ann')).body).toMatchObject({ status: 'disabled', openCount: 0 });
    const again = await api('POST', `/api/offboardings/${code}/confirm`);
    expect(again.status).toBe(409);
  });

  it('answers 200 with the summary when it is done within 2 s, and 404 for an unknown code', async () => {
    const { api, code } = await teamWith(100, 4);
    const done = await api('POST', `/api/offboardings/${code}/confirm`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'done', summary: expect.stringContaining('4/4 reassigned') });
    const unknown = await api('GET', '/api/offboardings/NOPE42');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'offboarding_not_found', message: 'No offboarding has the code NOPE42; POST /api/agents/:handle/offboard makes a preview.' });
  });
});
