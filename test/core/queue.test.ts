import { describe, expect, it } from 'vitest';
import { makeCore } from '../support/core-harness.js';
import { QUEUED_NOTICE } from '../../src/core/inbound/customer-message.js';

describe('queue', () => {
  it('tells the customer once that someone will answer, not again on later messages', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline' });
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello?');
    await h.customerSays('c1', 'anyone?');
    expect(h.telegram.texts('c1')).toEqual([QUEUED_NOTICE]);
    expect(await h.statusOf(1)).toBe('queued');
  });

  it('drains oldest first when an agent comes online', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline', capacity: 2 });
    await h.inbox('support', ['amanda']);
    for (let i = 1; i <= 3; i++) await h.customerSays(`c${i}`, `msg ${i}`);
    const answer = await h.command('amanda', '/available');
    expect(answer).toContain('2 waiting conversation(s) were assigned to you');
    expect([await h.assigneeOf(1), await h.assigneeOf(2), await h.statusOf(3)]).toEqual(['amanda', 'amanda', 'queued']);
    const notices = h.telegram.texts(await h.chatOf('amanda'));
    expect(notices[0]).toContain('#1');
    expect(notices[0]).toContain('msg 1');
  });

  it('drains when an agent frees capacity by closing', async () => {
    const h = makeCore();
    await h.agent('amanda', { capacity: 1 });
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'first');
    await h.customerSays('c2', 'second');
    await h.customerSays('c3', 'third');
    expect(await h.statusOf(2)).toBe('queued');
    await h.command('amanda', '/close #1');
    expect(await h.assigneeOf(2)).toBe('amanda');
    expect(await h.statusOf(3)).toBe('queued');
  });

  it('drains when an agent joins the inbox', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', []);
    await h.customerSays('c1', 'hi');
    expect(await h.statusOf(1)).toBe('queued');
    const r = await h.core.setMembers('support', { handles: ['amanda'] });
    expect(r.ok).toBe(true);
    expect(await h.assigneeOf(1)).toBe('amanda');
  });

  it('holds conversations while paused and drains on resume', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('sam', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['amanda']);
    expect(await h.command('sam', '/pause support')).toContain('Paused support');
    await h.customerSays('c1', 'hi');
    await h.customerSays('c2', 'hi');
    expect(await h.statusOf(1)).toBe('queued');
    expect(await h.command('sam', '/resume support')).toBe('Resumed support: 2 queued conversation(s) assigned.');
    expect([await h.assigneeOf(1), await h.assigneeOf(2)]).toEqual(['amanda', 'amanda']);
  });

  it('does not drain unassigned conversations: they wait for a trigger or /claim', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('mathew', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'mathew']);
    await h.customerSays('c1', 'hi');
    expect(await h.command('amanda', '/unassign #1')).toContain('Unassigned #1');
    await h.command('mathew', '/available');
    expect(await h.statusOf(1)).toBe('unassigned');
    await h.customerSays('c1', 'still there?');
    expect(await h.statusOf(1)).toBe('assigned');
  });
});
