import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandCatalogue } from '../../../src/core/index.js';
import { SlackAppHarness, unwrap } from './app-harness.js';

const AMANDA = 'U0AMANDA01'; // supervisor
const MATHEW = 'U0MATHEW01'; // agent, member of support
const GERALDINE = 'U0GERALD01'; // agent, not a member
const STRANGER = 'U0NOBODY01';
const SUPPORT = 'C0SUPPORT1';

/** Slash commands typed in Slack, answered ephemerally by the real core (in-process store). */
describe('Slack end to end through buildApp: slash commands', () => {
  let h: SlackAppHarness;
  beforeEach(async () => {
    h = await SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', role: 'supervisor', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createAgent({ handle: 'mathew', name: 'Mathew', availability: 'online', homePlatform: 'slack', slackUserId: MATHEW }));
      unwrap(await core.createAgent({ handle: 'geraldine', name: 'Geraldine', availability: 'online', homePlatform: 'slack', slackUserId: GERALDINE }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.setMembers('support', { handles: ['mathew', 'amanda'] }));
    });
  });
  afterEach(async () => {
    await h.close();
  });

  /** A customer opens a conversation in the support channel; resolves to its number. */
  async function customerWrites(user: string, text: string): Promise<number> {
    const before = unwrap(await h.core.listConversations({})).items.length;
    await h.message({ user, channel: SUPPORT, text });
    for (let i = 0; i < 100; i++) {
      const items = unwrap(await h.core.listConversations({})).items;
      if (items.length > before) return Math.max(...items.map((c) => c.number));
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no conversation opened');
  }

  const status = async (n: number) => unwrap(await h.core.getConversation(n));

  it('answers a Slack user who is not an agent with a one-line refusal, and greets on /sb-help', async () => {
    const refused = await h.command(STRANGER, '/mine');
    expect(refused.text).toMatch(/agent/i);
    expect(refused.text.split('\n')).toHaveLength(1);
    const help = await h.command(STRANGER, '/sb-help');
    expect(help.text).toMatch(/write/i);
  });

  it('/sb-help lists the commands the caller may use', async () => {
    const agentHelp = await h.command(MATHEW, '/sb-help');
    expect(agentHelp.text).toContain('/mine');
    expect(agentHelp.text).not.toContain('/offboard');
    const supervisorHelp = await h.command(AMANDA, '/sb-help');
    expect(supervisorHelp.text).toContain('/offboard');
  });

  it('/mine lists my open conversations; extra words are refused', async () => {
    const n = await customerWrites('U0CUST0001', 'hello');
    const holder = (await status(n)).assignee;
    const mine = await h.command(holder === 'mathew' ? MATHEW : AMANDA, '/mine');
    expect(mine.text).toContain(`#${n}`);
    const bad = await h.command(MATHEW, '/mine', 'please');
    expect(bad.text).toContain('/mine');
    expect(bad.text).toMatch(/unexpected/i);
  });

  it('/available, /away, /offline set my availability; an argument is refused', async () => {
    expect((await h.command(MATHEW, '/away')).text).toMatch(/away/);
    expect(unwrap(await h.core.getAgent('mathew')).availability).toBe('away');
    expect((await h.command(MATHEW, '/offline')).text).toMatch(/offline/);
    expect(unwrap(await h.core.getAgent('mathew')).availability).toBe('offline');
    expect((await h.command(MATHEW, '/available')).text).toMatch(/online/);
    expect(unwrap(await h.core.getAgent('mathew')).availability).toBe('online');
    const bad = await h.command(MATHEW, '/away', 'lunch');
    expect(bad.text).toContain('/away');
    expect(unwrap(await h.core.getAgent('mathew')).availability).toBe('online');
  });

  it('/agents is for supervisors', async () => {
    const list = await h.command(AMANDA, '/agents');
    expect(list.text).toContain('@mathew');
    expect(list.text).toContain('@geraldine');
    const refused = await h.command(MATHEW, '/agents');
    expect(refused.text).not.toContain('@geraldine');
    expect(refused.text).toMatch(/supervisor/i);
  });

  it('/pause and /resume stop and restart assignment; agents may not; unknown inboxes are named', async () => {
    expect((await h.command(MATHEW, '/pause', 'support')).text).toMatch(/supervisor/i);
    expect(unwrap(await h.core.getInbox('support')).paused).toBe(false);
    expect((await h.command(AMANDA, '/pause', 'support')).text).toMatch(/paused/i);
    expect(unwrap(await h.core.getInbox('support')).paused).toBe(true);
    const n = await customerWrites('U0CUST0002', 'anyone?');
    expect((await status(n)).status).toBe('queued');
    const resumed = await h.command(AMANDA, '/resume', 'support');
    expect(resumed.text).toMatch(/resumed/i);
    expect((await status(n)).status).toBe('assigned');
    expect((await h.command(AMANDA, '/pause', 'nosuch')).text).toContain('nosuch');
  });

  it('/queue shows waiting conversations and /claim takes one; a missing #N is named', async () => {
    await h.command(AMANDA, '/pause', 'support');
    const n = await customerWrites('U0CUST0003', 'waiting here');
    const queue = await h.command(MATHEW, '/queue');
    expect(queue.text).toContain(`#${n}`);
    expect((await h.command(MATHEW, '/queue', 'nosuch')).text).toContain('nosuch');
    const claimed = await h.command(MATHEW, '/claim', `#${n}`);
    expect(claimed.text).toContain(`#${n}`);
    expect(await status(n)).toMatchObject({ status: 'assigned', assignee: 'mathew' });
    const missing = await h.command(MATHEW, '/claim', '#999');
    expect(missing.text).toContain('#999');
  });

  it('/claim is refused to an agent who is not a member of the inbox', async () => {
    await h.command(AMANDA, '/pause', 'support');
    const n = await customerWrites('U0CUST0004', 'hi');
    const refused = await h.command(GERALDINE, '/claim', `#${n}`);
    expect(refused.text).toMatch(/member/i);
    expect((await status(n)).status).toBe('queued');
  });

  it('/transfer hands a conversation over with a notice to the new assignee; a non-member target is refused', async () => {
    const n = await customerWrites('U0CUST0005', 'my parcel');
    const from = (await status(n)).assignee!;
    const target = from === 'mathew' ? 'amanda' : 'mathew';
    const targetUser = target === 'mathew' ? MATHEW : AMANDA;
    const before = h.posts(targetUser).length;
    const refused = await h.command(AMANDA, '/transfer', `#${n} @geraldine`);
    expect(refused.text).toMatch(/member/i);
    expect((await status(n)).assignee).toBe(from);
    const usage = await h.command(AMANDA, '/transfer', `#${n}`);
    expect(usage.text).toContain('/transfer');
    const done = await h.command(AMANDA, '/transfer', `#${n} @${target} wants a refund`);
    expect(done.text).toContain(`#${n}`);
    expect((await status(n)).assignee).toBe(target);
    const posts = await h.waitForPosts(targetUser, before + 1);
    expect(posts.map((p) => String(p.params.text)).join('\n')).toContain('wants a refund');
  });

  it('/transfer takes a @mention picked in Slack, as the escaped command text carries it (<@U…|username>)', async () => {
    const n = await customerWrites('U0CUST0011', 'my parcel again');
    const from = (await status(n)).assignee!;
    const [target, targetUser] = from === 'mathew' ? ['amanda', AMANDA] : ['mathew', MATHEW];
    const done = await h.command(AMANDA, '/transfer', `#${n} <@${targetUser}|${target}.jones> over to you`);
    expect(done.text).toContain(`#${n}`);
    expect((await status(n)).assignee).toBe(target);
  });

  it('/unassign leaves a conversation without assignee; someone else\'s conversation is refused to an agent', async () => {
    const n = await customerWrites('U0CUST0006', 'question');
    const holder = (await status(n)).assignee!;
    // The refusal needs a plain agent as the holder.
    if (holder === 'amanda') await h.command(AMANDA, '/transfer', `#${n} @mathew`);
    const refused = await h.command(GERALDINE, '/unassign', `#${n}`);
    expect(refused.text).toContain(`#${n}`);
    expect((await status(n)).assignee).toBe('mathew');
    const done = await h.command(MATHEW, '/unassign', `#${n}`);
    expect(done.text).toContain(`#${n}`);
    expect(await status(n)).toMatchObject({ status: 'unassigned', assignee: null });
  });

  it('/close closes a conversation once; closing it again says it is closed', async () => {
    const n = await customerWrites('U0CUST0007', 'thanks, solved');
    const holder = (await status(n)).assignee === 'mathew' ? MATHEW : AMANDA;
    const closed = await h.command(holder, '/close', `#${n}`);
    expect(closed.text).toContain(`#${n}`);
    expect((await status(n)).status).toBe('closed');
    const again = await h.command(holder, '/close', `#${n}`);
    expect(again.text).toMatch(/closed/i);
  });

  it('/offboard previews with a Confirm button, the button carries it out, and /reinstate brings the agent back', async () => {
    await h.command(AMANDA, '/pause', 'support');
    const n = await customerWrites('U0CUST0008', 'hello');
    await h.command(MATHEW, '/claim', `#${n}`);
    expect(await status(n)).toMatchObject({ assignee: 'mathew' });

    expect((await h.command(MATHEW, '/offboard', '@amanda')).text).toMatch(/supervisor|admin/i);
    expect((await h.command(AMANDA, '/offboard', '@amanda')).text).toMatch(/yourself/i);

    const preview = await h.command(AMANDA, '/offboard', '@mathew --to @amanda');
    expect(preview.text).toContain('@amanda');
    expect(preview.text).toMatch(/\/offboard confirm \w+/);
    const confirm = preview.buttons.find((b) => b.action_id === 'offboard-confirm');
    expect(confirm).toBeDefined();
    expect(await status(n)).toMatchObject({ assignee: 'mathew' });

    const summary = await h.press(AMANDA, h.slack.dmChannelFor(AMANDA), '1767258000.000100', 'offboard-confirm', confirm!.value);
    expect(summary.text).toMatch(/1\/1/);
    expect(await status(n)).toMatchObject({ assignee: 'amanda' });
    expect(unwrap(await h.core.getAgent('mathew')).status).toBe('disabled');
    expect((await h.command(MATHEW, '/mine')).text).toMatch(/revoked/i);

    expect((await h.command(MATHEW, '/reinstate', '@mathew')).text).toMatch(/revoked/i);
    const back = await h.command(AMANDA, '/reinstate', '@mathew');
    expect(back.text).toContain('@mathew');
    expect(unwrap(await h.core.getAgent('mathew')).status).toBe('active');
    expect((await h.command(AMANDA, '/reinstate', '@mathew')).text).toContain('@mathew');
    expect(unwrap(await h.core.getAgent('mathew')).status).toBe('active');
  });

  it('a second press of Confirm moves nothing twice', async () => {
    await h.command(AMANDA, '/pause', 'support');
    const n = await customerWrites('U0CUST0010', 'hello');
    await h.command(MATHEW, '/claim', `#${n}`);
    const preview = await h.command(AMANDA, '/offboard', '@mathew --to @amanda');
    const confirm = preview.buttons.find((b) => b.action_id === 'offboard-confirm');
    expect(confirm).toBeDefined();
    const first = await h.press(AMANDA, h.slack.dmChannelFor(AMANDA), '1767258000.000200', 'offboard-confirm', confirm!.value);
    expect(await status(n)).toMatchObject({ assignee: 'amanda' });
    const second = await h.press(AMANDA, h.slack.dmChannelFor(AMANDA), '1767258000.000200', 'offboard-confirm', confirm!.value);
    expect(second.text).not.toBe(first.text);
    const moves = (await status(n)).history?.filter((e) => e.reason === 'offboard') ?? [];
    expect(moves).toHaveLength(1);
  });

  it('the Claim and Unassign buttons on notices act like the commands', async () => {
    const n = await customerWrites('U0CUST0009', 'hello');
    const holder = (await status(n)).assignee!;
    const user = holder === 'mathew' ? MATHEW : AMANDA;
    const [notice] = await h.waitForPosts(user, 1);
    const blocks = notice?.params.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const unassign = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'unassign');
    expect(unassign?.value).toBe(String(n));
    const answer = await h.press(user, h.slack.dmChannelFor(user), h.tsOf(notice), 'unassign', unassign!.value);
    expect(answer.text).toContain(`#${n}`);
    expect((await status(n)).status).toBe('unassigned');
    const claim = await h.press(MATHEW, h.slack.dmChannelFor(MATHEW), '1767258000.000300', 'claim', String(n));
    expect(claim.text).toContain(`#${n}`);
    expect(await status(n)).toMatchObject({ status: 'assigned', assignee: 'mathew' });
  });

  /** `/sb <command> [args]` for every command of the catalogue: what a supervisor sees. */
  const SB: Record<string, { args?: string; expect: (text: string) => void }> = {
    mine: { expect: (t) => expect(t).toBe('You have no open conversations (online).') },
    queue: { expect: (t) => expect(t).toBe('Nothing waits in support.') },
    claim: { expect: (t) => expect(t).toBe('Nothing waits in your inboxes right now.') },
    transfer: { expect: (t) => expect(t).toBe('Missing the agent to transfer to. Type /transfer [#N] @agent [note]') },
    unassign: { expect: (t) => expect(t).toBe('You have no open conversation; say which one: /unassign #N [--reassign]') },
    close: { expect: (t) => expect(t).toBe('You have no open conversation; say which one: /close #N') },
    history: { expect: (t) => expect(t).toBe('You have no open conversation; say which one: /history #N') },
    available: { expect: (t) => expect(t).toBe('You are online and in rotation.') },
    away: { expect: (t) => expect(t).toBe('You are away: no new conversations will be routed to you.') },
    offline: { expect: (t) => expect(t).toBe('You are offline: no new conversations will be routed to you.') },
    agents: { expect: (t) => expect(t.split('\n')[0]).toBe('Agents (3):') },
    pause: { args: 'support', expect: (t) => expect(t).toBe('Paused support: new conversations wait in the queue until /resume support.') },
    resume: { args: 'support', expect: (t) => expect(t).toBe('Resumed support: 0 queued conversation(s) assigned.') },
    offboard: { args: '@mathew --bogus', expect: (t) => expect(t).toMatch(/^Unknown option --bogus\. Type \/offboard @agent/) },
    reinstate: { args: '@mathew', expect: (t) => expect(t).toBe('@mathew is active already; nothing to reinstate.') },
    help: { expect: (t) => expect(t).toMatch(/\/sb away — [\s\S]*\/sb-help — this list$/) },
  };

  it('/sb <command> runs every command of the catalogue, and /sb alone shows help', async () => {
    const names = commandCatalogue.list().map((c) => c.name);
    expect(Object.keys(SB).sort()).toEqual([...names].sort());
    for (const name of names) {
      const { args, expect: check } = SB[name]!;
      const answer = await h.command(AMANDA, '/sb', args ? `${name} ${args}` : name);
      check(answer.text);
    }
    expect((await h.command(MATHEW, '/sb')).text).toMatch(/^Commands for @mathew/);
    expect((await h.command(MATHEW, '/sb', 'frobnicate')).text).toBe('Unknown command /frobnicate. Type /sb-help for the list.');
  });
});
