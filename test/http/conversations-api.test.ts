import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/index.js';
import { startApp } from './app.js';

type App = Awaited<ReturnType<typeof startApp>>;
let app: App;

beforeEach(async () => {
  app = await startApp();
  await app.api('POST', '/api/agents', { handle: 'amanda', name: 'Amanda', telegramUserId: 1001 });
  await app.api('POST', '/api/inboxes', { name: 'support', platform: 'telegram', responseTimeoutSec: 0 });
  await app.api('PUT', '/api/inboxes/support/members', { handles: ['amanda'] });
});
afterEach(async () => {
  await app.built.close();
});

let delivery = 0;
function customerSays(id: string, text: string): InboundEvent {
  delivery += 1;
  return {
    platform: 'telegram',
    deliveryId: `u${delivery}`,
    kind: 'message',
    sender: { id, name: `Customer ${id}` },
    chat: { id, isDirect: true },
    messageId: String(delivery),
    text,
  };
}

describe('conversations through the whole app', () => {
  it('shows a queued conversation, assigns it when the agent comes online, and shows messages and history', async () => {
    await app.built.core.handleInbound(customerSays('5001', 'hello, my order is late'));
    const queued = await app.api('GET', '/api/conversations?status=queued&inbox=support');
    expect(queued.body).toMatchObject({
      items: [{ number: 1, inbox: 'support', status: 'queued', assignee: null, customer: { platform: 'telegram', id: '5001', name: 'Customer 5001' } }],
      next: null,
    });
    expect(queued.body.items[0].messages).toBeUndefined();

    // coming online drains the queue (the admin change calls back into routing)
    const online = await app.api('PATCH', '/api/agents/amanda', { availability: 'online' });
    expect(online.body).toMatchObject({ availability: 'online', openCount: 1, inboxes: ['support'] });

    const one = await app.api('GET', '/api/conversations/1');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ number: 1, status: 'assigned', assignee: 'amanda' });
    expect(one.body.messages).toEqual([{ from: 'customer', text: 'hello, my order is late', at: expect.any(String) }]);
    expect(one.body.history).toEqual([expect.objectContaining({ conversation: 1, reason: 'route', to: 'amanda' })]);

    const history = await app.api('GET', '/api/history?agent=amanda');
    expect(history.body.items).toEqual(one.body.history);
    expect((await app.api('GET', '/api/conversations?assignee=amanda')).body.items.map((c: { number: number }) => c.number)).toEqual([1]);
    expect((await app.api('GET', '/api/conversations?assignee=@amanda')).body.items.map((c: { number: number }) => c.number)).toEqual([1]);
    expect((await app.api('GET', '/api/history?agent=@amanda')).body.items).toEqual(one.body.history);

    const metrics = await app.anonymous('GET', '/metrics');
    expect(metrics.body).toMatch(/^switchboard_conversations_opened_total 1$/m);
    expect(metrics.body).toMatch(/^switchboard_conversations_assigned_total 1$/m);
  });

  it('takes an agent as @handle in every filter, as typed in chat, and names a bad one', async () => {
    await app.api('PATCH', '/api/inboxes/support', { responseTimeoutSec: 600 });
    await app.api('PATCH', '/api/agents/amanda', { availability: 'online' });
    await app.built.core.handleInbound(customerSays('5002', 'where is my parcel?'));
    const plain = await app.api('GET', '/api/jobs?agent=amanda');
    expect(plain.body.items).toEqual([expect.objectContaining({ name: 'response-timeout', agent: 'amanda', conversation: 1 })]);
    expect((await app.api('GET', '/api/jobs?agent=@amanda')).body).toEqual(plain.body);
    expect((await app.api('GET', '/api/conversations?assignee=%40amanda')).body.items).toHaveLength(1);
    for (const path of ['/api/conversations?assignee=@ghost', '/api/history?agent=@ghost', '/api/jobs?agent=@ghost']) {
      const res = await app.api('GET', path);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/^No agent @ghost\b[^\n]*$/);
    }
    for (const path of ['/api/conversations?assignee=@', '/api/history?agent=@', '/api/jobs?agent=@', '/api/jobs?agent=Nina%20Lee']) {
      const res = await app.api('GET', path);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^(assignee|agent) is invalid: an agent handle such as nina or @nina\.$/);
    }
  });

  it('pages conversations by number', async () => {
    for (const id of ['1', '2', '3']) await app.built.core.handleInbound(customerSays(`60${id}`, 'hi'));
    const first = await app.api('GET', '/api/conversations?limit=2');
    expect(first.body.items.map((c: { number: number }) => c.number)).toEqual([1, 2]);
    expect(first.body.next).toBe('2');
    const rest = await app.api('GET', `/api/conversations?limit=2&after=${first.body.next}`);
    expect(rest.body).toMatchObject({ items: [{ number: 3 }], next: null });
  });

  it('answers 400 for a bad status or number and 404 for unknown ones', async () => {
    const status = await app.api('GET', '/api/conversations?status=open');
    expect(status.status).toBe(400);
    expect(status.body.error).toMatchObject({ code: 'invalid_argument', field: 'status' });
    expect(status.body.error.message).toContain('queued, unassigned, assigned, closed');
    expect((await app.api('GET', '/api/conversations/abc')).body.error).toMatchObject({ field: 'number' });
    expect((await app.api('GET', '/api/conversations/99')).status).toBe(404);
    expect((await app.api('GET', '/api/conversations?assignee=ghost')).body.error).toMatchObject({ code: 'agent_not_found', field: 'assignee' });
    expect((await app.api('GET', '/api/history?conversation=99')).status).toBe(404);
    expect((await app.api('GET', '/api/history?after=x')).body.error).toMatchObject({ field: 'after' });
  });
});
