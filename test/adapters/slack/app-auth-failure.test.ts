import { afterEach, describe, expect, it } from 'vitest';
import type { BoltSlackAdapter } from '../../../adapters/slack/index.js';
import { SlackAppHarness, TELEGRAM_WEBHOOK_SECRET, unwrap } from './app-harness.js';

const CUSTOMER = 'U0CUST0001';
const SUPPORT = 'C0SUPPORT1';

/** Slack refuses the bot token: an operator problem, not the customer's. */
describe('Slack end to end: the Web API refuses the bot token', () => {
  let h: SlackAppHarness;
  afterEach(async () => {
    await h?.close();
  });

  it.each(['invalid_auth', 'token_revoked', 'account_inactive'])(
    '%s: the agent is told Switchboard cannot reach Slack, it is counted and logged, and Slack shows failed until it answers again',
    async (code) => {
      h = await SlackAppHarness.start(
        async ({ core }) => {
          unwrap(await core.createAgent({ handle: 'tom', name: 'Tom', availability: 'online', homePlatform: 'telegram', telegramUserId: 7001 }));
          unwrap(await core.createInbox({ name: 'support', platform: 'slack', slackChannelId: SUPPORT }));
          unwrap(await core.setMembers('support', { handles: ['tom'] }));
        },
        { telegram: true },
      );
      const slack = h.built.channel('slack') as BoltSlackAdapter;
      const tg = h.telegram!;
      await h.message({ user: CUSTOMER, channel: SUPPORT, text: 'Is the shop open on Sunday?' });
      const notice = await tg.waitForCall('sendMessage', (p) => String(p.chat_id) === '7001');
      expect(slack.status()).toEqual({ state: 'connected' });

      h.slack.failMethod('chat.postMessage', code);
      const reply = (id: number, text: string) =>
        fetch(`${h.base}/telegram/webhook`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TELEGRAM_WEBHOOK_SECRET },
          body: JSON.stringify({
            update_id: 900_000 + id,
            message: {
              message_id: 5000 + id,
              date: Math.floor(Date.now() / 1000),
              from: { id: 7001, is_bot: false, first_name: 'Tom' },
              chat: { id: 7001, type: 'private', first_name: 'Tom' },
              text,
              reply_to_message: { message_id: (notice.result as { message_id: number }).message_id, date: 0, chat: { id: 7001, type: 'private' }, text: 'notice' },
            },
          }),
        });
      expect((await reply(1, 'Yes, 10 to 4.')).status).toBe(200);
      const told = await tg.waitForCall('sendMessage', (p) => String(p.chat_id) === '7001' && String(p.text).startsWith('Switchboard cannot reach Slack'));
      expect(told.params.text).toBe('Switchboard cannot reach Slack right now: your reply to #1 is kept and sent as soon as it can be (you are told if it cannot be within a day).');
      expect(slack.status()).toEqual({ state: 'failed', reason: `Slack refused the bot token (${code}); check SLACK_BOT_TOKEN` });
      const metrics = await (await fetch(`${h.base}/metrics`)).text();
      expect(metrics).toMatch(/switchboard_errors_total\{source="slack_auth"\} [1-9]/);

      // the operator fixes the token: the next call Slack answers clears the failure
      h.slack.failMethod('chat.postMessage', null);
      expect((await reply(2, 'Sorry, I mean: yes, 10 to 4.')).status).toBe(200);
      await h.waitForPosts(SUPPORT, 1);
      await expect.poll(() => slack.status()).toEqual({ state: 'connected' });
    },
  );
});
