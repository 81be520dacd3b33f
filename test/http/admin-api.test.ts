import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, TOKEN } from './app.js';
import { client, type Reply } from './serve.js';

type App = Awaited<ReturnType<typeof startApp>>;
let app: App;
let api: App['api'];

beforeEach(async () => {
  app = await startApp();
  api = app.api;
});
afterEach(async () => {
  await app.built.close();
});

const errorOf = (res: Reply) => ({ status: res.status, code: res.body?.error?.code, field: res.body?.error?.field });

describe('authentication', () => {
  it('refuses a missing or wrong token with 401 JSON and accepts the right one', async () => {
    const missing = await app.anonymous('GET', '/api/agents');
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'unauthorized' });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await client(app.base, 'wrong-token')('GET', '/api/agents')).status).toBe(401);
    expect((await client(app.base, `${TOKEN}x`)('GET', '/api/agents')).status).toBe(401);
    const noScheme = await app.anonymous('GET', '/api/agents', undefined, { authorization: TOKEN });
    expect(noScheme.status).toBe(401);
    expect(noScheme.body.error.message).toBe('The Authorization header lacks "Bearer ": send "Authorization: Bearer <ADMIN_TOKEN>".');
    for (const authorization of ['Bearer', 'Bearer   ', `Bearer ${TOKEN} extra`]) {
      const noToken = await app.anonymous('GET', '/api/agents', undefined, { authorization });
      expect(noToken.status).toBe(401);
      expect(noToken.body.error.message).toBe('The Authorization header has "Bearer" but not one token after it: send "Authorization: Bearer <ADMIN_TOKEN>", the token without spaces.');
    }
    expect((await app.anonymous('GET', '/api/agents', undefined, { authorization: `Basic ${TOKEN}` })).body.error.message).toMatch(/lacks "Bearer "/);
    expect(missing.body.error.message).toBe('Missing token: send the header "Authorization: Bearer <ADMIN_TOKEN>".');
    expect((await client(app.base, 'wrong-token')('GET', '/api/agents')).body.error.message).toMatch(/^Wrong token:/);
    expect((await app.anonymous('GET', '/api/agents', undefined, { authorization: `bearer ${TOKEN}` })).status).toBe(200);
    // refused before the body is looked at
    expect((await app.anonymous('POST', '/api/agents', '{not json')).status).toBe(401);
    expect((await api('GET', '/api/agents')).status).toBe(200);
  });

  it('keeps the probes open without a token', async () => {
    expect((await app.anonymous('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect(await app.anonymous('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await app.anonymous('GET', '/metrics')).body).toContain('switchboard_conversations_opened_total');
  });
});

describe('bodies', () => {
  it('answers 400 naming the body for broken JSON or a non-JSON body', async () => {
    const broken = await api('POST', '/api/agents', '{"handle": "amanda",');
    expect(errorOf(broken)).toEqual({ status: 400, code: 'invalid_argument', field: 'body' });
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    const text = await api('POST', '/api/agents', 'handle=amanda', { 'content-type': 'text/plain' });
    expect(errorOf(text)).toEqual({ status: 400, code: 'invalid_argument', field: 'body' });
    expect(errorOf(await api('PUT', '/api/inboxes/x/members', '[1,'))).toMatchObject({ status: 400, field: 'body' });
  });

  it('answers 400 with the field at fault for invalid agents and inboxes', async () => {
    expect(errorOf(await api('POST', '/api/agents', { handle: 'Amanda', name: 'A' }))).toEqual({
      status: 400,
      code: 'invalid_argument',
      field: 'handle',
    });
    expect(errorOf(await api('POST', '/api/agents', { handle: 'amanda', name: 'A', capacity: 0 }))).toMatchObject({ field: 'capacity' });
    expect(errorOf(await api('POST', '/api/agents', { handle: 'amanda', name: 'A', colour: 'red' }))).toMatchObject({ field: 'colour' });
    expect(errorOf(await api('POST', '/api/agents', []))).toMatchObject({ status: 400, field: 'body' });
    expect(errorOf(await api('POST', '/api/inboxes', { name: 'help', platform: 'fax' }))).toMatchObject({ status: 400, field: 'platform' });
    const res = await api('POST', '/api/agents', { handle: 'amanda', name: 'A', capacity: 'lots' });
    expect(res.body.error.message).toBe('capacity is invalid: send a whole number from 1 to 1000 (default 10).');
  });
});

describe('agents', () => {
  it('creates (201), reads, lists and updates an agent', async () => {
    const created = await api('POST', '/api/agents', { handle: 'amanda', name: 'Amanda', telegramUserId: 1001, telegramUsername: '@mandy' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      handle: 'amanda',
      role: 'agent',
      status: 'active',
      availability: 'offline',
      capacity: 10,
      homePlatform: 'telegram',
      telegramUserId: 1001,
      telegramUsername: 'mandy',
      openCount: 0,
      inboxes: [],
    });
    expect((await api('GET', '/api/agents/amanda')).body).toEqual(created.body);
    expect((await api('GET', '/api/agents')).body).toEqual({ items: [created.body], next: null });
    const patched = await api('PATCH', '/api/agents/amanda', { capacity: 3, role: 'supervisor' });
    expect(patched).toMatchObject({ status: 200, body: { capacity: 3, role: 'supervisor' } });
  });

  it('answers 404 for unknown agents and 409 for conflicts', async () => {
    expect(errorOf(await api('GET', '/api/agents/ghost'))).toEqual({ status: 404, code: 'agent_not_found', field: 'handle' });
    expect(errorOf(await api('PATCH', '/api/agents/ghost', { name: 'G' }))).toMatchObject({ status: 404 });
    expect(errorOf(await api('POST', '/api/agents/ghost/invite'))).toMatchObject({ status: 404 });
    await api('POST', '/api/agents', { handle: 'amanda', name: 'A', slackUserId: 'U100' });
    expect(errorOf(await api('POST', '/api/agents', { handle: 'amanda', name: 'B' }))).toEqual({ status: 409, code: 'conflict', field: 'handle' });
    expect(errorOf(await api('POST', '/api/agents', { handle: 'bob', name: 'B', slackUserId: 'U100' }))).toEqual({
      status: 409,
      code: 'conflict',
      field: 'slackUserId',
    });
    const removal = await api('PATCH', '/api/agents/amanda', { status: 'removed' });
    expect(errorOf(removal)).toMatchObject({ status: 400, field: 'status' });
    expect(removal.body.error.message).toContain('/offboard @amanda --suspend');
  });

  it('creates a 24-hour invite; without a Telegram bot the link is null', async () => {
    await api('POST', '/api/agents', { handle: 'amanda', name: 'A' });
    const before = Date.now();
    const invite = await api('POST', '/api/agents/amanda/invite');
    expect(invite.status).toBe(201);
    expect(invite.body.code).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(invite.body.link).toBeNull();
    const expires = Date.parse(invite.body.expiresAt) - before;
    expect(expires).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(expires).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
  });

  it('pages with limit and after, and refuses a bad limit naming it', async () => {
    for (const handle of ['d', 'b', 'a', 'c']) await api('POST', '/api/agents', { handle, name: handle });
    const first = await api('GET', '/api/agents?limit=3');
    expect(first.body.items.map((a: { handle: string }) => a.handle)).toEqual(['a', 'b', 'c']);
    expect(first.body.next).toBe('c');
    const second = await api('GET', `/api/agents?limit=3&after=${first.body.next}`);
    expect(second.body).toMatchObject({ items: [{ handle: 'd' }], next: null });
    for (const limit of ['0', '1001', 'x', '1&limit=2']) {
      expect(errorOf(await api('GET', `/api/agents?limit=${limit}`))).toEqual({ status: 400, code: 'invalid_argument', field: 'limit' });
    }
  });
});

describe('paging cursors', () => {
  const LISTS = ['/api/agents', '/api/inboxes', '/api/conversations', '/api/history', '/api/jobs'];
  // no list ever hands these out as `next`: upper case, spaces, "@", "#", control characters, too long, given twice
  const BAD = ['ABC', 'a%20b', '%40nina', '%23abc', '%00', 'x'.repeat(65), '9'.repeat(300), '1&after=2'];
  // what only a list keyed by number refuses, or only the inbox list (names are letters, digits and "-")
  const BAD_FOR: Record<string, string[]> = {
    '/api/conversations': ['abc', '-1', '1.5', '0', '1e3'],
    '/api/history': ['abc', '-1', '1.5', '0', '1e3'],
    '/api/jobs': ['abc', '-1', '1.5', '0', '1e3'],
    '/api/inboxes': ['a.b', 'a_b'],
  };

  it('refuses an after that no page handed out with a one-line 400 naming it, on every list', async () => {
    const accepted: string[] = [];
    for (const list of LISTS) {
      for (const after of [...BAD, ...(BAD_FOR[list] ?? [])]) {
        const res = await api('GET', `${list}?after=${after}`);
        if (res.status !== 400 || res.body?.error?.field !== 'after') accepted.push(`${list}?after=${after.slice(0, 12)} → ${res.status}`);
        else {
          expect(res.body.error.code).toBe('invalid_argument');
          expect(res.body.error.message).toMatch(/^after is invalid: (give it once, )?send the "next" value of the previous page\.$/);
        }
      }
    }
    expect(accepted).toEqual([]);
    // cursors of the right shape are pages, possibly empty
    for (const [list, after] of [['/api/agents', 'a.b'], ['/api/inboxes', 'abc'], ['/api/conversations', '7'], ['/api/history', '7'], ['/api/jobs', '7']]) {
      expect(await api('GET', `${list}?after=${after}`)).toMatchObject({ status: 200, body: { items: [], next: null } });
    }
  });

  it('follows the next of every list page by page', async () => {
    for (const name of ['c', 'a', 'b']) {
      await api('POST', '/api/agents', { handle: name, name });
      await api('POST', '/api/inboxes', { name: `in-${name}`, platform: 'slack', slackChannelId: `C0${name.toUpperCase()}1` });
    }
    const first = await api('GET', '/api/inboxes?limit=2');
    expect(first.body).toMatchObject({ items: [{ name: 'in-a' }, { name: 'in-b' }], next: 'in-b' });
    expect((await api('GET', `/api/inboxes?limit=2&after=${first.body.next}`)).body).toMatchObject({ items: [{ name: 'in-c' }], next: null });
    const agents = await api('GET', '/api/agents?limit=1');
    expect((await api('GET', `/api/agents?limit=5&after=${agents.body.next}`)).body.items.map((a: { handle: string }) => a.handle)).toEqual(['b', 'c']);
  });
});

describe('inboxes and members', () => {
  it('creates an inbox, sets its members in rotation order and shows them both ways', async () => {
    for (const handle of ['amanda', 'mathew', 'geraldine']) await api('POST', '/api/agents', { handle, name: handle });
    const created = await api('POST', '/api/inboxes', { name: 'support', platform: 'telegram', responseTimeoutSec: 0 });
    expect(created).toMatchObject({ status: 201, body: { name: 'support', strategy: 'round-robin', members: [] } });
    const set = await api('PUT', '/api/inboxes/support/members', { handles: ['mathew', 'amanda'] });
    expect(set).toMatchObject({ status: 200, body: { members: ['mathew', 'amanda'] } });
    const again = await api('PUT', '/api/inboxes/support/members', { handles: ['geraldine', 'amanda'] });
    expect(again.body.members).toEqual(['amanda', 'geraldine']);
    expect((await api('GET', '/api/agents/geraldine')).body.inboxes).toEqual(['support']);
    expect((await api('GET', '/api/inboxes')).body).toMatchObject({ items: [{ name: 'support' }], next: null });
    expect((await api('PATCH', '/api/inboxes/support', { paused: true })).body.paused).toBe(true);
  });

  it('answers 404 naming unknown agents and unknown inboxes, 409 for a taken name', async () => {
    await api('POST', '/api/agents', { handle: 'amanda', name: 'A' });
    await api('POST', '/api/inboxes', { name: 'support', platform: 'slack', slackChannelId: 'C1' });
    const unknown = await api('PUT', '/api/inboxes/support/members', { handles: ['amanda', 'ghost'] });
    expect(errorOf(unknown)).toEqual({ status: 404, code: 'agent_not_found', field: 'handles' });
    expect(unknown.body.error.message).toContain('@ghost');
    expect(errorOf(await api('GET', '/api/inboxes/nowhere'))).toEqual({ status: 404, code: 'inbox_not_found', field: 'name' });
    expect(errorOf(await api('PUT', '/api/inboxes/nowhere/members', { handles: [] }))).toMatchObject({ status: 404 });
    expect(errorOf(await api('POST', '/api/inboxes', { name: 'support', platform: 'slack', slackChannelId: 'C2' }))).toEqual({
      status: 409,
      code: 'conflict',
      field: 'name',
    });
    expect(errorOf(await api('POST', '/api/inboxes', { name: 'help', platform: 'slack', fallbackAgent: 'ghost' }))).toEqual({
      status: 404,
      code: 'agent_not_found',
      field: 'fallbackAgent',
    });
  });
});

describe('routes', () => {
  it('answers unknown /api routes and methods with 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['DELETE', '/api/agents/amanda'],
      ['GET', '/api'],
    ] as const) {
      const res = await api(method, path);
      expect(errorOf(res)).toMatchObject({ status: 404, code: 'not_found' });
      expect(res.body.error.message).toContain(path);
    }
  });
});

describe('malformed requests', () => {
  it('answers 400, not 500, for a path express cannot decode', async () => {
    const res = await api('GET', '/api/agents/%E0%A4%A');
    expect(errorOf(res)).toMatchObject({ status: 400, code: 'invalid_argument' });
    expect(await app.built.metrics.text()).not.toContain('switchboard_errors_total{source="http"}');
  });

  it('answers 413 for a body over 100 kB', async () => {
    const res = await api('POST', '/api/agents', { handle: 'x', name: 'y'.repeat(200_000) });
    expect(errorOf(res)).toMatchObject({ status: 413, field: 'body' });
  });
});

describe('the admin API without a token', () => {
  it('is off: every /api path answers 404 with how to turn it on', async () => {
    const off = await startApp({ adminToken: undefined });
    try {
      const res = await off.api('GET', '/api/agents');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: 'The admin API is off: set ADMIN_TOKEN to turn it on.' } });
      expect((await off.anonymous('POST', '/api/inboxes', { name: 'x', platform: 'slack' })).status).toBe(404);
      expect((await off.anonymous('GET', '/healthz')).status).toBe(200);
    } finally {
      await off.built.close();
    }
  });
});
