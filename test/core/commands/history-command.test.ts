import { describe, expect, it } from 'vitest';
import { fitLines } from '../../../src/core/commands/history-command.js';
import { makeCore, type CoreHarness } from '../../support/core-harness.js';

/** amanda holds #1 (support), mathew is a member, olga is in another inbox, sam a supervisor in none. */
async function team(): Promise<CoreHarness> {
  const h = makeCore();
  await h.agent('amanda');
  await h.agent('mathew', { availability: 'offline' });
  await h.agent('olga', { availability: 'offline' });
  await h.agent('sam', { role: 'supervisor', availability: 'offline' });
  await h.inbox('support', ['amanda', 'mathew']);
  await h.inbox('sales', ['olga'], { platform: 'slack', slackChannelId: 'C0SALES' });
  await h.customerSays('c1', 'my kettle leaks');
  h.clock.advance(60_000);
  await h.reply('amanda', await h.lastNoticeId('amanda', 1), 'Sorry! Since when?');
  h.clock.advance(60_000);
  await h.customerSays('c1', 'since yesterday');
  return h;
}

const HISTORY = [
  '#1 in support from Customer c1, assigned to @amanda: 3 message(s), times UTC.',
  '[09:00] Customer c1: my kettle leaks',
  '[09:01] @amanda: Sorry! Since when?',
  '[09:02] Customer c1: since yesterday',
].join('\n');

describe('/history', () => {
  it('shows the assignee the messages of both sides, who wrote each and when', async () => {
    const h = await team();
    expect(await h.command('amanda', '/history #1')).toBe(HISTORY);
    // without #N: the only open conversation, or the replied-to message
    expect(await h.command('amanda', '/history')).toBe(HISTORY);
    expect(await h.command('amanda', '/history', await h.lastNoticeId('amanda', 1))).toBe(HISTORY);
    expect(await h.command('mathew', '/history')).toBe('You have no open conversation; say which one: /history #N');
  });

  it('answers an inbox member and a supervisor; refuses an agent of another inbox in one line', async () => {
    const h = await team();
    expect(await h.command('mathew', '/history #1')).toBe(HISTORY);
    expect(await h.command('sam', '/history #1')).toBe(HISTORY);
    const refused = await h.command('olga', '/history #1');
    expect(refused).toBe('Conversation #1 is in inbox support; only its assignee, a supervisor or a member of support can read it. /mine lists yours.');
    expect(await h.command('olga', '/history #9')).toBe('There is no conversation #9. /mine lists yours, /queue what waits.');
    expect(await h.command('olga', '/history #1 #2')).toBe('Name one conversation only. Type /history [#N]');
  });

  it('refuses a customer in one line', async () => {
    const h = await team();
    const r = await h.customerSays('c2', '/history #1', { kind: 'command', command: 'history', text: '#1' });
    expect(r.answer?.text).toBe('Commands are for agents of this team. Just write your message and we will answer.');
  });

  it('shows the latest 20 of 45 messages and says how many there are', async () => {
    const h = await team();
    for (let i = 4; i <= 45; i++) {
      if (i % 2) await h.customerSays('c1', `customer ${i}`);
      else await h.reply('amanda', await h.lastNoticeId('amanda', 1), `agent ${i}`);
    }
    const lines = (await h.command('amanda', '/history #1')).split('\n');
    expect(lines[0]).toBe('#1 in support from Customer c1, assigned to @amanda: the latest 20 of 45 messages (all of them through the admin API), times UTC.');
    expect(lines.slice(1)).toHaveLength(20);
    expect(lines[1]).toBe('[09:02] @amanda: agent 26');
    expect(lines[20]).toBe('[09:02] Customer c1: customer 45');
  });

  it('fits long messages into one answer: short ones whole, long ones cut saying how much is left out', async () => {
    const h = await team();
    await h.customerSays('c1', 'z'.repeat(3000));
    await h.customerSays('c1', 'y'.repeat(3000));
    const answer = await h.command('amanda', '/history #1');
    expect(answer.length).toBeLessThanOrEqual(4096);
    expect(answer).toContain('[09:02] Customer c1: since yesterday\n');
    expect(answer).toMatch(/Customer c1: z+… \(\d+ more characters\)\n/);
    expect(answer).toMatch(/Customer c1: y+… \(\d+ more characters\)$/);
  });

  it('fitLines keeps everything when it fits and stays within the budget when not', () => {
    expect(fitLines(['a', 'b'], 100)).toEqual(['a', 'b']);
    const fitted = fitLines(['short', 'x'.repeat(500), 'y'.repeat(500)], 400);
    expect(fitted[0]).toBe('short');
    expect(fitted.reduce((n, l) => n + l.length + 1, 0)).toBeLessThanOrEqual(400);
  });
});
