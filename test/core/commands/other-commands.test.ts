import { beforeEach, describe, expect, it } from 'vitest';
import { makeCore, type CoreHarness } from '../../support/core-harness.js';

let h: CoreHarness;
beforeEach(async () => {
  h = makeCore();
  await h.agent('amanda', { capacity: 5 });
  await h.agent('mathew', { availability: 'offline' });
  await h.agent('sam', { role: 'supervisor', availability: 'offline' });
  await h.agent('olga', { availability: 'offline' });
  await h.inbox('support', ['amanda', 'mathew']);
  await h.inbox('sales', ['olga'], { platform: 'slack', slackChannelId: 'C0SALES' });
});

describe('/mine', () => {
  it('lists my open conversations with the latest message', async () => {
    await h.customerSays('c1', 'where is my parcel');
    expect(await h.command('amanda', '/mine')).toBe('Your open conversations (1/5):\n#1 support · Customer c1, waiting 0m: where is my parcel');
    expect(await h.command('mathew', '/mine')).toBe('You have no open conversations (offline).');
    expect(await h.command('amanda', '/mine #1')).toBe('Unexpected "#1". Type /mine');
  });
});

describe('/queue', () => {
  it('lists queued and unassigned conversations of my inboxes, oldest first', async () => {
    await h.command('amanda', '/offline');
    await h.customerSays('c1', 'first');
    await h.customerSays('c2', 'second');
    const answer = await h.command('mathew', '/queue');
    expect(answer.split('\n')).toEqual([
      'Waiting in support (2), oldest first; /claim #N takes one:',
      '#1 support · Customer c1 [queued], waiting 0m: first',
      '#2 support · Customer c2 [queued], waiting 0m: second',
    ]);
    expect(await h.command('olga', '/queue')).toBe('Nothing waits in sales.');
  });

  it('keeps one line per conversation when a customer wrote several lines', async () => {
    await h.command('amanda', '/offline');
    await h.customerSays('c1', 'hello\n#99 support · Boss [queued], waiting 0m: fake\n\nbye');
    const answer = await h.command('mathew', '/queue');
    expect(answer.split('\n')).toEqual([
      'Waiting in support (1), oldest first; /claim #N takes one:',
      '#1 support · Customer c1 [queued], waiting 0m: hello #99 support · Boss [queued], waiting 0m: fake bye',
    ]);
  });

  it('refuses inboxes I am not in, unknown inboxes and extra words', async () => {
    expect(await h.command('olga', '/queue support')).toBe('You are not a member of inbox support; /queue shows your own inboxes.');
    expect(await h.command('olga', '/queue nowhere')).toBe('No inbox "nowhere". Type /queue without a name for your inboxes.');
    expect(await h.command('olga', '/queue sales support')).toBe('Name one inbox only. Type /queue [inbox]');
    expect(await h.command('sam', '/queue support')).toBe('Nothing waits in support.');
  });
});

describe('/available, /away, /offline', () => {
  it('changes my availability and says what it means', async () => {
    expect(await h.command('amanda', '/away')).toBe('You are away: no new conversations will be routed to you.');
    expect((await h.store.getAgent('amanda'))!.availability).toBe('away');
    expect(await h.command('amanda', '/offline')).toBe('You are offline: no new conversations will be routed to you.');
    expect(await h.command('amanda', '/available')).toBe('You are online and in rotation.');
    expect(await h.command('amanda', '/available now')).toBe('Unexpected "now". Type /available');
  });

  it('does not tell an agent in no inbox that they are in rotation', async () => {
    await h.agent('nina', { availability: 'offline' });
    expect(await h.command('nina', '/available')).toBe('You are online, but in no inbox yet, so no conversations can reach you; ask a supervisor to add you to one.');
    expect((await h.store.getAgent('nina'))!.availability).toBe('online');
  });
});

describe('/agents', () => {
  it('shows agents with status, availability and load to supervisors only', async () => {
    await h.customerSays('c1', 'hi');
    const answer = await h.command('sam', '/agents');
    expect(answer).toContain('@amanda Amanda · agent · active · online · 1/5');
    expect(answer).toContain('@sam Sam · supervisor · active · offline · 0/10');
    expect(await h.command('amanda', '/agents')).toBe('/agents is for supervisors; /mine shows your own conversations.');
    expect(await h.command('sam', '/agents all')).toBe('Unexpected "all". Type /agents');
  });
});

describe('/pause and /resume', () => {
  it('are for supervisors and need a known inbox when there are several', async () => {
    expect(await h.command('amanda', '/pause support')).toBe('/pause is for supervisors.');
    expect(await h.command('sam', '/pause')).toBe('Say which inbox: /pause <inbox> (one of: sales, support).');
    expect(await h.command('sam', '/pause nowhere')).toBe('No inbox "nowhere". Type /pause <inbox>; /queue shows yours.');
    expect(await h.command('sam', '/resume support')).toBe('Inbox support is already running.');
    expect(await h.command('sam', '/pause support')).toBe('Paused support: new conversations wait in the queue until /resume support.');
    expect((await h.store.getInbox('support'))!.paused).toBe(true);
  });
});

describe('/help and unknown commands', () => {
  it('lists what the caller may use', async () => {
    const agentHelp = await h.command('amanda', '/help');
    expect(agentHelp).toContain('/transfer [#N] @agent [note]');
    expect(agentHelp).not.toContain('/offboard');
    expect(await h.command('sam', '/help')).toContain('/offboard @agent');
    expect(await h.command('amanda', '/frobnicate')).toBe('Unknown command /frobnicate. Type /help for the list.');
  });

  it('greets customers on /start and /help and refuses other commands in one line', async () => {
    const cmd = (name: string, text = '') =>
      h.core.handleInbound({
        platform: 'telegram',
        deliveryId: `cust:${name}:${Math.random()}`,
        kind: 'command',
        sender: { id: 'c9', name: 'Carl' },
        chat: { id: 'c9', isDirect: true },
        command: name,
        text,
      });
    expect((await cmd('start')).answer!.text).toBe('Hi! Just write your message here and one of our team will answer you in this chat.');
    expect((await cmd('help')).answer!.text).toContain('Just write your message');
    expect((await cmd('transfer', '#1 @amanda')).answer!.text).toBe('Commands are for agents of this team. Just write your message and we will answer.');
  });
});

describe('revoked agents', () => {
  it.each(['suspended', 'disabled'] as const)('refuses commands and replies of a %s agent', async (status) => {
    await h.customerSays('c1', 'hi');
    const noticeId = await h.lastNoticeId('amanda', 1);
    await h.store.updateAgent('amanda', { status });
    expect(await h.command('amanda', '/mine')).toBe(`Your access is revoked (${status}); ask a supervisor.`);
    expect(await h.command('amanda', '/close #1')).toBe(`Your access is revoked (${status}); ask a supervisor.`);
    expect(await h.reply('amanda', noticeId, 'hello')).toBe(`Your access is revoked (${status}); ask a supervisor.`);
    expect(h.telegram.texts('c1')).toEqual([]);
  });

  it('does not route to a removed agent, whose identities are gone', async () => {
    await h.store.updateAgent('mathew', { status: 'removed', telegramUserId: undefined });
    await h.command('amanda', '/offline');
    await h.customerSays('c1', 'hi');
    expect(await h.statusOf(1)).toBe('queued');
  });
});
