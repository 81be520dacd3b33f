import { describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../support/core-harness.js';

/**
 * Another process (or another request) acts between two steps of a use case: the test runs `act`
 * once, right after the store call `method` returns.
 */
function interleave<K extends 'openConversation' | 'addMessage' | 'listWaiting' | 'addHistory' | 'getInbox'>(h: CoreHarness, method: K, act: () => Promise<unknown>): void {
  const store = h.store as unknown as Record<K, (...args: unknown[]) => Promise<unknown>>;
  const original = store[method].bind(h.store);
  let pending = true;
  store[method] = async (...args: unknown[]) => {
    const result = await original(...args);
    if (pending) {
      pending = false;
      await act();
    }
    return result;
  };
}

describe('a customer message racing a /close', () => {
  it('opens a new conversation instead of adding to the closed one', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello');
    interleave(h, 'openConversation', () => h.command('amanda', '/close #1'));
    await h.customerSays('c1', 'one more thing');

    expect((await h.store.listMessages(1)).map((m) => m.text)).toEqual(['hello']);
    expect(await h.statusOf(1)).toBe('closed');
    expect(await h.assigneeOf(2)).toBe('amanda');
    expect((await h.store.listMessages(2)).map((m) => m.text)).toEqual(['one more thing']);
    const toAmanda = h.telegram.texts(await h.chatOf('amanda'));
    expect(toAmanda.at(-1)).toContain('New conversation #2 in support from Customer c1.');
    expect(toAmanda.at(-1)).toContain('one more thing');
  });
});

describe("an agent's reply racing a /transfer", () => {
  it("keeps the new assignee's response timer working for the customer's next message", async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('bob', { availability: 'offline' });
    await h.agent('sup', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['amanda', 'bob'], { responseTimeoutSec: 60 });
    await h.customerSays('c1', 'hello');
    interleave(h, 'addMessage', () => h.command('sup', '/transfer #1 @bob'));
    await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'on it');
    expect(await h.assigneeOf(1)).toBe('bob');
    expect(h.telegram.texts('c1')).toEqual(['on it']);

    await h.customerSays('c1', 'one more question');
    expect(await h.scheduler.pending('response-timeout', { conversation: 1, assignee: 'bob' })).toHaveLength(1);
    h.clock.advance(60_000);
    await h.scheduler.runDue(h.core, h.clock);
    expect(await h.assigneeOf(1)).toBe('amanda'); // bob did not answer in time
  });
});

describe('a queue drain racing a /claim', () => {
  it('goes on with the next conversations when the oldest was just claimed by someone else', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline', capacity: 5 });
    await h.agent('bob', { availability: 'offline', capacity: 5 });
    await h.inbox('support', ['amanda', 'bob']);
    for (let i = 1; i <= 3; i++) await h.customerSays(`c${i}`, `question ${i}`);
    interleave(h, 'listWaiting', () => h.command('bob', '/claim #1'));

    expect(await h.command('amanda', '/available')).toBe('You are online and in rotation. 2 waiting conversation(s) were assigned to you.');
    expect([await h.assigneeOf(1), await h.assigneeOf(2), await h.assigneeOf(3)]).toEqual(['bob', 'amanda', 'amanda']);
  });
});

describe('two agents typing /claim at the same moment', () => {
  it('each gets a waiting conversation: the one who loses the oldest takes the next', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline' });
    await h.agent('bob', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'bob']);
    await h.customerSays('c1', 'first');
    await h.customerSays('c2', 'second');
    const answers = await Promise.all([h.command('amanda', '/claim'), h.command('bob', '/claim')]);
    expect(answers.sort()).toEqual(['You claimed #1 (Customer c1).', 'You claimed #2 (Customer c2).']);
  });
});

describe('/unassign --reassign racing a /claim', () => {
  it('says who has the conversation instead of calling it queued', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('bob', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'bob']);
    await h.customerSays('c1', 'hello');
    interleave(h, 'addHistory', () => h.command('bob', '/claim #1'));
    expect(await h.command('amanda', '/unassign #1 --reassign')).toBe('Unassigned #1; @bob took it meanwhile.');
    expect(await h.assigneeOf(1)).toBe('bob');
  });
});

describe("a response timeout racing the agent's reply", () => {
  it("does not redirect when the reply lands between the job's read and its move", async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('mathew');
    await h.inbox('support', ['amanda', 'mathew'], { responseTimeoutSec: 60 });
    await h.customerSays('c1', 'hello?');
    const [job] = await h.scheduler.pending('response-timeout', { conversation: 1 });
    const noticeId = await h.lastNoticeId('amanda', 1);
    // the job reads the conversation, then (before it moves it) Amanda's reply arrives
    interleave(h, 'getInbox', () => h.reply('amanda', noticeId, 'here I am'));
    await h.core.runJob('response-timeout', job!.data);

    expect(await h.assigneeOf(1)).toBe('amanda');
    expect(h.telegram.texts('c1')).toEqual(['here I am']);
    const history = (await h.store.listHistory({ conversation: 1 }, { limit: 10 })).items;
    expect(history.filter((e) => e.reason === 'timeout')).toEqual([]);
    expect((await h.store.getAgent('amanda'))!.openCount).toBe(1);
  });
});

describe("an agent's reply racing a colleague's reply and the customer's next message", () => {
  it("leaves the customer's new wait, and its timer, in place", async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('mathew');
    await h.agent('sup', { role: 'supervisor', availability: 'offline' });
    await h.inbox('support', ['amanda', 'mathew'], { responseTimeoutSec: 60 });
    await h.customerSays('c1', 'hello?');
    const noticeId = await h.lastNoticeId('amanda', 1);
    // Amanda's reply has gone out; before it clears the wait it answered, the supervisor answers
    // too, and the customer writes again: a new wait begins
    interleave(h, 'addMessage', async () => {
      await h.reply('sup', undefined, '#1 a supervisor here');
      h.clock.advance(5_000);
      await h.customerSays('c1', 'and my second question?');
    });
    await h.reply('amanda', noticeId, 'on it');
    expect(h.telegram.texts('c1')).toEqual(['on it', 'a supervisor here']);

    const conv = (await h.store.getConversation(1))!;
    expect(conv.waitingSince).toEqual(h.clock.now());
    expect((await h.scheduler.pending('response-timeout', { conversation: 1 })).map((j) => j.data.waitingSince)).toEqual([h.clock.now().toISOString()]);
    // nobody answers the second question: the conversation is redirected
    h.clock.advance(60_000);
    await h.scheduler.runDue(h.core, h.clock);
    expect(await h.assigneeOf(1)).toBe('mathew');
  });
});
