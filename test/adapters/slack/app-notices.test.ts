import { afterEach, describe, expect, it } from 'vitest';
import { SlackAppHarness, unwrap } from './app-harness.js';

const AMANDA = 'U0AMANDA01';
const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';

/** What a Slack agent sees on assignment, through Bolt, signed requests and the fake Web API. */
describe('Slack end to end: notices carry what the agent has not seen', () => {
  let h: SlackAppHarness;
  afterEach(async () => {
    await h?.close();
  });

  async function start(availability: 'online' | 'offline' = 'online'): Promise<SlackAppHarness> {
    return SlackAppHarness.start(async ({ core }) => {
      unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability, homePlatform: 'slack', slackUserId: AMANDA }));
      unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
      unwrap(await core.setMembers('support', { handles: ['amanda'] }));
    });
  }

  it('a 3,000-character first message arrives whole, in the one notice', async () => {
    h = await start();
    const long = `${'My order arrived broken and the box was wet, twice in a row now. '.repeat(46)}Refund please?`;
    expect(long.length).toBeGreaterThan(3000);
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: long });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(String(notice!.params.text)).toContain(long);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.posts(AMANDA)).toHaveLength(1);
  });

  it('a customer writes 3 messages while queued: the agent who comes online gets all 3, in order', async () => {
    h = await start('offline');
    const first = await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Hello?' });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'My parcel 4711 has not arrived.', thread_ts: first });
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Can you send a new one?', thread_ts: first });
    expect(unwrap(await h.core.getConversation(1)).messages).toHaveLength(3);
    expect((await h.command(AMANDA, '/available')).text).toContain('1 waiting conversation(s) were assigned to you');
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(String(notice!.params.text)).toMatch(/: Hello\?\n.*: My parcel 4711 has not arrived\.\n.*: Can you send a new one\?\n/);
  });

  it('a message longer than a Slack message should be goes as the notice and its continuation in the thread', async () => {
    h = await start();
    const long = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    await h.message({ user: CUSTOMER, channel: SUPPORT, text: long });
    const [notice] = await h.waitForPosts(AMANDA, 1);
    const rest = await h.waitForPosts(AMANDA, 2, h.tsOf(notice));
    const texts = [notice!, ...rest].map((c) => String(c.params.text));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4000);
    for (const t of texts.slice(1)) expect(t).toMatch(/^#1 \(continued\)\n/);
    expect(texts.join(' ').match(/\bword\d+\b/g)).toHaveLength(1500);
    expect(h.posts(AMANDA).filter((c) => c.params.thread_ts === undefined)).toHaveLength(1);
  });
});
