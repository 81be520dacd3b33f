import { App, ExpressReceiver, webApi, type RespondFn } from '@slack/bolt';
import type { Router } from 'express';
import { DEFAULT_RECONNECT_BACKOFF, reconnectDelayMs } from '../../src/core/index.js';
import type {
  Intake,
  Answer,
  ChannelAdapter,
  ChannelStateReporter,
  ChannelStatus,
  InboundEvent,
  InboundResult,
  Logger,
  Metrics,
  NoticeUpdate,
  OutboundMessage,
  ReconnectBackoff,
  SentRef,
  SwitchboardApi,
} from '../../src/core/index.js';
import { renderMessage } from './blocks.js';
import { ACTIONS_SHORTCUT, withStatusLine } from '../../src/core/index.js';
import { SLACK_CAPABILITIES } from './capabilities.js';
import { boltLogger } from './bolt-logger.js';
import {
  classifyBlockAction,
  classifyMessageEvent,
  classifyMessageShortcut,
  classifySlashCommand,
  classifyViewSubmission,
  type SlackBlockActionPayload,
  type SlackCommandPayload,
  type SlackEventEnvelope,
  type SlackMessageShortcutPayload,
  type SlackViewSubmissionPayload,
} from './classify-event.js';
import { fromSlackText } from './mrkdwn.js';
import { CHOICE_BLOCK, FORM_CALLBACK_ID, ORIGIN_TEXT_MAX, type FormOrigin } from './views.js';
import { authFailureOf, DEFAULT_RATE_LIMIT_POLICY, type RateLimitPolicy, toChannelError } from './errors.js';
import { BackgroundWork, settleWithin } from './settle.js';
import { Lanes, laneOf } from './lanes.js';
import { SlackSender } from './slack-sender.js';
import { homeTab } from './home.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** A message event the intake did not keep (store failure, stopping): Slack must deliver it again. */
class EventNotKept extends Error {
  constructor(override readonly cause: unknown) {
    super(`event not kept: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'EventNotKept';
  }
}
/** The callback_id of the "Switchboard actions" message shortcut (slack-app-manifest.yml). */
export const ACTIONS_SHORTCUT_ID = 'sb_actions';
/** The event Slack sends when a user opens the App Home tab (slack-app-manifest.yml subscribes to it). */
export const HOME_OPENED_EVENT = 'app_home_opened';
/** Slack's limit for a message's text. */
const MESSAGE_TEXT_MAX = 40_000;
/**
 * Largest request body read before the signature is checked (Bolt's default is 4 MB: unsigned
 * bodies that large cost memory). Slack's own payloads, a notice's blocks included, stay far below.
 */
export const SLACK_BODY_LIMIT_BYTES = 256 * 1024;
const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
const SOMETHING_WENT_WRONG: Answer = { text: 'Something went wrong on our side. Please try again in a moment.' };

export interface SlackAdapterOptions {
  botToken: string;
  signingSecret: string;
  /** Web API base URL (tests, proxies); a trailing slash is added when missing. */
  apiUrl?: string | undefined;
  /** The core; without homeView the App Home tab is not published. */
  core: Pick<SwitchboardApi, 'handleInbound'> & Partial<Pick<SwitchboardApi, 'homeView'>>;
  logger: Logger;
  metrics: Metrics;
  /** How long a request waits for the core before it is acknowledged (Slack allows 3 s). */
  ackBudgetMs?: number;
  /** Bounded waiting on Slack rate limits. */
  rateLimit?: RateLimitPolicy;
  /** Timeout of one Web API HTTP request (also the deadline of auth.test at start). */
  requestTimeoutMs?: number;
  /** Wait between start attempts after a passing failure (doubling, capped). */
  reconnect?: ReconnectBackoff | undefined;
  /**
   * Told `connecting`, `connected` or `failed`. At start from auth.test; at runtime a Web API
   * answer that the token is no longer good (invalid_auth, token_revoked, account_inactive) should
   * be reported here as `failed` naming SLACK_BOT_TOKEN, and a later success as `connected`.
   */
  onState?: ChannelStateReporter | undefined;
  /**
   * Durable intake: a message event is kept in the store before Slack gets its 200 (a store that
   * cannot keep it makes the answer 500 and Slack delivers it again), then handled from there in
   * its lane. Without it events are handled in memory only (tests of the adapter alone).
   */
  intake?: Intake | undefined;
}

export const SLACK_TOKEN_REFUSED = 'SLACK_BOT_TOKEN was refused by Slack: copy the Bot User OAuth Token (xoxb-…) from the app\'s OAuth & Permissions page';

/**
 * Slack through Bolt: one request URL (POST /slack/events) for events, slash commands and
 * interactivity, verified by Bolt's ExpressReceiver; deliveries are classified into
 * InboundEvents for the core; the core's messages are posted with the Web API.
 */
export class BoltSlackAdapter implements ChannelAdapter {
  readonly platform = 'slack' as const;
  readonly capabilities = SLACK_CAPABILITIES;
  readonly router: Router;
  private readonly app: App;
  private readonly sender: SlackSender;
  private readonly background = new BackgroundWork();
  private readonly lanes = new Lanes();
  /** Users who opened the App Home tab since start: only their tabs are refreshed on changes. */
  private readonly homeViewers = new Set<string>();
  private readonly ackBudgetMs: number;
  private identityPromise: Promise<{ botUserId: string; botId: string }> | undefined;
  private known: { botUserId: string; botId: string } | undefined;
  private running = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly report: ChannelStateReporter;
  private connection: ChannelStatus = { state: 'connecting' };

  constructor(private readonly opts: SlackAdapterOptions) {
    opts.intake?.register('slack', (payload) => this.handleKept(payload));
    this.ackBudgetMs = opts.ackBudgetMs ?? 2500;
    this.report = opts.onState ?? (() => {});
    const logger = boltLogger(opts.logger);
    const clientOptions = {
      slackApiUrl: withTrailingSlash(opts.apiUrl ?? DEFAULT_SLACK_API_URL),
      logger,
      // No retries inside the client: it would also retry a call that timed out after Slack had
      // already posted it. callWithRetry retries what never reached Slack, and waits out rate
      // limits for a bounded time (the client would wait as long as Slack says, minutes even).
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: opts.requestTimeoutMs ?? 3000,
    };
    this.sender = new SlackSender(new webApi.WebClient(opts.botToken, clientOptions), opts.logger, opts.rateLimit ?? DEFAULT_RATE_LIMIT_POLICY);
    this.sender.onAuthFailure = (code) => this.authFailed(code);
    this.sender.onAnswered = () => {
      if (this.connection.state !== 'connected') this.setState('connected');
    };
    const receiver = new ExpressReceiver({
      signingSecret: opts.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      processBeforeResponse: true,
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
      logger,
    });
    this.router = receiver.router as Router;
    this.app = new App({
      receiver,
      logger,
      clientOptions,
      convoStore: false,
      // The bot's identity comes from auth.test at start (retried in the background). Until it is
      // known a delivery is still handled (the bot's own messages are told apart by bot_id); it
      // never waits for Slack here, nor is dropped because auth.test failed.
      authorize: async () => ({ botToken: opts.botToken, ...(this.known ?? {}) }),
    });
    this.app.error(async (error) => {
      opts.metrics.inc('errors', { source: 'slack' });
      opts.logger.error({ platform: 'slack', err: error.message, code: error.code }, 'slack handler failed');
      // an event that was not kept must not be acknowledged: the receiver answers 500 and Slack retries
      const original = (error as { original?: unknown }).original ?? error;
      if (original instanceof EventNotKept) throw error;
    });
    this.app.command(/.*/, async ({ command, ack, respond }) => this.onCommand(command as SlackCommandPayload, ack, respond));
    this.app.event('message', async ({ body, context }) => this.onMessage(body as unknown as SlackEventEnvelope, context.botUserId));
    this.app.action(/.*/, async ({ body, ack, respond }) => {
      await ack();
      if (body.type === 'block_actions') await this.onBlockAction(body as unknown as SlackBlockActionPayload, respond);
    });
    this.app.view({ callback_id: FORM_CALLBACK_ID, type: 'view_submission' }, async ({ body, ack }) =>
      this.onFormSubmitted(body as unknown as SlackViewSubmissionPayload, ack as (body?: Record<string, unknown>) => Promise<void>),
    );
    this.app.event(HOME_OPENED_EVENT, async ({ event }) => this.onHomeOpened(event.user, event.tab ?? ''));
    this.app.shortcut({ callback_id: ACTIONS_SHORTCUT_ID, type: 'message_action' }, async ({ body, ack }) => {
      await ack();
      await this.onShortcut(body as unknown as SlackMessageShortcutPayload);
    });
  }

  /**
   * Connected once Slack answered a call; failed when it refuses the token (invalid_auth,
   * token_revoked, account_inactive): an operator problem that /readyz shows until Slack answers again.
   */
  status(): ChannelStatus {
    return { ...this.connection };
  }

  /** One place where the connection state changes: kept for status() and reported to the app (/readyz, metric, log). */
  private setState(state: Exclude<ChannelStatus['state'], 'off'>, detail?: string): void {
    this.connection = state === 'connected' ? { state } : { state, reason: detail };
    this.report(state, detail);
  }

  private authFailed(code: string): void {
    this.opts.metrics.inc('errors', { source: 'slack_auth' });
    // At start the connection attempt reports the refusal itself, in one line.
    if (this.connection.state !== 'connected') return;
    this.setState('failed', `Slack refused the bot token (${code}); check SLACK_BOT_TOKEN`);
    this.opts.logger.error({ platform: 'slack', code }, 'Slack refused the bot token: nothing reaches Slack until SLACK_BOT_TOKEN is fixed');
  }

  /**
   * auth.test within the request deadline: `connected` on success; a refused token rejects
   * (`failed`, naming SLACK_BOT_TOKEN); otherwise `failed` and tried again in the background with
   * bounded backoff. Requests to /slack/events are handled all along.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.setState('connecting');
    await this.connect(1);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.background.drain(5000);
  }

  private async connect(attempt: number): Promise<void> {
    try {
      const me = await this.identity();
      if (!this.running) return;
      this.setState('connected', `as bot user ${me.botUserId}`);
    } catch (error) {
      const failure = toChannelError(error);
      if (authFailureOf(error) || failure.failure === 'refused') {
        this.running = false;
        this.setState('failed', `${SLACK_TOKEN_REFUSED} (${failure.message})`);
        throw new Error(`${SLACK_TOKEN_REFUSED} (${failure.message})`);
      }
      if (!this.running) return;
      const waitMs = reconnectDelayMs(attempt, this.opts.reconnect ?? DEFAULT_RECONNECT_BACKOFF);
      this.opts.logger.warn({ platform: 'slack', failure: failure.message, retryInMs: waitMs }, 'slack auth.test failed');
      this.setState('failed', `auth.test failed: ${failure.message}; trying again in ${waitMs / 1000} s`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.running) this.connect(attempt + 1).catch(() => {});
      }, waitMs);
      this.retryTimer.unref();
    }
  }

  send(message: OutboundMessage): Promise<SentRef[]> {
    return this.sender.send(message);
  }

  async postedText(chatId: string, messageId: string): Promise<string | null> {
    return this.sender.postedText(chatId, messageId, (await this.identity()).botId);
  }

  private identity(): Promise<{ botUserId: string; botId: string }> {
    if (!this.identityPromise) {
      this.identityPromise = this.sender.identity().then((me) => {
        this.known = me;
        return me;
      }, (error: unknown) => {
        this.identityPromise = undefined;
        throw error;
      });
    }
    return this.identityPromise;
  }

  private async onCommand(
    payload: SlackCommandPayload,
    ack: (body?: string | Record<string, unknown>) => Promise<void>,
    respond: RespondFn,
  ): Promise<void> {
    const event = classifySlashCommand(payload);
    if (!event) return ack();
    const work = this.opts.core.handleInbound(event).catch((error: unknown) => this.coreFailed(error, event));
    const early = await settleWithin(work, this.ackBudgetMs);
    if (early.done) {
      const answer = early.value.duplicate ? undefined : early.value.answer;
      return ack(answer ? { response_type: 'ephemeral', ...renderMessage(answer.text, answer.buttons) } : undefined);
    }
    await ack();
    this.background.add(
      work.then(async (result) => {
        if (!result.duplicate && result.answer) await this.respondEphemeral(respond, result.answer, event);
      }),
    );
  }

  private async onMessage(envelope: SlackEventEnvelope, botUserId: string | undefined): Promise<void> {
    const event = classifyMessageEvent(envelope, botUserId);
    if (!event) return;
    if (this.opts.intake) {
      // kept before Bolt answers (processBeforeResponse): a rejection here becomes a 500 and a redelivery
      const ts = Number.parseFloat(event.messageId ?? '');
      await this.opts.intake
        .accept({
        key: event.deliveryId,
        platform: 'slack',
        lane: `slack:${laneOf(event)}`,
        order: Number.isFinite(ts) ? Math.round(ts * 1e6) : Date.now() * 1000,
        payload: { envelope, botUserId },
      })
        .catch((e: unknown) => {
          throw new EventNotKept(e);
        });
      return;
    }
    await this.process(
      event,
      async ({ answer }) => {
        if (answer) await this.sender.postEphemeral(event.chat.id, event.sender.id, answer, event.threadId);
      },
      false,
      laneOf(event),
    );
  }

  /** The App Home tab was opened: show it as it stands now. */
  private async onHomeOpened(user: string, tab: string): Promise<void> {
    if (tab !== 'home' || !user) return;
    this.homeViewers.add(user);
    const work = this.publishHome(user);
    this.background.add(work);
    await settleWithin(work, this.ackBudgetMs);
  }

  /** The core says these users' work changed: republish the tabs of those who opened theirs. */
  homeChanged(userIds: readonly string[]): void {
    for (const user of new Set(userIds)) {
      if (this.homeViewers.has(user)) this.background.add(this.publishHome(user));
    }
  }

  /** views.publish of `user`'s App Home, one at a time per user (the last published is the newest); failures are logged. */
  private publishHome(user: string, answer?: string): Promise<void> {
    const core = this.opts.core;
    if (!core.homeView) return Promise.resolve();
    const homeView = core.homeView.bind(core);
    return this.lanes
      .run(`home:${user}`, async () => {
        const view = await homeView('slack', user);
        const links = new Map<number, string>();
        if (view.kind === 'agent') {
          for (const c of view.conversations) {
            const link = c.thread ? await this.sender.permalink(c.thread.chatId, c.thread.threadId) : null;
            if (link) links.set(c.number, link);
          }
        }
        await this.sender.publishHome(user, homeTab(view, links, answer));
      })
      .catch((error: unknown) => {
        const failure = toChannelError(error);
        this.opts.metrics.inc('deliveries_failed', { platform: 'slack', failure: failure.failure });
        this.opts.logger.warn({ platform: 'slack', user, failure: failure.failure, err: failure.message }, 'slack App Home not published');
      });
  }

  /** A button on the App Home tab: the answer shows at the top of the tab, republished at once. */
  private async onHomeAction(payload: SlackBlockActionPayload, event: InboundEvent): Promise<void> {
    const user = payload.user.id;
    this.homeViewers.add(user);
    await this.process(event, async ({ answer }) => this.publishHome(user, answer?.text), true);
  }

  /** A kept message event, handed over by the intake in its lane: throws when the core could not handle it (tried again). */
  private async handleKept(payload: unknown): Promise<void> {
    const { envelope, botUserId } = payload as { envelope: SlackEventEnvelope; botUserId?: string };
    const event = classifyMessageEvent(envelope, botUserId);
    if (!event) return;
    if (event.sender.name === event.sender.id) event.sender.name = await this.sender.displayName(event.sender.id);
    const result = await this.opts.core.handleInbound(event);
    if (result.duplicate || !result.answer) return;
    try {
      await this.sender.postEphemeral(event.chat.id, event.sender.id, result.answer, event.threadId);
    } catch (error) {
      this.deliveryFailed(error, event);
    }
  }

  private async onBlockAction(payload: SlackBlockActionPayload, respond: RespondFn | undefined): Promise<void> {
    const event = classifyBlockAction(payload);
    if (!event) return;
    if (payload.container?.type === 'view' && (payload.view as { type?: string } | undefined)?.type === 'home') return this.onHomeAction(payload, event);
    const ephemeral = payload.container?.is_ephemeral === true;
    await this.process(
      event,
      async ({ answer, notice }) => {
        if (notice) await this.updatePressed(payload, notice, respond);
        if (!answer) return;
        if (answer.form && payload.trigger_id) {
          const original = typeof payload.message?.text === 'string' ? fromSlackText(payload.message.text) : undefined;
          const origin: FormOrigin = {
            action: answer.form.action,
            ...(original !== undefined ? { text: original.length <= ORIGIN_TEXT_MAX ? original : `${original.slice(0, ORIGIN_TEXT_MAX - 1)}…` } : {}),
            channel: event.chat.id || undefined,
            ...(ephemeral ? { responseUrl: String(payload.response_url ?? '') || undefined } : { ts: event.messageId }),
          };
          if (await this.openForm(payload.trigger_id, answer, origin)) return;
        }
        if (respond) await this.respondEphemeral(respond, answer, event);
        else if (event.chat.id) await this.sender.postEphemeral(event.chat.id, event.sender.id, answer, event.threadId);
      },
      true,
    );
  }

  /** A form was submitted: refusals are shown in the form; otherwise it closes, the notice changes and the answer comes. */
  private async onFormSubmitted(payload: SlackViewSubmissionPayload, ack: (body?: Record<string, unknown>) => Promise<void>): Promise<void> {
    const classified = classifyViewSubmission(payload);
    if (!classified) return ack();
    const { event, origin } = classified;
    const work = this.opts.core.handleInbound(event).catch((error: unknown) => this.coreFailed(error, event));
    const early = await settleWithin(work, this.ackBudgetMs);
    if (early.done && !early.value.duplicate && early.value.refused && early.value.answer) {
      return ack({ response_action: 'errors', errors: { [CHOICE_BLOCK]: early.value.answer.text.slice(0, 300) } });
    }
    await ack();
    this.background.add(
      work.then(async (result) => {
        if (result.duplicate) return;
        try {
          if (result.notice && origin.channel && origin.ts) await this.updateNotice(origin.channel, origin.ts, origin.text, result.notice);
          if (result.answer && origin.channel) await this.sender.postEphemeral(origin.channel, event.sender.id, result.answer);
        } catch (error) {
          this.deliveryFailed(error, event);
        }
      }),
    );
  }

  /** "Switchboard actions" on a message of a conversation's thread: its buttons, only for the caller, in that thread. */
  private async onShortcut(payload: SlackMessageShortcutPayload): Promise<void> {
    const event = classifyMessageShortcut(payload, ACTIONS_SHORTCUT);
    if (!event) return;
    await this.process(
      event,
      async ({ answer }) => {
        if (answer) await this.sender.postEphemeral(event.chat.id, event.sender.id, answer, event.threadId);
      },
      true,
    );
  }

  /** Open the answer's form; false when Slack would not (an expired trigger), so the answer goes out as text. */
  private async openForm(triggerId: string, answer: Answer, origin: FormOrigin): Promise<boolean> {
    try {
      await this.sender.openForm(triggerId, answer.form!, origin);
      return true;
    } catch (error) {
      const failure = toChannelError(error);
      this.opts.logger.warn({ platform: 'slack', failure: failure.failure, err: failure.message }, 'slack form not opened; answering with text');
      return false;
    }
  }

  /** The pressed message shows its new status and buttons: chat.update for a posted message, response_url for an ephemeral one. */
  private async updatePressed(payload: SlackBlockActionPayload, notice: NoticeUpdate, respond: RespondFn | undefined): Promise<void> {
    const original = typeof payload.message?.text === 'string' ? fromSlackText(payload.message.text) : undefined;
    try {
      if (payload.container?.is_ephemeral) {
        if (respond) await respond({ replace_original: true, ...renderMessage(withStatusLine(original ?? '', notice.status, MESSAGE_TEXT_MAX).trim(), notice.buttons) });
        return;
      }
      const channel = payload.container?.channel_id ?? payload.channel?.id;
      const ts = payload.container?.message_ts ?? payload.message?.ts;
      if (channel && ts) await this.updateNotice(channel, ts, original, notice);
    } catch (error) {
      const failure = toChannelError(error);
      this.opts.logger.warn({ platform: 'slack', failure: failure.failure, err: failure.message }, 'pressed slack message not updated');
    }
  }

  private async updateNotice(channel: string, ts: string, original: string | undefined, notice: NoticeUpdate): Promise<void> {
    const text = original === undefined ? `» ${notice.status}` : withStatusLine(original, notice.status, MESSAGE_TEXT_MAX);
    await this.sender.update(channel, ts, text, notice.buttons);
  }

  /**
   * Core, then the result for the sender; waits up to the ack budget, the rest runs in the
   * background. With a `lane`, after the earlier deliveries of that lane (one person's messages
   * in one chat are handled in the order Slack sent them).
   */
  private async process(event: InboundEvent, deliver: (result: InboundResult) => Promise<void>, answerFailures = false, lane?: string): Promise<void> {
    const handle = async () => {
      if (event.kind === 'message' && event.sender.name === event.sender.id) {
        event.sender.name = await this.sender.displayName(event.sender.id);
      }
      let result: InboundResult;
      try {
        result = await this.opts.core.handleInbound(event);
      } catch (error) {
        result = this.coreFailed(error, event);
        if (!answerFailures) return;
      }
      if (!result.duplicate) await deliver(result);
    };
    const work = (lane === undefined ? handle() : this.lanes.run(lane, handle)).catch((error: unknown) => this.deliveryFailed(error, event));
    this.background.add(work);
    await settleWithin(work, this.ackBudgetMs);
  }

  private async respondEphemeral(respond: RespondFn, answer: Answer, event: InboundEvent): Promise<void> {
    try {
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderMessage(answer.text, answer.buttons) });
    } catch (error) {
      this.deliveryFailed(error, event);
    }
  }

  private coreFailed(error: unknown, event: InboundEvent): InboundResult {
    this.opts.metrics.inc('errors', { source: 'slack' });
    this.opts.logger.error(
      { platform: 'slack', delivery: event.deliveryId, kind: event.kind, err: error instanceof Error ? error.message : String(error) },
      'core failed to handle a slack delivery',
    );
    return { duplicate: false, answer: SOMETHING_WENT_WRONG };
  }

  private deliveryFailed(error: unknown, event: InboundEvent): void {
    const failure = toChannelError(error);
    this.opts.metrics.inc('deliveries_failed', { platform: 'slack', failure: failure.failure });
    this.opts.logger.warn(
      { platform: 'slack', delivery: event.deliveryId, failure: failure.failure, err: failure.message },
      'slack answer not delivered',
    );
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
