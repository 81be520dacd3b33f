import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualTimers } from '../../../src/core/index.js';
import type { FakeView } from '../../fakes/slack-api.js';
import { homeActionPayload, homeOpenedEnvelope, postEvent, postInteraction } from '../../fakes/slack-requests.js';
import { SlackAppHarness, unwrap } from './app-harness.js';

const ANN = 'U0ANN00001'; // agent, online
const BOB = 'U0BOB00001'; // agent, away
const SUE = 'U0SUE00001'; // supervisor, away
const STRANGER = 'U0NOBODY01'; // no agent
const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';
const DEBOUNCE_MS = 2000;

type Element = { action_id?: string; value?: string; text: { text: string } | string };
type Block = { type: string; text?: { text: string }; elements?: Element[] };
const label = (e: Element) => (typeof e.text === 'string' ? e.text : e.text.text);

/** The App Home tab through Bolt, signed requests and the fake Web API; refreshes run on test timers. */
describe('Slack end to end: the App Home tab', () => {
  let h: SlackAppHarness;
  let timers: ManualTimers;
  beforeEach(async () => {
    timers = new ManualTimers();
    h = await SlackAppHarness.start(
      async ({ core }) => {
        unwrap(await core.createAgent({ handle: 'ann', name: 'Ann', availability: 'online', homePlatform: 'slack', slackUserId: ANN }));
        unwrap(await core.createAgent({ handle: 'bob', name: 'Bob', availability: 'away', homePlatform: 'slack', slackUserId: BOB }));
        unwrap(await core.createAgent({ handle: 'sue', name: 'Sue', role: 'supervisor', availability: 'away', homePlatform: 'slack', slackUserId: SUE }));
        unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
        unwrap(await core.createInbox({ name: 'sales', platform: 'slack', slackChannelId: 'C0SALES001', paused: true }));
        unwrap(await core.setMembers('support', { handles: ['ann', 'bob', 'sue'] }));
      },
      { overrides: { timers, homeDebounceMs: DEBOUNCE_MS } },
    );
    timers.advance(DEBOUNCE_MS); // what the setup changed: nobody has opened the tab yet
  });
  afterEach(async () => {
    await h.close();
  });

  const publishes = (user: string) => h.slack.callsTo('views.publish').filter((c) => c.params.user_id === user);
  const home = (user: string): FakeView => publishes(user).at(-1)!.params.view as FakeView;
  const text = (view: FakeView) => ((view.blocks ?? []) as Block[]).map((b) => b.text?.text ?? (b.elements ?? []).map(label).join(' ')).join('\n');
  const buttons = (view: FakeView) => ((view.blocks ?? []) as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

  async function waitForPublishes(user: string, count: number): Promise<FakeView> {
    const deadline = Date.now() + 5000;
    while (publishes(user).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} publish(es) for ${user}, saw ${publishes(user).length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return home(user);
  }

  /** `user` opens the tab; resolves to what was published. */
  async function open(user: string): Promise<FakeView> {
    const before = publishes(user).length;
    const res = await postEvent(h.eventsUrl, h.sign, homeOpenedEnvelope(user));
    expect(res.status).toBe(200);
    return waitForPublishes(user, before + 1);
  }

  /** `user` presses a button on their tab; resolves to the tab republished with the answer. */
  async function press(user: string, action: string, value: string): Promise<FakeView> {
    const before = publishes(user).length;
    const res = await postInteraction(h.eventsUrl, h.sign, homeActionPayload(user, action, value));
    expect(res.status).toBe(200);
    return waitForPublishes(user, before + 1);
  }

  /** Give a refresh that should not come the time to show up. */
  const settle = () => new Promise((r) => setTimeout(r, 150));

  it('a non-agent gets one line saying how to be linked; a revoked agent is told so; the Messages tab publishes nothing', async () => {
    const view = await open(STRANGER);
    expect(view.type).toBe('home');
    expect(text(view)).toContain(`You are not linked to a Switchboard agent, so nothing is routed to you. To answer customers, ask a Switchboard admin to add your user id ${STRANGER} to your agent.`);
    expect(buttons(view)).toEqual([]);
    // a forged press from the stranger's tab changes nothing and says why
    expect(text(await press(STRANGER, 'set-online', 'online'))).toContain('Only agents can use these buttons.');
    unwrap(await h.core.confirmOffboarding(unwrap(await h.core.offboardAgent('bob', { mode: 'suspend' })).code));
    const bob = await open(BOB);
    expect(text(bob)).toContain('Your access is revoked (suspended); ask a supervisor.');
    expect(buttons(bob)).toEqual([]);
    await postEvent(h.eventsUrl, h.sign, homeOpenedEnvelope(ANN, 'messages'));
    await settle();
    expect(publishes(ANN)).toHaveLength(0);
  });

  it("an agent's tab lists their open conversations linked to their threads, and their availability with buttons to change it", async () => {
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'my parcel is late' });
    const [notice] = await h.waitForPosts(ANN, 1);
    const view = await open(ANN);
    const dm = h.slack.dmChannelFor(ANN);
    const permalink = `https://example.slack.com/archives/${dm}/p${h.tsOf(notice).replace('.', '')}`;
    expect(text(view)).toContain('*@ann* (Ann) · you are *online* · 1/10 open');
    expect(text(view)).toContain(`*<${permalink}|#1>* support · ${CUSTOMER}`);
    expect(text(view)).toContain('my parcel is late');
    expect(h.slack.callsTo('chat.getPermalink').at(-1)?.params).toMatchObject({ channel: dm, message_ts: h.tsOf(notice) });
    expect(buttons(view).map((b) => [label(b), b.action_id])).toEqual([
      ['Go away', 'set-away'],
      ['Go offline', 'set-offline'],
    ]);
    // an agent sees no supervisor parts
    expect(text(view)).not.toContain('Queue per inbox');
    expect(text(view)).not.toContain("Agents' load");
  });

  it('the availability buttons do what /away and /available do, and the tab shows the answer and the new state at once', async () => {
    await open(ANN);
    const away = await press(ANN, 'set-away', 'away');
    expect(unwrap(await h.core.getAgent('ann')).availability).toBe('away');
    expect(text(away)).toContain('You are away: no new conversations will be routed to you.');
    expect(text(away)).toContain('you are *away*');
    expect(buttons(away).map((b) => b.action_id)).toEqual(['set-online', 'set-offline']);
    // while nobody is online a customer waits; Go online takes the waiting conversation, as /available does
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'anyone there?' });
    expect(unwrap(await h.core.getConversation(1)).status).toBe('queued');
    const online = await press(ANN, 'set-online', 'online');
    expect(text(online)).toContain('You are online and in rotation. 1 waiting conversation(s) were assigned to you.');
    expect(unwrap(await h.core.getConversation(1)).assignee).toBe('ann');
    expect(text(online)).toContain('you are *online* · 1/10 open');
  });

  it('refreshes the tabs of the agents a change touches after the debounce, once for a burst of changes, and only for those who opened it', async () => {
    await open(ANN);
    await open(SUE);
    expect(text(home(ANN))).toContain('None right now.');
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'hello?' });
    const [notice] = await h.waitForPosts(ANN, 1);
    await settle();
    expect(publishes(ANN)).toHaveLength(1); // not before the debounce
    timers.advance(DEBOUNCE_MS - 1);
    await settle();
    expect(publishes(ANN)).toHaveLength(1);
    timers.advance(1);
    const ann = await waitForPublishes(ANN, 2);
    expect(text(ann)).toContain(`|#1>* support · ${CUSTOMER}`);
    expect(text(ann)).toContain(h.tsOf(notice).replace('.', ''));
    // a supervisor's tab follows the load
    expect(text(await waitForPublishes(SUE, 2))).toContain('@ann Ann · agent · online · 1/10');
    // a burst: Ann closes #1 and a second customer arrives; one refresh after the debounce
    expect((await h.command(ANN, '/close', '#1')).text).toMatch(/^Closed #1/);
    await h.message({ user: 'U0CUST0002', channel: SUPPORT, text: 'second customer' });
    await h.waitForPosts(ANN, 2);
    timers.advance(DEBOUNCE_MS);
    const after = await waitForPublishes(ANN, 3);
    await settle();
    expect(publishes(ANN)).toHaveLength(3);
    expect(text(after)).toContain('|#2>* support · U0CUST0002');
    expect(text(after)).not.toContain('#1>');
    // Bob never opened his tab: nothing is published for him
    expect(publishes(BOB)).toHaveLength(0);
  });

  it("a supervisor's tab shows the queue per inbox and the agents' load, refreshed when a conversation is queued", async () => {
    unwrap(await h.core.updateAgent('ann', { availability: 'offline' }));
    const view = await open(SUE);
    expect(text(view)).toContain('Queue per inbox');
    expect(text(view)).toContain('*support* · nothing waits');
    expect(text(view)).toContain('*sales* (paused) · nothing waits');
    expect(text(view)).toContain("Agents' load");
    expect(text(view)).toContain('@ann Ann · agent · offline · 0/10');
    expect(text(view)).toContain('@sue Sue · supervisor · away · 0/10');
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'is anybody there?' });
    timers.advance(DEBOUNCE_MS);
    const queued = await waitForPublishes(SUE, 2);
    expect(text(queued)).toContain('*support* · 1 waiting');
    expect(text(queued)).toMatch(new RegExp(`#1\\* support · ${CUSTOMER} \\[queued\\] · waiting \\d+m`));
  });

  it('a tab Slack refuses to publish is logged and the next change publishes it again', async () => {
    h.slack.failMethod('views.publish', 'invalid_arguments');
    await postEvent(h.eventsUrl, h.sign, homeOpenedEnvelope(ANN));
    await h.slack.waitForCalls('views.publish');
    h.slack.failMethod('views.publish', null);
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'hello?' });
    await h.waitForPosts(ANN, 1);
    timers.advance(DEBOUNCE_MS);
    const view = await waitForPublishes(ANN, 2);
    expect(text(view)).toContain(`#1>* support · ${CUSTOMER}`);
  });
});
