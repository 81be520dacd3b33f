import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack Web API on 127.0.0.1 (random port). Calls arrive as form-encoded or JSON POSTs to
 * /api/<method>; every call is recorded; answers look like Slack's (`{ok: true, …}` with real
 * looking ts values). It can be told to refuse a channel or user with an error code, or to
 * answer 429 with Retry-After once.
 */

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
  contentType: string;
  /** What the fake answered (HTTP 200 answers only), e.g. `response.ts` of a posted message. */
  response?: Record<string, unknown>;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
}

const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view'];

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly botUserId = 'UB0TUSER01';
  readonly botId = 'B0TID00001';
  readonly teamId = 'T0TEAM0001';
  private server: Server | undefined;
  private base = '';
  private seq = 0;
  private readonly channelErrors = new Map<string, string>();
  private readonly userErrors = new Map<string, string>();
  private readonly rateLimits = new Map<string, number>();
  private readonly methodErrors = new Map<string, string>();
  private readonly delays = new Map<string, number>();
  private readonly users = new Map<string, FakeUser>();
  private readonly listeners = new Set<() => void>();
  /** Messages the app posted (and ones a test put), by `channel/ts`, for conversations.replies. */
  private readonly posted = new Map<string, Record<string, unknown>>();
  /** Messages the app posted, as they read now (after chat.update), by `channel:ts`. */
  readonly messages = new Map<string, { text: string; blocks?: unknown[]; thread_ts?: string }>();
  /** Views opened with views.open, in order. */
  readonly opened: { trigger_id: string; view: FakeView; id: string }[] = [];
  /** The Home tab of each user, as last published. */
  readonly homes = new Map<string, FakeView>();
  private readonly usedTriggers = new Set<string>();
  private readonly expiredTriggers = new Set<string>();

  /** Base URL for SLACK_API_URL, with the trailing slash Slack's client expects. */
  get url(): string {
    return `${this.base}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  /** The DM channel id conversations.open answers for a user. */
  dmChannelFor(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  /** A message in a channel as someone else posted it (a person, when `botId` is not given). */
  putMessage(channel: string, ts: string, text: string, user: string, botId?: string): void {
    this.posted.set(`${channel}/${ts}`, { type: 'message', text, user, ts, ...(botId ? { bot_id: botId } : {}) });
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  /** chat.* calls to this channel answer `{ok: false, error}` until cleared. */
  failChannel(channel: string, error: string | null): void {
    if (error === null) this.channelErrors.delete(channel);
    else this.channelErrors.set(channel, error);
  }

  /** views.open with this trigger answers expired_trigger_id (Slack's triggers live 3 s). */
  expireTrigger(triggerId: string): void {
    this.expiredTriggers.add(triggerId);
  }

  /** conversations.open and users.info for this user answer `{ok: false, error}`. */
  failUser(user: string, error: string | null): void {
    if (error === null) this.userErrors.delete(user);
    else this.userErrors.set(user, error);
  }

  /** Every call of `method` answers `{ok: false, error}` until cleared (e.g. auth.test → invalid_auth). */
  failMethod(method: string, error: string | null): void {
    if (error === null) this.methodErrors.delete(method);
    else this.methodErrors.set(method, error);
  }

  /** The next call of `method` answers HTTP 429 with `Retry-After: retryAfterSec`. */
  rateLimitOnce(method: string, retryAfterSec: number): void {
    this.rateLimits.set(method, retryAfterSec);
  }

  /** The next call of `method` is carried out at once but answered only after `ms` (a slow Slack). */
  delayOnce(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `method` has been called at least `count` times. */
  async waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsTo(method).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} ${method} call(s), saw ${this.callsTo(method).length}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          this.listeners.delete(done);
          resolve();
        };
        this.listeners.add(done);
        setTimeout(done, 50);
      });
    }
    return this.callsTo(method);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const contentType = String(req.headers['content-type'] ?? '');
    const params = parseBody(raw, contentType);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : (params.token as string | undefined);
    const call: RecordedCall = { method, params, token, contentType };
    this.calls.push(call);

    const retryAfter = this.rateLimits.get(method);
    if (retryAfter !== undefined) {
      this.rateLimits.delete(method);
      res.writeHead(429, { 'Retry-After': String(retryAfter), 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      this.notify();
      return;
    }
    call.response = this.answer(method, params, token);
    const delay = this.delays.get(method);
    if (delay !== undefined) {
      this.delays.delete(method);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (res.destroyed) return this.notify(); // the client gave up waiting; the call still took effect
    }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(call.response));
    this.notify();
  }

  private answer(method: string, p: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (!token) return { ok: false, error: 'not_authed' };
    const methodError = this.methodErrors.get(method);
    if (methodError) return { ok: false, error: methodError };
    const channel = String(p.channel ?? '');
    const user = String(p.user ?? p.users ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'switchboard', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'conversations.open': {
        const error = this.userErrors.get(user);
        if (error) return { ok: false, error };
        return { ok: true, channel: { id: this.dmChannelFor(user) } };
      }
      case 'users.info': {
        const error = this.userErrors.get(user);
        if (error) return { ok: false, error };
        const u = this.users.get(user);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: u.id, name: u.name, real_name: u.real_name ?? u.name, profile: { display_name: u.display_name ?? '', real_name: u.real_name ?? u.name } } };
      }
      case 'chat.postMessage': {
        const error = this.channelErrors.get(channel) ?? invalidMessage(p);
        if (error) return { ok: false, error };
        const ts = this.nextTs();
        const message = { type: 'message', text: p.text, user: this.botUserId, bot_id: this.botId, ts, ...(p.thread_ts ? { thread_ts: p.thread_ts } : {}) };
        this.posted.set(`${channel}/${ts}`, message);
        this.messages.set(`${channel}:${ts}`, { text: String(p.text ?? ''), ...(Array.isArray(p.blocks) ? { blocks: p.blocks } : {}), ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}) });
        return { ok: true, channel, ts, message };
      }
      case 'chat.postEphemeral': {
        const error = this.channelErrors.get(channel) ?? invalidMessage(p);
        if (error) return { ok: false, error };
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.getPermalink': {
        const error = this.channelErrors.get(channel);
        if (error) return { ok: false, error };
        return { ok: true, channel, permalink: `https://example.slack.com/archives/${channel}/p${String(p.message_ts).replace('.', '')}` };
      }
      case 'conversations.replies': {
        // the thread's root (what Switchboard asks for): a message the app posted, or one the test put there
        const root = this.posted.get(`${channel}/${String(p.ts)}`);
        return root ? { ok: true, messages: [root], has_more: false } : { ok: false, error: 'thread_not_found' };
      }
      case 'chat.update': {
        const error = this.channelErrors.get(channel) ?? invalidMessage(p);
        if (error) return { ok: false, error };
        const key = `${channel}:${String(p.ts)}`;
        const current = this.messages.get(key);
        if (!current) return { ok: false, error: 'message_not_found' };
        this.messages.set(key, { ...current, text: String(p.text ?? ''), ...(Array.isArray(p.blocks) ? { blocks: p.blocks } : { blocks: undefined }) });
        const root = this.posted.get(`${channel}/${String(p.ts)}`);
        if (root) root.text = p.text;
        return { ok: true, channel, ts: p.ts, text: p.text };
      }
      case 'views.open': {
        const trigger = String(p.trigger_id ?? '');
        if (!trigger) return { ok: false, error: 'invalid_arguments' };
        if (this.expiredTriggers.has(trigger)) return { ok: false, error: 'expired_trigger_id' };
        if (this.usedTriggers.has(trigger)) return { ok: false, error: 'exchanged_trigger_id' };
        const invalid = invalidView(p.view, 'modal');
        if (invalid) return { ok: false, error: invalid, response_metadata: { messages: [`[ERROR] ${invalid}`] } };
        this.usedTriggers.add(trigger);
        const id = `V${String(++this.seq).padStart(8, '0')}`;
        this.opened.push({ trigger_id: trigger, view: p.view as FakeView, id });
        return { ok: true, view: { ...(p.view as object), id } };
      }
      case 'views.publish': {
        const userId = String(p.user_id ?? '');
        if (!/^[UW][A-Z0-9]+$/.test(userId)) return { ok: false, error: 'invalid_arguments' };
        const invalid = invalidView(p.view, 'home');
        if (invalid) return { ok: false, error: invalid };
        this.homes.set(userId, p.view as FakeView);
        return { ok: true, view: { ...(p.view as object), id: `V${userId}` } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

export interface FakeView {
  type?: string;
  callback_id?: string;
  private_metadata?: string;
  title?: { type?: string; text?: string };
  submit?: { type?: string; text?: string };
  blocks?: FakeViewBlock[];
}

interface FakeViewBlock extends FakeBlock {
  block_id?: string;
  label?: { text?: string };
  optional?: boolean;
  element?: { type?: string; action_id?: string; options?: { text?: { text?: string }; value?: string }[]; multiline?: boolean };
}

/** What Slack refuses in a view (views.open, views.publish): the limits Block Kit documents. */
function invalidView(raw: unknown, type: 'modal' | 'home'): string | undefined {
  const view = raw as FakeView | undefined;
  if (!view || view.type !== type) return 'invalid_arguments';
  const blocks = view.blocks ?? [];
  if (blocks.length > 100) return 'invalid_arguments';
  if ((view.private_metadata ?? '').length > 3000 || (view.callback_id ?? '').length > 255) return 'invalid_arguments';
  if (type === 'modal') {
    if (view.title?.type !== 'plain_text' || !view.title.text || view.title.text.length > 24) return 'invalid_arguments';
    if (blocks.some((b) => b.type === 'input') && (!view.submit?.text || view.submit.text.length > 24)) return 'invalid_arguments';
  }
  for (const b of blocks) {
    if (b.type === 'section' && (b.text?.text ?? '').length > 3000) return 'invalid_arguments';
    if (b.type === 'input') {
      if (!b.element || (b.label?.text ?? '').length > 2000 || !b.label?.text) return 'invalid_arguments';
      const options = b.element.options ?? [];
      if (b.element.type === 'static_select' && (options.length === 0 || options.length > 100)) return 'invalid_arguments';
      if (options.some((o) => (o.text?.text ?? '').length > 75 || (o.value ?? '').length > 150)) return 'invalid_arguments';
    }
    if (b.type === 'actions') {
      const ids = (b.elements ?? []).map((e) => e.action_id ?? '');
      if (ids.length > 25 || new Set(ids).size !== ids.length) return 'invalid_arguments';
      if ((b.elements ?? []).some((e) => (e.text?.text ?? '').length > 75 || (e.value ?? '').length > 2000)) return 'invalid_arguments';
    }
  }
  return undefined;
}

interface FakeBlock {
  type?: string;
  text?: { text?: string };
  elements?: { action_id?: string; value?: string; text?: { text?: string } }[];
}

/** What Slack refuses in a chat.postMessage / chat.postEphemeral body, whatever the channel (Block Kit limits). */
function invalidMessage(p: Record<string, unknown>): string | undefined {
  const text = typeof p.text === 'string' ? p.text : '';
  const blocks = Array.isArray(p.blocks) ? (p.blocks as FakeBlock[]) : [];
  if (!text.trim() && blocks.length === 0) return 'no_text';
  if (text.length > 40_000) return 'msg_too_long';
  if (blocks.length > 50) return 'invalid_blocks';
  for (const block of blocks) {
    if (block.type === 'section' && (block.text?.text ?? '').length > 3000) return 'invalid_blocks';
    if (block.type !== 'actions') continue;
    const elements = block.elements ?? [];
    const ids = elements.map((e) => e.action_id ?? '');
    if (elements.length > 25 || new Set(ids).size !== ids.length) return 'invalid_blocks';
    for (const e of elements) {
      if ((e.text?.text ?? '').length > 75 || (e.value ?? '').length > 2000 || (e.action_id ?? '').length > 255) return 'invalid_blocks';
    }
  }
  return undefined;
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (contentType.includes('application/json')) {
    params = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } else {
    params = Object.fromEntries(new URLSearchParams(raw));
  }
  for (const field of JSON_FIELDS) {
    const value = params[field];
    if (typeof value === 'string') {
      try {
        params[field] = JSON.parse(value);
      } catch {
        /* keep the string */
      }
    }
  }
  return params;
}
