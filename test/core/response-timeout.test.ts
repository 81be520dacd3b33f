import { beforeEach, describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../support/core-harness.js';

let h: CoreHarness;
const timeout = 60;
beforeEach(async () => {
  h = makeCore();
  for (const a of ['amanda', 'mathew', 'geraldine']) await h.agent(a);
  await h.agent('sup', { role: 'supervisor', availability: 'offline' });
  await h.inbox('support', ['amanda', 'mathew', 'geraldine'], { responseTimeoutSec: timeout, maxRedirects: 2 });
});

const elapse = async (sec: number) => {
  h.clock.advance(sec * 1000);
  return h.scheduler.runDue(h.core, h.clock);
};

describe('response timeout', () => {
  it('redirects an unanswered conversation to the next eligible agent, excluding the slow one', async () => {
    await h.customerSays('c1', 'hello?');
    expect(await h.assigneeOf(1)).toBe('amanda');
    await elapse(timeout - 1);
    expect(await h.assigneeOf(1)).toBe('amanda');
    await elapse(1);
    expect(await h.assigneeOf(1)).toBe('mathew');
    expect(h.telegram.texts(await h.chatOf('amanda')).at(-1)).toBe(
      'Conversation #1 went to someone else: the customer waited more than 1 min for an answer.',
    );
    const last = (await h.store.listHistory({ conversation: 1 }, { limit: 10 })).items.at(-1)!;
    expect(last).toMatchObject({ reason: 'timeout', from: 'amanda', to: 'mathew', actor: null });
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(0);
  });

  it.each([
    ['the assignee replies', async () => void (await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'on it'))],
    ['a transfer', async () => void (await h.command('amanda', '/transfer #1 @geraldine'))],
    ['an unassign', async () => void (await h.command('amanda', '/unassign #1'))],
    ['a close', async () => void (await h.command('amanda', '/close #1'))],
  ])('is cancelled by %s', async (_what, act) => {
    await h.customerSays('c1', 'hello?');
    await elapse(timeout / 2);
    await act();
    const before = await h.store.getConversation(1);
    const pending = await h.scheduler.pending('response-timeout', { conversation: 1, assignee: 'amanda' });
    expect(pending).toEqual([]);
    await elapse(timeout / 2 + 1); // past the original deadline
    const after = await h.store.getConversation(1);
    expect(after!.assignee).toBe(before!.assignee);
    expect(after!.redirects).toBe(0);
  });

  it('after maxRedirects goes to the fallback agent', async () => {
    await h.core.updateInbox('support', { fallbackAgent: 'sup' });
    await h.customerSays('c1', 'hello?');
    await elapse(timeout); // amanda → mathew
    await elapse(timeout); // mathew → geraldine
    expect(await h.assigneeOf(1)).toBe('geraldine');
    await elapse(timeout); // third timeout > maxRedirects 2 → fallback
    expect(await h.assigneeOf(1)).toBe('sup');
    expect(h.telegram.texts(await h.chatOf('sup')).at(-1)).toContain('Note: Escalated after 2 redirects.');
    await elapse(timeout * 5);
    expect(await h.assigneeOf(1)).toBe('sup'); // no more redirects after escalation
  });

  it('after maxRedirects goes back to the queue when the fallback agent is at capacity', async () => {
    await h.agent('lead', { role: 'supervisor', capacity: 1, availability: 'offline' });
    await h.core.updateInbox('support', { fallbackAgent: 'lead' });
    await h.customerSays('c2', 'first customer');
    await h.command('amanda', '/unassign #1');
    expect(await h.command('lead', '/claim #1')).toContain('You claimed #1');
    await h.reply('lead', await h.lastNoticeId('lead', 1), 'hello, I am on it');
    await h.customerSays('c1', 'hello?');
    await elapse(timeout);
    await elapse(timeout);
    await elapse(timeout); // third timeout > maxRedirects 2 → the fallback, who is full
    expect(await h.statusOf(2)).toBe('queued');
    const lead = (await h.store.getAgent('lead'))!;
    expect([lead.openCount, lead.capacity]).toEqual([1, 1]);
    expect(h.telegram.texts(await h.chatOf('lead')).some((t) => t.includes('#2'))).toBe(false);
  });

  it('starts counting redirects again when a person hands the conversation on', async () => {
    await h.core.updateInbox('support', { fallbackAgent: 'sup' });
    await h.customerSays('c1', 'hello?');
    for (let i = 0; i < 3; i++) await elapse(timeout);
    expect(await h.assigneeOf(1)).toBe('sup');
    expect(await h.command('sup', '/transfer #1 @amanda')).toBe('Transferred #1 to @amanda.');
    expect(await h.scheduler.pending('response-timeout', { conversation: 1, assignee: 'amanda' })).toHaveLength(1);
    await elapse(timeout);
    expect(await h.assigneeOf(1)).not.toBe('amanda');
  });

  it('leaves the conversation with its agent while the inbox is paused, and redirects after /resume', async () => {
    await h.customerSays('c1', 'hello?');
    await h.command('sup', '/pause support');
    await elapse(timeout);
    expect(await h.assigneeOf(1)).toBe('amanda');
    await h.command('sup', '/resume support');
    await elapse(timeout);
    expect(await h.assigneeOf(1)).toBe('mathew');
  });

  it('without a fallback goes back to the queue', async () => {
    await h.customerSays('c1', 'hello?');
    await elapse(timeout);
    await elapse(timeout);
    await elapse(timeout);
    expect(await h.statusOf(1)).toBe('queued');
    expect(await h.assigneeOf(1)).toBeNull();
    expect(h.telegram.texts(await h.chatOf('geraldine')).at(-1)).toBe(
      'Conversation #1 was taken from you and went back to the queue: the customer waited more than 1 min for an answer.',
    );
  });

  it('does nothing when stale, and a job never acts twice', async () => {
    await h.customerSays('c1', 'hello?');
    const [job] = await h.scheduler.pending('response-timeout', { conversation: 1 });
    await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'answered');
    await h.core.runJob('response-timeout', job!.data); // stale: answered
    expect(await h.assigneeOf(1)).toBe('amanda');
    await h.customerSays('c1', 'one more question');
    const [fresh] = await h.scheduler.pending('response-timeout', { conversation: 1 });
    await Promise.all([h.core.runJob('response-timeout', fresh!.data), h.core.runJob('response-timeout', fresh!.data)]);
    expect(await h.assigneeOf(1)).toBe('mathew');
    const timeouts = (await h.store.listHistory({ conversation: 1 }, { limit: 10 })).items.filter((e) => e.reason === 'timeout');
    expect(timeouts).toHaveLength(1);
  });

  it('is off when responseTimeoutSec is 0', async () => {
    await h.core.updateInbox('support', { responseTimeoutSec: 0 });
    await h.customerSays('c1', 'hello?');
    expect(h.scheduler.jobs).toEqual([]);
  });
});

describe('response timeout turned off', () => {
  it('a timer set before the inbox turned redirects off does nothing', async () => {
    await h.customerSays('c1', 'hello?');
    expect(await h.scheduler.pending('response-timeout', { conversation: 1 })).toHaveLength(1);
    await h.core.updateInbox('support', { responseTimeoutSec: 0 });
    await elapse(timeout);
    expect(await h.assigneeOf(1)).toBe('amanda');
    expect((await h.store.getConversation(1))!.redirects).toBe(0);
  });
});
