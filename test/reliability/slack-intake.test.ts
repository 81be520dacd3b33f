// Slack message events are kept before Slack gets its 200: a store that cannot keep one makes the
// answer 500, Slack's retry is handled, once; a stopping Switchboard answers 500 too (Slack retries).
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { messageEnvelope, postEvent } from '../fakes/slack-requests.js';
import { SlackAppHarness, unwrap } from '../adapters/slack/app-harness.js';
import { faultyStore } from '../support/store-wrappers.js';

const AMANDA = 'U0AMANDA01';
const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';

let h: SlackAppHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack intake', () => {
  it('answers 500 when the event cannot be kept, and handles the retry once', async () => {
    const inner = new MemoryStore();
    let refuse = false;
    h = await SlackAppHarness.start(
      async ({ core }) => {
        unwrap(await core.createAgent({ handle: 'amanda', name: 'Amanda', availability: 'online', homePlatform: 'slack', slackUserId: AMANDA }));
        unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
        unwrap(await core.setMembers('support', { handles: ['amanda'] }));
      },
      { overrides: { store: faultyStore(inner, (method) => refuse && method === 'saveIntake') } },
    );
    const envelope = messageEnvelope({ user: CUSTOMER, channel: SUPPORT, text: 'Where is my parcel?' }, 'Ev0KEEP0001');
    refuse = true;
    expect((await postEvent(h.eventsUrl, h.sign, envelope)).status).toBe(500);
    expect(await inner.countIntake()).toBe(0);
    refuse = false;
    expect((await postEvent(h.eventsUrl, { ...h.sign, retryNum: 1 }, envelope)).status).toBe(200);
    expect((await postEvent(h.eventsUrl, { ...h.sign, retryNum: 2 }, envelope)).status).toBe(200);
    await h.built.intake.idle();
    const [notice] = await h.waitForPosts(AMANDA, 1);
    expect(String(notice!.params.text)).toContain('Where is my parcel?');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.posts(AMANDA).filter((c) => String(c.params.text).includes('Where is my parcel?'))).toHaveLength(1);
    await expect.poll(() => inner.countIntake()).toBe(0);
  });

  it('answers 500 while stopping, so Slack delivers the event again later', async () => {
    h = await SlackAppHarness.start(async () => {});
    await h.built.intake.stop(0);
    const envelope = messageEnvelope({ user: CUSTOMER, channel: SUPPORT, text: 'hello?' });
    expect((await postEvent(h.eventsUrl, h.sign, envelope)).status).toBe(500);
  });
});
