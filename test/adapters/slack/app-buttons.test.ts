import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../fakes/slack-api.js';
import { newTriggerId, postInteraction } from '../../fakes/slack-requests.js';
import { SlackAppHarness, unwrap } from './app-harness.js';

const ANN = 'U0ANN00001'; // agent, member of support
const BOB = 'U0BOB00001'; // agent, member of support
const CARL = 'U0CARL0001'; // agent, not a member
const SUE = 'U0SUE00001'; // supervisor, member
const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';

type Element = { action_id: string; value: string; text: { text: string } };
type Block = { type: string; block_id?: string; elements?: Element[]; element?: { options?: { text: { text: string }; value: string }[] } };

/** Slack buttons, forms and the message shortcut, through Bolt with signed requests and the fake Web API. */
describe('Slack end to end: notice buttons, the transfer form and the message shortcut', () => {
  let h: SlackAppHarness;
  beforeEach(async () => {
    h = await SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'ann', name: 'Ann', availability: 'online', homePlatform: 'slack', slackUserId: ANN }));
      unwrap(await core.createAgent({ handle: 'bob', name: 'Bob', availability: 'away', homePlatform: 'slack', slackUserId: BOB }));
      unwrap(await core.createAgent({ handle: 'carl', name: 'Carl', availability: 'away', homePlatform: 'slack', slackUserId: CARL }));
      unwrap(await core.createAgent({ handle: 'sue', name: 'Sue', role: 'supervisor', availability: 'away', homePlatform: 'slack', slackUserId: SUE, capacity: 1 }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.setMembers('support', { handles: ['ann', 'bob', 'sue'] }));
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const status = async (n: number) => unwrap(await h.core.getConversation(n));

  /** A customer writes; Ann (the only one online) gets the notice. */
  async function noticeForAnn(): Promise<RecordedCall> {
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'my parcel is late' });
    const [notice] = await h.waitForPosts(ANN, 1);
    return notice!;
  }

  const dm = (user: string) => h.slack.dmChannelFor(user);
  /** The notice as it reads now (after chat.update). */
  const now = (user: string, call: RecordedCall) => h.slack.messages.get(`${dm(user)}:${h.tsOf(call)}`)!;
  const buttons = (blocks: unknown) => ((blocks ?? []) as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  const labels = (blocks: unknown) => buttons(blocks).map((e) => e.text.text);

  /** Press a button of a message in `user`'s DM, as Slack sends it (with the message as it reads now). */
  async function press(user: string, call: RecordedCall, action: string, value?: string) {
    const current = now(user, call);
    const element = buttons(current.blocks).find((e) => e.action_id === action);
    const responseUrl = h.responses.url();
    const triggerId = newTriggerId();
    const payload = {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM0001' },
      api_app_id: 'A0APP00001',
      container: { type: 'message', message_ts: h.tsOf(call), channel_id: dm(user), is_ephemeral: false },
      trigger_id: triggerId,
      team: { id: 'T0TEAM0001', domain: 'example' },
      channel: { id: dm(user), name: 'directmessage' },
      message: { type: 'message', ts: h.tsOf(call), text: current.text, blocks: current.blocks, user: h.slack.botUserId, bot_id: h.slack.botId },
      response_url: responseUrl,
      actions: [{ type: 'button', action_id: action, block_id: 'b1', text: { type: 'plain_text', text: action }, value: value ?? element!.value, action_ts: `${Date.now() / 1000}` }],
    };
    const res = await postInteraction(h.eventsUrl, h.sign, payload);
    expect(res.status).toBe(200);
    return { responseUrl, triggerId };
  }

  /** Press and wait for the one-line ephemeral answer. */
  async function pressed(user: string, call: RecordedCall, action: string, value?: string): Promise<string> {
    const { responseUrl } = await press(user, call, action, value);
    const [answer] = await h.responses.waitFor(responseUrl);
    expect(answer!.body.response_type).toBe('ephemeral');
    return String(answer!.body.text);
  }

  /** Submit the form opened with `triggerId`: choose the option whose label starts with `choice`. */
  async function submit(user: string, triggerId: string, choice: string | null, note = '') {
    const opened = await waitFor(() => h.slack.opened.find((o) => o.trigger_id === triggerId));
    const options = (opened.view.blocks as Block[]).find((b) => b.block_id === 'choice')!.element!.options!;
    const option = choice === null ? undefined : options.find((o) => o.text.text.startsWith(choice));
    const payload = {
      type: 'view_submission',
      team: { id: 'T0TEAM0001', domain: 'example' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM0001' },
      api_app_id: 'A0APP00001',
      trigger_id: newTriggerId(),
      view: {
        id: opened.id,
        hash: `h${Date.now()}`,
        type: 'modal',
        callback_id: opened.view.callback_id,
        private_metadata: opened.view.private_metadata,
        state: {
          values: {
            choice: { choice: { type: 'static_select', selected_option: option ? { text: option.text, value: option.value } : null } },
            text: { text: { type: 'plain_text_input', value: note || null } },
          },
        },
      },
    };
    const res = await postInteraction(h.eventsUrl, h.sign, payload);
    expect(res.status).toBe(200);
    return { body: res.text ? (res.json as Record<string, unknown>) : undefined, options };
  }

  async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('condition not met');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('the notice carries Transfer, Unassign, Close and History; Close closes once and the notice says who closed it', async () => {
    const notice = await noticeForAnn();
    expect(labels(notice.params.blocks)).toEqual(['Transfer', 'Unassign', 'Close', 'History']);
    expect(await pressed(ANN, notice, 'close')).toMatch(/^Closed #1\./);
    expect((await status(1)).status).toBe('closed');
    expect(now(ANN, notice).text).toMatch(/\n\n» Closed by @ann$/);
    expect(labels(now(ANN, notice).blocks)).toEqual(['History']);
    // a stale copy of the button (pressed again before the update arrived) refuses and changes nothing
    expect(await pressed(ANN, notice, 'close', '1')).toBe('Conversation #1 is already closed.');
    expect(now(ANN, notice).text).toMatch(/» #1 is closed$/);
  });

  it('refuses by role and state exactly like the commands, and the notice then shows where it stands', async () => {
    const notice = await noticeForAnn();
    // Carl is no member and does not hold it: Claim, Close and History are refused
    const carl = (await h.command(CARL, '/sb', 'mine')).text;
    expect(carl).toMatch(/no open conversations/);
    unwrap(await h.core.updateAgent('bob', { availability: 'online' }));
    // Sue (supervisor) hands it to Bob from her side; Ann's notice is now stale
    expect((await h.command(SUE, '/transfer', '#1 @bob')).text).toMatch(/^Transferred #1 to @bob/);
    expect(await pressed(ANN, notice, 'unassign')).toBe('Conversation #1 is assigned to @bob; only its assignee or a supervisor can unassign it.');
    expect((await status(1)).assignee).toBe('bob');
    expect(now(ANN, notice).text).toMatch(/» #1 is with @bob$/);
    expect(labels(now(ANN, notice).blocks)).toEqual(['History']);
    // History: for members of the inbox
    const history = await pressed(ANN, notice, 'history');
    expect(history.split('\n')).toEqual(['#1 support · U0CUST0001 [assigned, @bob]:', 'U0CUST0001: my parcel is late']);
  });

  it('Unassign offers Claim; Claim takes it back', async () => {
    const notice = await noticeForAnn();
    expect(await pressed(ANN, notice, 'unassign')).toMatch(/^Unassigned #1\./);
    expect(labels(now(ANN, notice).blocks)).toEqual(['Claim', 'History']);
    expect(await pressed(ANN, notice, 'claim')).toBe('You claimed #1 (U0CUST0001).');
    expect(now(ANN, notice).text).toMatch(/» Claimed by @ann$/);
    expect(labels(now(ANN, notice).blocks)).toEqual(['Transfer', 'Unassign', 'Close', 'History']);
  });

  it('Transfer opens a form with the eligible members; a refusal shows in the form; a note goes with the transfer', async () => {
    const notice = await noticeForAnn();
    const { triggerId } = await press(ANN, notice, 'transfer');
    // Sue is at capacity 1 with 0 open: eligible; Carl is no member; Ann holds it
    const first = await submit(ANN, triggerId, '@sue', '');
    expect(first.options.map((o) => o.text.text)).toEqual(['@bob Bob · away · 0/10', '@sue Sue · away · 0/1']);
    expect(first.body).toBeUndefined(); // accepted: the form closes
    expect((await status(1)).assignee).toBe('sue');
    await waitFor(() => (now(ANN, notice).text.endsWith('» Transferred to @sue by @ann') ? true : undefined));
    expect(labels(now(ANN, notice).blocks)).toEqual(['History']);
    // Sue's notice; she transfers on to Bob with a note; a second submission of the same choice is refused in the form
    const [sueNotice] = await h.waitForPosts(SUE, 1);
    const second = await press(SUE, sueNotice!, 'transfer');
    expect((await submit(SUE, second.triggerId, '@bob', 'VIP, called twice')).body).toBeUndefined();
    const [bobNotice] = await h.waitForPosts(BOB, 1);
    expect(String(bobNotice!.params.text)).toContain('Note: VIP, called twice');
    expect((await status(1)).assignee).toBe('bob');
    const again = await submit(SUE, second.triggerId, '@bob');
    expect(again.body).toEqual({ response_action: 'errors', errors: { choice: 'Conversation #1 is already assigned to @bob.' } });
  });

  it('a form submitted without a choice, or for an agent who left the inbox meanwhile, is refused in the form', async () => {
    const notice = await noticeForAnn();
    const { triggerId } = await press(ANN, notice, 'transfer');
    expect((await submit(ANN, triggerId, null)).body).toEqual({ response_action: 'errors', errors: { choice: 'That button is broken; type /transfer #N @agent.' } });
    unwrap(await h.core.setMembers('support', { handles: ['ann', 'sue'] }));
    expect((await submit(ANN, triggerId, '@bob')).body).toEqual({
      response_action: 'errors',
      errors: { choice: '@bob is not a member of inbox support; pick one of its members.' },
    });
    expect((await status(1)).assignee).toBe('ann');
  });

  it('the "Switchboard actions" shortcut on a message in the thread offers the same buttons, only to the caller', async () => {
    const notice = await noticeForAnn();
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'hello?', thread_ts: undefined });
    const payload = (user: string, ts: string, threadTs?: string) => ({
      type: 'message_action',
      callback_id: 'sb_actions',
      trigger_id: newTriggerId(),
      action_ts: `${Date.now() / 1000}`,
      team: { id: 'T0TEAM0001', domain: 'example' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase() },
      channel: { id: dm(ANN), name: 'directmessage' },
      message: { type: 'message', ts, ...(threadTs ? { thread_ts: threadTs } : {}), text: 'something' },
      response_url: h.responses.url(),
    });
    const res = await postInteraction(h.eventsUrl, h.sign, payload(ANN, '1767258000.999999', h.tsOf(notice)));
    expect(res.status).toBe(200);
    const offered = await waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => c.params.user === ANN && c.params.thread_ts === h.tsOf(notice)));
    expect(String(offered.params.text)).toBe('#1 support · U0CUST0001 (with @ann): what do you want to do?');
    expect(labels(offered.params.blocks)).toEqual(['Transfer', 'Unassign', 'Close', 'History']);
    // on a message outside any conversation's thread: one line saying so
    await postInteraction(h.eventsUrl, h.sign, payload(ANN, '1767258000.888888'));
    const refused = await waitFor(() => h.slack.callsTo('chat.postEphemeral').find((c) => c.params.user === ANN && c.params.thread_ts === '1767258000.888888'));
    expect(String(refused.params.text)).toBe('This message is not in a conversation thread; use it on a message of a conversation, or type /mine.');
  });

  /** Who is online decides who gets the first notice; the others are away. */
  async function onlyOnline(handle: string) {
    for (const h2 of ['ann', 'bob', 'sue']) unwrap(await h.core.updateAgent(h2, { availability: h2 === handle ? 'online' : 'away' }));
  }

  it("a supervisor's buttons act on a conversation someone else holds: Transfer, Unassign, Claim, Close, History", async () => {
    await onlyOnline('sue');
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'my parcel is late' });
    const [notice] = await h.waitForPosts(SUE, 1);
    expect((await h.command(SUE, '/transfer', '#1 @ann')).text).toMatch(/^Transferred #1 to @ann/);
    // Transfer while Ann holds it: the form, then Bob
    const { triggerId } = await press(SUE, notice!, 'transfer');
    expect((await submit(SUE, triggerId, '@bob')).body).toBeUndefined();
    await waitFor(() => (now(SUE, notice!).text.endsWith('» Transferred to @bob by @sue') ? true : undefined));
    expect((await status(1)).assignee).toBe('bob');
    expect(labels(now(SUE, notice!).blocks)).toEqual(['Transfer', 'Unassign', 'Close', 'History']);
    // Unassign while Bob holds it
    expect(await pressed(SUE, notice!, 'unassign')).toMatch(/^Unassigned #1\./);
    expect((await status(1)).status).toBe('unassigned');
    expect(now(SUE, notice!).text).toMatch(/» Unassigned by @sue$/);
    expect(labels(now(SUE, notice!).blocks)).toEqual(['Claim', 'Transfer', 'Close', 'History']);
    expect(await pressed(SUE, notice!, 'claim')).toBe('You claimed #1 (U0CUST0001).');
    expect((await status(1)).assignee).toBe('sue');
    // Close while Ann holds it again
    expect((await h.command(SUE, '/transfer', '#1 @ann')).text).toMatch(/^Transferred #1 to @ann/);
    expect(await pressed(SUE, notice!, 'close')).toMatch(/^Closed #1\./);
    expect((await status(1)).status).toBe('closed');
    expect(now(SUE, notice!).text).toMatch(/» Closed by @sue$/);
    expect((await pressed(SUE, notice!, 'history')).split('\n')[0]).toBe('#1 support · U0CUST0001 [closed, @ann]:');
  });

  it("a plain member's buttons on a conversation now held by someone else are refused in one line, and the notice shows where it stands", async () => {
    await onlyOnline('bob');
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'my parcel is late' });
    const [notice] = await h.waitForPosts(BOB, 1);
    expect((await h.command(SUE, '/transfer', '#1 @ann')).text).toMatch(/^Transferred #1 to @ann/);
    expect(await pressed(BOB, notice!, 'transfer')).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can transfer it.');
    expect(h.slack.opened).toEqual([]);
    expect(now(BOB, notice!).text).toMatch(/» #1 is with @ann$/);
    expect(labels(now(BOB, notice!).blocks)).toEqual(['History']);
    // the old buttons, pressed from a copy that was not updated yet
    expect(await pressed(BOB, notice!, 'close', '1')).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can close it.');
    expect(await pressed(BOB, notice!, 'unassign', '1')).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can unassign it.');
    expect(await pressed(BOB, notice!, 'claim', '1')).toBe('Conversation #1 is already assigned to @ann; /queue lists what waits.');
    expect(await status(1)).toMatchObject({ status: 'assigned', assignee: 'ann' });
    // History stays open to the inbox's members
    expect((await pressed(BOB, notice!, 'history')).split('\n')[0]).toBe('#1 support · U0CUST0001 [assigned, @ann]:');
  });

  it('an agent of another inbox is refused every button of the conversation in one line, and nothing changes', async () => {
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'my parcel is late' });
    const [notice] = await h.waitForPosts(ANN, 1);
    // Carl is no member of support: a press that reaches Switchboard anyway (a forwarded or forged payload)
    const carl = (action: string) => h.press(CARL, dm(CARL), h.tsOf(notice), action, '1').then((a) => a.text);
    expect(await carl('history')).toBe('You are not a member of inbox support; ask a supervisor about #1.');
    expect(await carl('close')).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can close it.');
    expect(await carl('unassign')).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can unassign it.');
    expect(await carl('transfer')).toBe('Conversation #1 is assigned to @ann; only its assignee or a supervisor can transfer it.');
    expect(await pressed(ANN, notice!, 'unassign')).toMatch(/^Unassigned #1\./);
    expect(await carl('claim')).toBe('You are not a member of inbox support; ask a supervisor to add you or to /transfer #1.');
    expect(await status(1)).toMatchObject({ status: 'unassigned', assignee: null });
    // a button value that names no conversation, or none at all
    expect((await h.press(ANN, dm(ANN), h.tsOf(notice), 'close', '999')).text).toBe('There is no conversation #999. /mine lists yours, /queue what waits.');
    expect((await h.press(ANN, dm(ANN), h.tsOf(notice), 'close', 'abc')).text).toBe('That button is broken; type /close #N.');
  });

  it('stale Claim and Transfer: the conversation changed after the notice; refused, and the notice updated', async () => {
    const notice = await noticeForAnn();
    expect(await pressed(ANN, notice, 'unassign')).toMatch(/^Unassigned #1\./);
    expect(labels(now(ANN, notice).blocks)).toEqual(['Claim', 'History']);
    // Bob claims it with the command meanwhile; Ann's Claim is stale
    expect((await h.command(BOB, '/claim', '#1')).text).toBe('You claimed #1 (U0CUST0001).');
    expect(await pressed(ANN, notice, 'claim')).toBe('Conversation #1 is already assigned to @bob; /queue lists what waits.');
    expect((await status(1)).assignee).toBe('bob');
    expect(now(ANN, notice).text).toMatch(/» #1 is with @bob$/);
    expect(labels(now(ANN, notice).blocks)).toEqual(['History']);
    // Bob's Transfer form stays open while he closes #1 with the command: the form refuses, the notice says closed
    const [bobNotice] = await h.waitForPosts(BOB, 1);
    const { triggerId } = await press(BOB, bobNotice!, 'transfer');
    expect((await h.command(BOB, '/close', '#1')).text).toMatch(/^Closed #1/);
    expect((await submit(BOB, triggerId, '@ann')).body).toEqual({ response_action: 'errors', errors: { choice: 'Conversation #1 is closed; nothing to transfer.' } });
    expect(await pressed(BOB, bobNotice!, 'transfer')).toBe('Conversation #1 is closed; nothing to transfer.');
    expect(now(BOB, bobNotice!).text).toMatch(/» #1 is closed$/);
    expect(labels(now(BOB, bobNotice!).blocks)).toEqual(['History']);
    expect((await status(1)).status).toBe('closed');
  });
});
