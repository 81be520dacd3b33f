import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { client } from '../../../http/serve.js';
import type { Person } from '../telegram-updates.js';
import { person, Switchboard } from './switchboard.js';

const TOKEN = 'offboarding-api-token-0123456789';

/** Offboarding through the admin API: the same plan, moves, digests and history as /offboard in chat. */
describe('admin API end to end: offboarding, jobs, deleting an inbox', () => {
  let sb: Switchboard;
  let api: ReturnType<typeof client>;
  let ann: Person;
  let ben: Person;
  let cid: Person;
  const customers: Person[] = [];

  beforeEach(async () => {
    sb = await Switchboard.start({ adminToken: TOKEN });
    api = client(sb.base, TOKEN);
    ann = person('Ann');
    ben = person('Ben');
    cid = person('Cid');
    await sb.addAgent('ann', ann);
    await sb.addAgent('ben', ben, { availability: 'offline' });
    await sb.addAgent('cid', cid, { availability: 'offline' });
    customers.length = 0;
    for (let i = 0; i < 6; i++) {
      const c = person(`Customer${i}`);
      customers.push(c);
      await sb.say(c, `question ${i}`);
      await sb.received(ann, `Customer${i}`);
    }
    await sb.command(ben, '/available');
    await sb.command(cid, '/available');
  });
  afterEach(async () => sb?.close());

  it('previews with a code, confirms, hands over with one digest each, records admin-api as the actor; a second confirm does nothing', async () => {
    const preview = await api('POST', '/api/agents/ann/offboard', { mode: 'suspend', until: '2h', ratio: { ben: 2, cid: 1 } });
    expect(preview.status).toBe(201);
    expect(preview.body).toMatchObject({ agent: 'ann', mode: 'suspend', distribution: '6 conversations: @ben 4, @cid 2, 0 unassigned', inboxes: ['telegram'] });
    expect(preview.body.code).toMatch(/^[A-Z0-9]{6}$/);
    expect(preview.body.text).toContain(`POST /api/offboardings/${preview.body.code}/confirm`);
    expect((await sb.conversation(1)).assignee).toBe('ann'); // a preview changes nothing

    // the scheduled jobs: Ann's response timers now, then the reinstatement after the confirmation
    const timers = await api('GET', '/api/jobs?name=response-timeout&agent=ann');
    expect(timers.status).toBe(200);
    expect(timers.body.items.length).toBeGreaterThan(0);
    expect(timers.body.items[0]).toMatchObject({ name: 'response-timeout', agent: 'ann' });

    const done = await api('POST', `/api/offboardings/${preview.body.code}/confirm`);
    expect(done.status).toBe(200);
    expect(done.body.summary).toContain('6/6 reassigned, 0 left unassigned');
    const digests = sb.api.calls.filter((c) => c.method === 'sendMessage' && String(c.params.text).includes('conversation(s) of @ann'));
    expect(digests.map((c) => String(c.params.chat_id)).sort()).toEqual([String(ben.id), String(cid.id)].sort());
    expect((await api('GET', '/api/agents/ann')).body).toMatchObject({ status: 'suspended', inboxes: [] });
    const history = await api('GET', '/api/history?agent=ann');
    const moves = history.body.items.filter((e: { reason: string }) => e.reason === 'suspend');
    expect(moves).toHaveLength(6);
    expect(moves.every((e: { actor: string }) => e.actor === 'admin-api')).toBe(true);

    const reinstatement = await api('GET', '/api/jobs?name=reinstate-agent&agent=ann');
    expect(reinstatement.body.items).toHaveLength(1);
    expect(Date.parse(reinstatement.body.items[0].runAt) - Date.now()).toBeGreaterThan(110 * 60_000);

    const again = await api('POST', `/api/offboardings/${preview.body.code}/confirm`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already/);
    // the suspended agent's commands are refused, as after a chat offboarding
    expect(await sb.command(ann, '/mine')).toBe('Your access is revoked (suspended); ask a supervisor.');
  });

  it('refuses bad options with 400 naming the field, unknown agents with 404, and leaves everything as it was', async () => {
    const bad = await api('POST', '/api/agents/ann/offboard', { mode: 'vanish' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('mode');
    const two = await api('POST', '/api/agents/ann/offboard', { to: 'ben', ratio: { cid: 1 } });
    expect(two.status).toBe(400);
    expect(two.body.error.field).toBe('ratio');
    const unknown = await api('POST', '/api/agents/nobody/offboard', {});
    expect(unknown.status).toBe(404);
    const wrongCode = await api('POST', '/api/offboardings/NOPE42/confirm');
    expect(wrongCode.status).toBe(400);
    expect((await sb.conversation(1)).assignee).toBe('ann');
  });

  it('deletes an inbox only without open conversations', async () => {
    const busy = await api('DELETE', '/api/inboxes/telegram');
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain('still has open conversations');
    expect((await api('POST', '/api/inboxes', { name: 'spare', platform: 'slack', slackChannelId: 'C0SPARE001' })).status).toBe(201);
    expect((await api('PUT', '/api/inboxes/spare/members', { handles: ['ben'] })).status).toBe(200);
    const gone = await api('DELETE', '/api/inboxes/spare');
    expect(gone).toMatchObject({ status: 200, body: { name: 'spare', deleted: true } });
    expect((await api('GET', '/api/inboxes/spare')).status).toBe(404);
    expect((await api('GET', '/api/agents/ben')).body.inboxes).toEqual(['telegram']);
    expect((await api('DELETE', '/api/inboxes/spare')).status).toBe(404);
  });
});
