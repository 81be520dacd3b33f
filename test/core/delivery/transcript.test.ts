import { describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../../support/core-harness.js';

/** Everything a chat received, in order, with the copies marked. */
function chat(h: CoreHarness, chatId: string): string[] {
  return h.telegram.to(chatId).map((m) => (m.copyOf ? `[copy ${m.copyOf.messageId}] ${m.text}` : m.text));
}

async function conversationOf45(h: CoreHarness): Promise<void> {
  await h.agent('amanda');
  await h.agent('geraldine', { availability: 'offline' });
  await h.inbox('support', ['amanda', 'geraldine']);
  for (let i = 1; i <= 45; i++) {
    if (i % 2) await h.customerSays('c1', `customer ${i}`);
    else await h.reply('amanda', await h.lastNoticeId('amanda', 1), `agent ${i}`);
    h.clock.advance(60_000);
  }
}

describe('what an agent sees on assignment', () => {
  it('a customer who wrote 3 messages while queued: the agent who comes online gets all 3, in order', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline' });
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'hello?');
    await h.customerSays('c1', 'my order 4711 is late');
    await h.customerSays('c1', 'can you refund it?');
    await h.command('amanda', '/available');
    const [notice, ...more] = h.telegram.texts(await h.chatOf('amanda'));
    expect(more).toEqual([]);
    expect(notice).toMatch(/^New conversation #1 in support from Customer c1\.\nCustomer c1: hello\?\nCustomer c1: my order 4711 is late\nCustomer c1: can you refund it\?\nReply to this message/);
  });

  it('30 messages while queued: all 30 reach the agent', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline' });
    await h.inbox('support', ['amanda']);
    for (let i = 1; i <= 30; i++) await h.customerSays('c1', `message number ${i}`);
    await h.command('amanda', '/available');
    const all = h.telegram.texts(await h.chatOf('amanda')).join('\n');
    for (let i = 1; i <= 30; i++) expect(all).toContain(`Customer c1: message number ${i}\n`);
    expect(all).not.toContain('more earlier message');
  });

  it('a 3,000-character first message arrives whole, in one message', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    const long = `${'I ordered a blue kettle and got a red one. '.repeat(70)}What should I do?`;
    expect(long.length).toBeGreaterThan(3000);
    await h.customerSays('c1', long);
    const notices = h.telegram.texts(await h.chatOf('amanda'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`Customer c1: ${long}\n`);
  });

  it("a 13,000-character message is split at the platform's limit, every part marked #N, nothing lost", async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.inbox('support', ['amanda']);
    const words = Array.from({ length: 2500 }, (_, i) => `w${i}`).join(' ');
    await h.customerSays('c1', words);
    const notices = h.telegram.to(await h.chatOf('amanda'));
    expect(notices.length).toBeGreaterThan(2);
    for (const [i, m] of notices.entries()) {
      expect(m.text.length).toBeLessThanOrEqual(4096);
      expect(m.conversation).toBe(1);
      if (i > 0) expect(m.text).toMatch(/^#1 \(continued\)\n/);
    }
    expect(notices.at(-1)!.buttons).toBeDefined();
    const rebuilt = notices.map((m) => m.text.replace(/^#1 \(continued\)\n/, '')).join(' ');
    for (const w of ['w0', 'w1249', 'w2499']) expect(rebuilt).toContain(w);
    expect(rebuilt.match(/\bw\d+\b/g)).toHaveLength(2500);

    // a follow-up that long is split the same way
    await h.customerSays('c1', words);
    const relayed = h.telegram.to(await h.chatOf('amanda')).slice(notices.length);
    expect(relayed.length).toBeGreaterThan(2);
    expect(relayed[0]!.text).toMatch(/^#1 Customer c1: w0 w1 /);
    for (const m of relayed.slice(1)) expect(m.text).toMatch(/^#1 \(continued\)\nw\d+/);
    expect(relayed.map((m) => m.text).join(' ').match(/\bw\d+\b/g)).toHaveLength(2500);
  });

  it('copies what a queued customer sent besides text, after the notice that lists it', async () => {
    const h = makeCore();
    await h.agent('amanda', { availability: 'offline' });
    await h.inbox('support', ['amanda']);
    await h.customerSays('c1', 'here is the receipt', { attachment: 'photo', messageId: '77' });
    await h.customerSays('c1', 'and the label', { attachment: 'document', messageId: '78' });
    await h.customerSays('c1', 'thanks');
    await h.command('amanda', '/available');
    expect(chat(h, await h.chatOf('amanda'))).toEqual([
      expect.stringContaining('Customer c1: [photo] here is the receipt\nCustomer c1: [document] and the label\nCustomer c1: thanks\n'),
      '[copy 77] #1 Customer c1: [photo] here is the receipt',
      '[copy 78] #1 Customer c1: [document] and the label',
    ]);
  });

  it('shows the transfer note in full, and no message is cut at 500 characters', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('geraldine');
    await h.inbox('support', ['amanda', 'geraldine']);
    const first = `${'x'.repeat(1500)} the actual question?`;
    await h.customerSays('c1', first);
    const note = `${'n'.repeat(700)} end of note`;
    const holder = await h.assigneeOf(1);
    const other = holder === 'amanda' ? 'geraldine' : 'amanda';
    await h.command(holder!, `/transfer #1 @${other} ${note}`);
    const notice = h.telegram.texts(await h.chatOf(other)).join('\n');
    expect(notice).toContain(`Note: ${note}\n`);
    expect(notice).toContain(`Customer c1: ${first}\n`);
  });
});

describe('what an agent sees on a hand-over', () => {
  it('after /transfer the new assignee sees the latest messages of both sides, with their times', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('geraldine', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'geraldine']);
    await h.customerSays('c1', 'my kettle is broken');
    h.clock.advance(60_000);
    await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'Sorry! Which model?');
    h.clock.advance(60_000);
    await h.customerSays('c1', 'the KT-200');
    await h.command('amanda', '/transfer #1 @geraldine knows kettles');
    const [notice, ...more] = h.telegram.texts(await h.chatOf('geraldine'));
    expect(more).toEqual([]);
    expect(notice).toBe(
      [
        'Conversation #1 in support from Customer c1 was transferred to you by @amanda.',
        'Note: knows kettles',
        '[09:00] Customer c1: my kettle is broken',
        '[09:01] @amanda: Sorry! Which model?',
        '[09:02] Customer c1: the KT-200',
        'Reply to this message to answer. /close #1 when done, /transfer #1 @agent to hand over.',
      ].join('\n'),
    );
  });

  it('a conversation with 45 messages hands over the latest 20 and one line for the 25 more', async () => {
    const h = makeCore();
    await conversationOf45(h);
    await h.command('amanda', '/transfer #1 @geraldine');
    const notice = h.telegram.texts(await h.chatOf('geraldine')).join('\n');
    expect(notice).toContain('… 25 more earlier messages are not shown here (/history #1 lists the latest; the admin API has them all).\n');
    const lines = notice.split('\n').filter((l) => /^\[\d\d:\d\d\] /.test(l));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe('[09:25] @amanda: agent 26');
    expect(lines.at(-1)).toBe('[09:44] Customer c1: customer 45');
    expect(lines.filter((l) => l.includes('@amanda: agent'))).toHaveLength(10);
  });

  it('a claim of a conversation someone held before is a hand-over too', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('geraldine', { availability: 'offline' });
    await h.inbox('support', ['amanda', 'geraldine']);
    await h.customerSays('c1', 'hello');
    await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'hi, how can I help?');
    await h.command('amanda', '/unassign #1');
    await h.command('geraldine', '/claim #1');
    const notice = h.telegram.texts(await h.chatOf('geraldine')).at(-1)!;
    expect(notice).toMatch(/^You claimed conversation #1 in support from Customer c1\.\n\[09:00\] Customer c1: hello\n\[09:00\] @amanda: hi, how can I help\?\n/);
  });

  it('a response-timeout redirect is a hand-over: the next agent sees what was written, with times', async () => {
    const h = makeCore();
    await h.agent('amanda');
    await h.agent('mathew');
    await h.inbox('support', ['amanda', 'mathew'], { responseTimeoutSec: 60 });
    await h.customerSays('c1', 'hello?');
    h.clock.advance(30_000);
    await h.customerSays('c1', 'anyone there?');
    h.clock.advance(30_000);
    await h.scheduler.runDue(h.core, h.clock);
    expect(await h.assigneeOf(1)).toBe('mathew');
    const [notice] = h.telegram.texts(await h.chatOf('mathew'));
    expect(notice).toMatch(/^Conversation #1 in support from Customer c1 is yours: the customer is still waiting for an answer\.\n\[09:00\] Customer c1: hello\?\n\[09:00\] Customer c1: anyone there\?\n/);
  });
});
