import http, { type ServerResponse } from 'node:http';
import type express from 'express';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { DEFAULT_RECONNECT_BACKOFF, reconnectDelayMs } from '../../src/core/index.js';
import type {
  Intake,
  ChannelAdapter,
  ChannelStateReporter,
  InboundEvent,
  ReconnectBackoff,
  Logger,
  Metrics,
  NoticeUpdate,
  OutboundMessage,
  SentRef,
  SwitchboardApi,
} from '../../src/core/index.js';
import { classifyUpdate, type TgUpdate } from './classify-update.js';
import { botCommands } from './commands.js';
import { TELEGRAM_CAPABILITIES } from './capabilities.js';
import { apiErrorCode, toChannelError } from './errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { TelegramSender } from './send.js';
import { UpdateQueue, updateChatKey } from './update-queue.js';
import { createWebhookRouter, WEBHOOK_PATH } from './webhook-router.js';
import { withTimeout } from './deadline.js';

export interface TelegramAdapterOptions {
  token: string;
  /** Another Bot API server (self-hosted, tests). A path prefix is kept. */
  apiRoot?: string | undefined;
  /** Set: webhook mode (router at POST /telegram/webhook). Unset: long polling. */
  webhookSecret?: string | undefined;
  /** With webhookSecret: register $publicUrl/telegram/webhook with setWebhook at start. */
  publicUrl?: string | undefined;
  core: SwitchboardApi;
  logger: Logger;
  metrics: Metrics;
  retry?: RetryPolicy | undefined;
  /** How long one Bot API call may take (default 15 s). */
  requestTimeoutMs?: number | undefined;
  /** Updates accepted but not handled yet, beyond which the webhook answers 503. */
  maxPendingUpdates?: number | undefined;
  /** Deadline of each start-up call (getMe, setMyCommands, setWebhook, deleteWebhook); default 10 s. */
  startTimeoutMs?: number | undefined;
  /** Wait between start attempts after a passing failure (doubling, capped). */
  reconnect?: ReconnectBackoff | undefined;
  /** Told `connecting`, `connected` or `failed` as the connection changes, at start and at runtime. */
  onState?: ChannelStateReporter | undefined;
  /**
   * Durable intake: each update is kept in the store before Telegram is told it was received
   * (webhook 200, or the next getUpdates offset) and handled from there. Without it updates are
   * handled in memory only (tests of the adapter alone).
   */
  intake?: Intake | undefined;
}

export interface TelegramAdapter extends ChannelAdapter {
  /** POST /telegram/webhook when a webhook secret is set, else null (long polling). */
  readonly router: express.Router | null;
  /** https://t.me/<bot>?start=CODE, once start() has learned the bot's username. */
  startLink(code: string): string | null;
}

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const FAILURE_ANSWER = 'Something went wrong on our side. Please try again.';
const RESTART_POLLING_MS = 5_000;
const STOP_WAIT_MS = 5_000;
const DEFAULT_START_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_PENDING = 10_000;
/** getUpdates holds the connection for up to its `timeout` (telegraf asks for 50 s), plus this margin. */
const LONG_POLL_MS = 50_000;
export const TOKEN_REFUSED = 'TELEGRAM_BOT_TOKEN was refused by the Bot API: copy the token from @BotFather again';

type CallApi = Telegraf['telegram']['callApi'];
type CallOptions = NonNullable<Parameters<CallApi>[2]>;

/** Telegraf resolves `./bot<token>/<method>` against apiRoot: without a trailing slash a path prefix would be lost. */
export function normalizeApiRoot(apiRoot: string | undefined): string | undefined {
  if (!apiRoot) return undefined;
  return apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`;
}

export function webhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}

/**
 * A Telegraf bot whose updates of one chat are handled in order, one at a time. With an intake,
 * an update (from the webhook or long polling) is only kept in the store here; the intake then
 * hands it to the adapter in its chat's lane (see processKept). Without one, `process` handles it
 * in the update queue.
 */
class OrderedTelegraf extends Telegraf {
  constructor(
    token: string,
    options: ConstructorParameters<typeof Telegraf>[1],
    private readonly queue: UpdateQueue,
    private readonly keep: ((update: TgUpdate) => Promise<unknown>) | null,
  ) {
    super(token, options);
  }
  override handleUpdate(update: Update, webhookResponse?: ServerResponse): Promise<void> {
    if (this.keep) return this.keep(update as unknown as TgUpdate).then(() => undefined);
    return this.process(update, webhookResponse);
  }
  /** Handle one update now (in its chat's order); rejects when handling failed. */
  process(update: Update, webhookResponse?: ServerResponse): Promise<void> {
    let failure: unknown = null;
    return this.queue
      .run(updateChatKey(update as unknown as TgUpdate), () =>
        super.handleUpdate(update, webhookResponse).catch((e: unknown) => {
          failure = e;
          throw e;
        }),
      )
      .then(() => {
        if (failure) throw failure;
      });
  }
}

export class TelegramChannel implements TelegramAdapter {
  readonly platform = 'telegram' as const;
  readonly capabilities = TELEGRAM_CAPABILITIES;
  readonly router: express.Router | null;
  private readonly bot: OrderedTelegraf;
  private readonly queue: UpdateQueue;
  private readonly sender: TelegramSender;
  private readonly log: Logger;
  private running = false;
  private polling: Promise<void> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private connected = false;
  private readonly startTimeoutMs: number;
  private readonly report: ChannelStateReporter;
  private keepAlive: http.Agent | null = null;

  constructor(private readonly options: TelegramAdapterOptions) {
    this.log = options.logger;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.report = options.onState ?? (() => {});
    this.queue = new UpdateQueue(options.maxPendingUpdates ?? DEFAULT_MAX_PENDING, (error) =>
      this.log.error({ platform: 'telegram', error: toChannelError(error).message }, 'update handling failed'),
    );
    const intake = options.intake;
    this.bot = new OrderedTelegraf(
      options.token,
      { telegram: { apiRoot: normalizeApiRoot(options.apiRoot), webhookReply: false } },
      this.queue,
      (update) => this.keep(update),
    );
    intake?.register(
      'telegram',
      (payload) => this.processKept(payload as TgUpdate),
      (payload) => this.gaveUp(payload as TgUpdate),
    );
    this.withDeadlines();
    // telegraf keeps connections alive only to https roots; a local Bot API server (http://) gets the same
    if (normalizeApiRoot(options.apiRoot)?.startsWith('http://')) {
      this.keepAlive = new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
      (this.bot.telegram as unknown as { options: { agent?: http.Agent } }).options.agent = this.keepAlive;
    }
    this.sender = new TelegramSender(this.bot.telegram, this.log, options.retry ?? DEFAULT_RETRY, options.requestTimeoutMs);
    this.bot.use((ctx) => this.handle(ctx.update as unknown as TgUpdate));
    this.bot.catch((error, ctx) => this.failed(ctx.update.update_id, error));
    this.router = options.webhookSecret
      ? createWebhookRouter({
          secret: options.webhookSecret,
          logger: this.log,
          // with an intake, the updates being handled are its lanes (the queue is for the adapter alone)
          busy: () => (intake ? intake.busy >= (options.maxPendingUpdates ?? DEFAULT_MAX_PENDING) : this.queue.full),
          accept: (update) => this.bot.handleUpdate(update as unknown as Update),
        })
      : null;
  }

  /**
   * Every Bot API call gets a deadline, also the ones telegraf makes itself (deleteWebhook and
   * getUpdates in long polling), where its own is 500 s. A call the Bot API refuses with 401 means
   * the token was revoked: the state turns `failed` at runtime; a later getUpdates that works
   * turns it `connected` again.
   */
  private withDeadlines(): void {
    const telegram = this.bot.telegram;
    const callApi = telegram.callApi.bind(telegram) as (method: string, payload: unknown, options?: CallOptions) => Promise<unknown>;
    const patched = async (method: string, payload: unknown, options: CallOptions = {}): Promise<unknown> => {
      const limit = method === 'getUpdates' ? LONG_POLL_MS + this.startTimeoutMs : this.startTimeoutMs;
      try {
        const result = options.signal
          ? await callApi(method, payload, options)
          : await withTimeout(limit, (signal) => callApi(method, payload, { ...options, signal: signal as unknown as CallOptions['signal'] }));
        if (method === 'getUpdates' && this.running && this.connected) this.report('connected', `${this.mode} as @${this.bot.botInfo?.username ?? '?'}`);
        return result;
      } catch (error) {
        if (apiErrorCode(error) === 401) this.report('failed', TOKEN_REFUSED);
        else if (method === 'getUpdates' && this.running && !options.signal?.aborted) {
          this.report('failed', `long polling failed: ${describeStartFailure(error, limit)}`);
        }
        throw error;
      }
    };
    telegram.callApi = patched as unknown as CallApi;
  }

  get mode(): 'webhook' | 'polling' {
    return this.router ? 'webhook' : 'polling';
  }

  send(message: OutboundMessage): Promise<SentRef[]> {
    return this.sender.send(message);
  }

  startLink(code: string): string | null {
    const username = this.bot.botInfo?.username;
    return username ? `https://t.me/${username}?start=${encodeURIComponent(code)}` : null;
  }

  /**
   * getMe, setMyCommands, then setWebhook (webhook mode with a public URL) or long polling, each
   * within the start deadline. A refused token rejects (state `failed`, naming the variable); a Bot
   * API that is down or does not answer in time makes the state `failed` and the start is tried
   * again in the background with bounded backoff, so the rest of the service keeps running.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.report('connecting');
    await this.connect(1);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.connected = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.polling) {
      try {
        this.bot.stop('shutdown');
      } catch {
        // polling had already ended
      }
      await Promise.race([this.polling, delay(STOP_WAIT_MS)]);
      this.polling = null;
    }
    // with an intake, updates not handled by now stay kept and are handled at the next start
    const drained = await this.queue.idle(this.options.intake ? 0 : STOP_WAIT_MS);
    if (!drained) this.log.warn({ platform: 'telegram', pending: this.queue.size }, 'stopped with updates still being handled');
  }

  private async connect(attempt: number): Promise<void> {
    try {
      this.bot.botInfo ??= await this.bot.telegram.getMe();
    } catch (error) {
      if (apiErrorCode(error) === 401 || apiErrorCode(error) === 404) {
        this.running = false;
        this.report('failed', TOKEN_REFUSED);
        throw new Error(`${TOKEN_REFUSED} (${toChannelError(error).message})`);
      }
      this.retryConnect(attempt, error);
      return;
    }
    if (!this.running) return;
    try {
      await this.bot.telegram.setMyCommands(botCommands());
      if (this.mode === 'webhook' && this.options.publicUrl) {
        await this.bot.telegram.setWebhook(webhookUrl(this.options.publicUrl), {
          secret_token: this.options.webhookSecret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
      }
    } catch (error) {
      this.retryConnect(attempt, error);
      return;
    }
    if (!this.running) return; // stopped while the Bot API was answering: do not start polling after stop()
    this.connected = true;
    if (this.mode === 'polling') this.startPolling();
    this.report('connected', `${this.mode} as @${this.bot.botInfo.username}`);
  }

  private retryConnect(attempt: number, error: unknown): void {
    const waitMs = reconnectDelayMs(attempt, this.options.reconnect ?? DEFAULT_RECONNECT_BACKOFF);
    const failure = describeStartFailure(error, this.startTimeoutMs);
    this.log.warn({ platform: 'telegram', failure, retryInMs: waitMs }, 'Telegram start failed');
    if (!this.running) return;
    this.report('failed', `${failure}; trying again in ${waitMs / 1000} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.running) this.connect(attempt + 1).catch((e) => this.log.error({ platform: 'telegram', error: String(e) }, 'Telegram start failed'));
    }, waitMs);
    this.restartTimer.unref();
  }

  /** Long polling until stop(); a polling failure (e.g. 409, a webhook is set elsewhere) restarts it after a pause. */
  private startPolling(): void {
    const run = this.bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] });
    this.polling = run.then(
      () => undefined,
      (error: unknown) => {
        this.polling = null;
        if (!this.running) return;
        const failure = describeStartFailure(error, this.startTimeoutMs);
        this.log.error({ platform: 'telegram', failure }, 'long polling failed, restarting');
        this.report('failed', `long polling failed: ${failure}; trying again in ${RESTART_POLLING_MS / 1000} s`);
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (this.running) {
            this.report('connecting');
            this.startPolling();
          }
        }, RESTART_POLLING_MS);
        this.restartTimer.unref();
      },
    );
  }

  /** One update: classify, hand to the core, deliver the core's answer to the sender. */
  private async handle(update: TgUpdate): Promise<void> {
    const callback = update.callback_query;
    const acknowledged = callback ? this.sender.answerButton(callback.id) : Promise.resolve();
    const event = classifyUpdate(update, this.bot.botInfo?.username);
    if (!event) {
      this.log.debug({ platform: 'telegram', update: update.update_id }, 'update ignored');
      await acknowledged;
      return;
    }
    this.log.debug({ platform: 'telegram', update: update.update_id, kind: event.kind, command: event.command }, 'update received');
    let answer;
    let notice: NoticeUpdate | undefined;
    try {
      const result = await this.options.core.handleInbound(event);
      if (result.duplicate) {
        this.log.info({ platform: 'telegram', update: update.update_id }, 'duplicate update ignored');
        return;
      }
      answer = result.answer;
      notice = result.notice;
    } catch (error) {
      // kept updates are tried again (the sender is answered if they are given up); others fail now
      if (event.kind !== 'message' && !this.options.intake) await this.deliverAnswer(event, { text: FAILURE_ANSWER });
      throw error; // logged and counted by bot.catch
    } finally {
      await acknowledged;
    }
    if (notice) await this.updateNotice(update, notice);
    if (answer) await this.deliverAnswer(event, answer);
  }

  /**
   * Handle a kept update. The intake runs it in its chat's lane, one at a time and in order, so it
   * needs neither the update queue nor a telegraf context: straight to the handler. Rejects when
   * handling failed (the intake keeps it and tries again).
   */
  private async processKept(update: TgUpdate): Promise<void> {
    try {
      // telegraf's handleUpdate would learn the bot's username the same way (a kept update may come before start())
      this.bot.botInfo ??= await this.bot.telegram.getMe();
      await this.handle(update);
    } catch (error) {
      this.failed(update.update_id, error);
    }
  }

  /** An update's handling failed: logged and counted; with an intake it is thrown on (the update is tried again). */
  private failed(updateId: number, error: unknown): void {
    this.options.metrics.inc('errors', { source: 'telegram' });
    this.log.error({ platform: 'telegram', update: updateId, error: error instanceof Error ? error.message : String(error) }, 'update handler failed');
    // kept updates are tried again: the intake must learn that this one failed
    if (this.options.intake) throw error;
  }

  /**
   * Keep an update before Telegram learns it was received (without an intake: start handling it).
   * A malformed update is logged, counted and dropped (Telegram would deliver it again and again).
   * Rejects when it could not be kept.
   */
  private async keep(update: TgUpdate): Promise<void> {
    const problem = malformed(update);
    if (problem) {
      this.options.metrics.inc('updates_malformed', { source: 'telegram' });
      this.log.warn({ source: 'telegram', platform: 'telegram', update: update?.update_id, problem }, 'malformed update ignored');
      return;
    }
    if (!this.options.intake) {
      void this.bot.process(update as unknown as Update).catch(() => undefined); // logged and counted by bot.catch
      return;
    }
    await this.options.intake.accept({
      key: `telegram:${update.update_id}`,
      platform: 'telegram',
      lane: `telegram:${updateChatKey(update)}`,
      order: update.update_id,
      payload: update,
    });
  }

  /** Every try of a kept update failed: a command or button gets the failure answer. */
  private async gaveUp(update: TgUpdate): Promise<void> {
    const event = classifyUpdate(update, this.bot.botInfo?.username);
    if (event && event.kind !== 'message') await this.deliverAnswer(event, { text: FAILURE_ANSWER });
  }

  /** The message whose button was pressed (or whose text button a reply pressed) shows its new state. */
  private async updateNotice(update: TgUpdate, notice: NoticeUpdate): Promise<void> {
    const pressed = update.callback_query?.message ?? update.message?.reply_to_message;
    const chatId = update.callback_query?.message?.chat.id ?? update.message?.chat.id;
    if (!pressed || chatId === undefined) return;
    try {
      await this.sender.updateNotice(String(chatId), String(pressed.message_id), pressed.text ?? '', notice);
    } catch (error) {
      const failure = toChannelError(error);
      this.log.warn({ platform: 'telegram', chat: String(chatId), failure: failure.failure, reason: failure.message }, 'pressed message not updated');
    }
  }

  private async deliverAnswer(event: InboundEvent, answer: { text: string; buttons?: OutboundMessage['buttons'] }): Promise<void> {
    try {
      await this.sender.answer(event.chat.id, answer, event.messageId);
    } catch (error) {
      const failure = toChannelError(error);
      this.options.metrics.inc('deliveries_failed', { platform: 'telegram', failure: failure.failure });
      this.log.warn({ platform: 'telegram', chat: event.chat.id, failure: failure.failure, reason: failure.message }, 'answer not delivered');
    }
  }
}

/** Why an update cannot be read (a message without a chat or sender, a button without its presser), or null. */
export function malformed(update: TgUpdate): string | null {
  if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) return 'no update_id';
  const message = update.message as Partial<NonNullable<TgUpdate['message']>> | undefined;
  if (message !== undefined) {
    if (typeof message !== 'object' || message === null) return 'message is not an object';
    if (typeof message.chat?.id !== 'number' && typeof message.chat?.id !== 'string') return 'message without chat.id';
    if (typeof message.message_id !== 'number') return 'message without message_id';
  }
  const query = update.callback_query as Partial<NonNullable<TgUpdate['callback_query']>> | undefined;
  if (query !== undefined) {
    if (typeof query !== 'object' || query === null) return 'callback_query is not an object';
    if (typeof query.id !== 'string' || typeof query.from?.id !== 'number') return 'callback_query without id or from';
  }
  return null;
}

/** One line for the log and /readyz: what failed, a timeout said as the deadline it missed. */
function describeStartFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return `the Bot API did not answer within ${timeoutMs} ms`;
  return toChannelError(error).message;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
