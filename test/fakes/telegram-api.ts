import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody } from './telegram-body.js';

/**
 * A fake Telegram Bot API server on 127.0.0.1 (random port). It records every call, answers like
 * the real API (message ids increasing per chat), serves getUpdates to long polling from a queue
 * the test fills, and can be told to refuse a chat (403 blocked) or to rate-limit once (429).
 */

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** The error code the fake answered with, when it was told to fail this call. */
  failed?: number;
  /** What the fake answered (e.g. the sent message with its message_id). */
  result?: unknown;
}

export interface ApiFailure {
  code: number;
  description: string;
  retryAfter?: number;
}

interface RateLimit {
  method: string | undefined;
  retryAfter: number;
}

interface PollWaiter {
  offset: number;
  limit: number;
  respond: (updates: unknown[]) => void;
}

export interface FakeTelegramApiOptions {
  token?: string;
  /** Path prefix of the API root, e.g. '/tg' → apiRoot http://127.0.0.1:PORT/tg */
  prefix?: string;
  botUsername?: string;
  botId?: number;
}

export const BLOCKED: ApiFailure = { code: 403, description: 'Forbidden: bot was blocked by the user' };
export const CHAT_NOT_FOUND: ApiFailure = { code: 400, description: 'Bad Request: chat not found' };

const CHAT_METHODS = new Set(['sendMessage', 'sendPhoto', 'copyMessage', 'sendChatAction', 'editMessageText']);
const JSON_FIELDS = new Set(['reply_markup', 'reply_parameters', 'allowed_updates', 'commands', 'scope']);

export class FakeTelegramApi {
  readonly token: string;
  readonly botUsername: string;
  readonly botId: number;
  readonly calls: RecordedCall[] = [];
  /** Called for every successful call as it arrives (benchmarks time deliveries with it). */
  onCall: ((call: RecordedCall) => void) | null = null;
  /** Keep calls in `calls` (turn off for long benchmarks). */
  record = true;
  private readonly server: Server;
  private readonly prefix: string;
  private readonly nextMessageId = new Map<string, number>();
  private readonly failingChats = new Map<string, ApiFailure>();
  private readonly failNextCalls: { method: string; failure: ApiFailure }[] = [];
  private readonly rateLimits: RateLimit[] = [];
  private readonly delays = new Map<string, number>();
  private readonly updates: { update_id: number }[] = [];
  private pollers: PollWaiter[] = [];
  private callWaiters: (() => void)[] = [];
  private lastUpdateId = 100_000;
  private port = 0;

  constructor(options: FakeTelegramApiOptions = {}) {
    this.token = options.token ?? '123456:TEST-token_abc';
    this.botUsername = options.botUsername ?? 'switchboard_test_bot';
    this.botId = options.botId ?? 123456;
    this.prefix = (options.prefix ?? '').replace(/\/+$/, '');
    this.server = createServer((req, res) => void this.serve(req, res));
    // Like the real Bot API, connections stay open between calls. (At 1 s, the server's
    // `Keep-Alive: timeout=1` made Node's clients, which keep a 1 s margin, open a new connection
    // for every call.) close() ends open connections itself.
    this.server.keepAliveTimeout = 10_000;
  }

  /** Listen on a free port, or on `port` (a Bot API that comes back where it was). */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The value for TELEGRAM_API_ROOT. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`;
  }

  async close(): Promise<void> {
    for (const poller of this.pollers) poller.respond([]);
    this.pollers = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- test controls ----

  /** Every call to this chat fails (default: the user blocked the bot). */
  failChat(chatId: string | number, failure: ApiFailure = BLOCKED): void {
    this.failingChats.set(String(chatId), failure);
  }
  healChat(chatId: string | number): void {
    this.failingChats.delete(String(chatId));
  }
  /** The next call of `method` fails once with this failure. */
  failNext(method: string, failure: ApiFailure): void {
    this.failNextCalls.push({ method, failure });
  }
  /** The next call (of `method`, if given) answers 429 with parameters.retry_after once. */
  rateLimitOnce(retryAfter = 1, method?: string): void {
    this.rateLimits.push({ method, retryAfter });
  }
  /** The next call of `method` is answered only after `ms` (a slow Bot API). */
  delayOnce(method: string, ms: number): void {
    this.delays.set(method, ms);
  }
  /** Queue an update for getUpdates (long polling); returns it with its update_id. */
  enqueueUpdate<T extends object>(update: T & { update_id?: number }): T & { update_id: number } {
    const full = { ...update, update_id: update.update_id ?? ++this.lastUpdateId };
    this.lastUpdateId = Math.max(this.lastUpdateId, full.update_id);
    this.updates.push(full);
    this.wakePollers();
    return full;
  }
  reset(): void {
    this.calls.length = 0;
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }
  /** message_id of what the bot sent with this call (sendMessage, copyMessage). */
  static sentId(call: RecordedCall): number {
    const id = (call.result as { message_id?: number } | undefined)?.message_id;
    if (id === undefined) throw new Error(`${call.method} has no message_id`);
    return id;
  }

  /** Texts and copies that reached a chat, in order ('[copy of <chat>/<id>]' for copies). */
  delivered(chatId: string | number): string[] {
    const chat = String(chatId);
    return this.calls
      .filter((c) => (c.method === 'sendMessage' || c.method === 'copyMessage') && String(c.params.chat_id) === chat && !c.failed)
      .map((c) => (c.method === 'sendMessage' ? String(c.params.text) : `[copy of ${String(c.params.from_chat_id)}/${String(c.params.message_id)}]`));
  }

  /** Resolves with the first recorded call matching, waiting up to `timeoutMs`. */
  async waitForCall(
    method: string,
    match: (params: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<RecordedCall> {
    return this.waitUntil(() => this.calls.find((c) => c.method === method && !c.failed && match(c.params)), timeoutMs, `no ${method} call matched`);
  }

  /** Resolves once `probe` returns something truthy (checked after each call), or rejects after `timeoutMs`. */
  async waitUntil<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000, what = 'condition not met'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.callWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  // ---- server ----

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^(.*)\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match || match[1] !== this.prefix) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[2] !== this.token) return this.reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[3]!;
    let params: Record<string, unknown>;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await parseBody(req)) };
    } catch (error) {
      return this.reply(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${String(error)}` });
    }
    for (const field of JSON_FIELDS) {
      if (typeof params[field] === 'string') params[field] = JSON.parse(params[field] as string);
    }
    const delay = this.delays.get(method);
    if (delay !== undefined) {
      this.delays.delete(method);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    const call: RecordedCall = { method, params, at: Date.now() };
    if (this.record) this.calls.push(call);
    const failure = this.failureFor(method, params);
    if (failure) {
      call.failed = failure.code;
      this.notifyCall();
      const body: Record<string, unknown> = { ok: false, error_code: failure.code, description: failure.description };
      if (failure.retryAfter !== undefined) body.parameters = { retry_after: failure.retryAfter };
      return this.reply(res, failure.code, body);
    }
    if (method === 'getUpdates') return this.getUpdates(params, res);
    const result = this.result(method, params);
    call.result = result;
    this.notifyCall();
    this.onCall?.(call);
    if (result === undefined) return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    this.reply(res, 200, { ok: true, result });
  }

  private failureFor(method: string, params: Record<string, unknown>): ApiFailure | undefined {
    const limit = this.rateLimits.findIndex((r) => r.method === undefined || r.method === method);
    if (limit >= 0 && method !== 'getUpdates') {
      const [r] = this.rateLimits.splice(limit, 1);
      return { code: 429, description: `Too Many Requests: retry after ${r!.retryAfter}`, retryAfter: r!.retryAfter };
    }
    const next = this.failNextCalls.findIndex((f) => f.method === method);
    if (next >= 0) return this.failNextCalls.splice(next, 1)[0]!.failure;
    if (CHAT_METHODS.has(method) && params.chat_id !== undefined) {
      const failing = this.failingChats.get(String(params.chat_id));
      if (failing) return failing;
    }
    if (method === 'editMessageText') return this.invalidEdit(params);
    return invalidRequest(method, params);
  }

  /** The bot's messages as they read now (text and inline keyboard), by `chat:message_id`. */
  readonly messages = new Map<string, { text: string; reply_markup?: unknown }>();

  /** What Telegram refuses of editMessageText: an unknown message, no change at all, an empty or long text, bad button data. */
  private invalidEdit(params: Record<string, unknown>): ApiFailure | undefined {
    const invalid = invalidRequest('sendMessage', params);
    if (invalid) return invalid;
    const current = this.messages.get(`${String(params.chat_id)}:${String(params.message_id)}`);
    if (!current) return { code: 400, description: 'Bad Request: message to edit not found' };
    if (current.text === params.text && JSON.stringify(current.reply_markup ?? null) === JSON.stringify(params.reply_markup ?? null)) {
      return {
        code: 400,
        description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      };
    }
    return undefined;
  }

  private result(method: string, params: Record<string, unknown>): unknown {
    const now = Math.floor(Date.now() / 1000);
    switch (method) {
      case 'getMe':
        return { id: this.botId, is_bot: true, first_name: 'Switchboard', username: this.botUsername, can_join_groups: false };
      case 'editMessageText': {
        const key = `${String(params.chat_id)}:${String(params.message_id)}`;
        this.messages.set(key, { text: String(params.text), ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) });
        return {
          message_id: Number(params.message_id),
          date: now,
          chat: { id: Number(params.chat_id), type: 'private' },
          text: params.text,
          ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
        };
      }
      case 'sendMessage': {
        const id = this.nextId(params.chat_id);
        this.messages.set(`${String(params.chat_id)}:${id}`, { text: String(params.text), ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) });
        return {
          message_id: id,
          date: now,
          chat: { id: Number(params.chat_id), type: 'private' },
          from: { id: this.botId, is_bot: true, first_name: 'Switchboard', username: this.botUsername },
          text: params.text,
          ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
        };
      }
      case 'sendPhoto':
        return {
          message_id: this.nextId(params.chat_id),
          date: now,
          chat: { id: Number(params.chat_id), type: 'private' },
          photo: [{ file_id: 'AgAD-fake', file_unique_id: 'fake', width: 90, height: 90 }],
          ...(params.caption ? { caption: params.caption } : {}),
        };
      case 'copyMessage':
        return { message_id: this.nextId(params.chat_id) };
      case 'setMyCommands':
      case 'setWebhook':
      case 'deleteWebhook':
      case 'answerCallbackQuery':
      case 'sendChatAction':
        return true;
      case 'getWebhookInfo':
        return { url: '', has_custom_certificate: false, pending_update_count: this.updates.length };
      default:
        return undefined;
    }
  }

  private nextId(chatId: unknown): number {
    const key = String(chatId);
    const id = (this.nextMessageId.get(key) ?? 0) + 1;
    this.nextMessageId.set(key, id);
    return id;
  }

  private getUpdates(params: Record<string, unknown>, res: ServerResponse): void {
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Number(params.limit ?? 100));
    const timeoutSec = Math.min(50, Number(params.timeout ?? 0));
    if (offset > 0) this.confirm(offset);
    const available = this.updates.slice(0, limit);
    if (available.length > 0 || timeoutSec <= 0) {
      this.notifyCall();
      return this.reply(res, 200, { ok: true, result: available });
    }
    const poller: PollWaiter = {
      offset,
      limit,
      respond: (updates) => {
        clearTimeout(timer);
        this.pollers = this.pollers.filter((p) => p !== poller);
        if (!res.writableEnded) this.reply(res, 200, { ok: true, result: updates });
        this.notifyCall();
      },
    };
    const timer = setTimeout(() => poller.respond([]), timeoutSec * 1000);
    res.on('close', () => {
      clearTimeout(timer);
      this.pollers = this.pollers.filter((p) => p !== poller);
    });
    this.pollers.push(poller);
    this.notifyCall();
  }

  /** getUpdates with an offset confirms (drops) every update below it, as Telegram does. */
  private confirm(offset: number): void {
    while (this.updates.length > 0 && this.updates[0]!.update_id < offset) this.updates.shift();
  }

  private wakePollers(): void {
    for (const poller of [...this.pollers]) {
      this.confirm(poller.offset);
      const available = this.updates.slice(0, poller.limit);
      if (available.length > 0) poller.respond(available);
    }
  }

  private notifyCall(): void {
    const waiters = this.callWaiters;
    this.callWaiters = [];
    for (const wake of waiters) wake();
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** What the real Bot API refuses with 400 regardless of the chat (limits as documented). */
function invalidRequest(method: string, params: Record<string, unknown>): ApiFailure | undefined {
  if (method === 'sendMessage') {
    const text = typeof params.text === 'string' ? params.text : '';
    if (!text.trim()) return { code: 400, description: 'Bad Request: message text is empty' };
    if (text.length > 4096) return { code: 400, description: 'Bad Request: message is too long' };
  }
  const keyboard = (params.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard;
  const data = keyboard?.flat().map((button) => button.callback_data ?? '') ?? [];
  if (data.some((d) => Buffer.byteLength(d, 'utf8') < 1 || Buffer.byteLength(d, 'utf8') > 64)) {
    return { code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
  }
  return undefined;
}

export async function startFakeTelegramApi(options: FakeTelegramApiOptions = {}): Promise<FakeTelegramApi> {
  return new FakeTelegramApi(options).listen();
}
