import { expect } from 'vitest';
import { buildApp, type BuildOverrides, type BuiltApp } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import type { Result } from '../../../src/core/index.js';
import { FakeSlackApi, type RecordedCall } from '../../fakes/slack-api.js';
import { FakeTelegramApi } from '../../fakes/telegram-api.js';
import {
  blockActionPayload,
  messageEnvelope,
  newTriggerId,
  postEvent,
  postInteraction,
  postSlashCommand,
  ResponseUrlServer,
  type MessageFields,
  type SignOptions,
} from '../../fakes/slack-requests.js';
import { BOT_TOKEN, SIGNING_SECRET } from './harness.js';

export const TELEGRAM_WEBHOOK_SECRET = 'tg-secret-e2e-0123';

/** One ephemeral answer as the Slack user sees it: the text and any buttons. */
export interface SlackAnswer {
  text: string;
  buttons: { action_id: string; value: string }[];
}

/** The whole app (buildApp, in-process store) with Slack (and optionally Telegram) pointed at fakes. */
export class SlackAppHarness {
  private constructor(
    readonly built: BuiltApp,
    readonly slack: FakeSlackApi,
    readonly responses: ResponseUrlServer,
    readonly telegram: FakeTelegramApi | null,
    readonly base: string,
  ) {}

  static async start(setup: (app: BuiltApp) => Promise<void>, opts: { telegram?: boolean; overrides?: BuildOverrides } = {}): Promise<SlackAppHarness> {
    const slack = await new FakeSlackApi().start();
    const responses = await new ResponseUrlServer().start();
    const telegram = opts.telegram ? await new FakeTelegramApi().listen() : null;
    const config: Config = {
      port: 0,
      logLevel: 'silent',
      agendaProcessEveryMs: 1000,
      slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.url },
      ...(telegram ? { telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: TELEGRAM_WEBHOOK_SECRET } } : {}),
    };
    const built = await buildApp(config, { pacing: false, ...opts.overrides });
    await setup(built);
    const base = await built.listen(0);
    await built.started();
    return new SlackAppHarness(built, slack, responses, telegram, base);
  }

  get core() {
    return this.built.core;
  }

  get eventsUrl(): string {
    return `${this.base}/slack/events`;
  }

  get sign(): SignOptions {
    return { secret: SIGNING_SECRET };
  }

  async close(): Promise<void> {
    await this.built.close();
    await this.responses.close();
    await this.slack.close();
    await this.telegram?.close();
  }

  /** Type a slash command as Slack user `user`; resolves to the ephemeral answer, however it came back. */
  async command(user: string, command: string, text = '', channel?: string): Promise<SlackAnswer> {
    const responseUrl = this.responses.url();
    const res = await postSlashCommand(this.eventsUrl, this.sign, {
      command,
      text,
      user_id: user,
      response_url: responseUrl,
      ...(channel ? { channel_id: channel, channel_name: 'support' } : {}),
    });
    expect(res.status).toBe(200);
    const body = (res.text ? res.json : (await this.responses.waitFor(responseUrl))[0]?.body) as Record<string, unknown>;
    expect(body.response_type).toBe('ephemeral');
    return toAnswer(body);
  }

  /** Press a button of a message the app posted; resolves to the ephemeral answer. */
  async press(user: string, channel: string, messageTs: string, action: string, value: string): Promise<SlackAnswer> {
    const responseUrl = this.responses.url();
    const payload = blockActionPayload({ user_id: user, channel_id: channel, message_ts: messageTs, action_id: action, value, response_url: responseUrl, trigger_id: newTriggerId() });
    const res = await postInteraction(this.eventsUrl, this.sign, payload);
    expect(res.status).toBe(200);
    const [posted] = await this.responses.waitFor(responseUrl);
    expect(posted?.body.response_type).toBe('ephemeral');
    return toAnswer(posted!.body);
  }

  /** A message event (customer or agent); resolves after the app acknowledged it. */
  async message(m: MessageFields, opts: { eventId?: string; retryNum?: number } = {}): Promise<string> {
    const envelope = messageEnvelope(m, opts.eventId);
    const res = await postEvent(this.eventsUrl, { ...this.sign, ...(opts.retryNum ? { retryNum: opts.retryNum } : {}) }, envelope);
    expect(res.status).toBe(200);
    // the 200 says the event is kept; it is handled right after, in its lane
    await this.built.intake.idle();
    return (envelope.event as { ts: string }).ts;
  }

  /** chat.postMessage calls to a channel (a user's DM for a user id), optionally in one thread. */
  posts(channelOrUser: string, threadTs?: string): RecordedCall[] {
    const channel = /^[UW]/.test(channelOrUser) ? this.slack.dmChannelFor(channelOrUser) : channelOrUser;
    return this.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.params.channel === channel && (threadTs === undefined || c.params.thread_ts === threadTs));
  }

  async waitForPosts(channelOrUser: string, count: number, threadTs?: string, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.posts(channelOrUser, threadTs).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} post(s) to ${channelOrUser}${threadTs ? ` in ${threadTs}` : ''}, saw ${this.posts(channelOrUser, threadTs).length}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.posts(channelOrUser, threadTs);
  }

  /** The ts Slack gave a recorded post. */
  tsOf(call: RecordedCall | undefined): string {
    const ts = call?.response?.ts;
    if (typeof ts !== 'string') throw new Error('that post has no ts (failed or not answered)');
    return ts;
  }
}

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function toAnswer(body: Record<string, unknown>): SlackAnswer {
  const blocks = (body.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[];
  const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  return { text: String(body.text ?? ''), buttons: buttons.map((b) => ({ action_id: b.action_id, value: b.value })) };
}
