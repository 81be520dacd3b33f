import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Requests signed and shaped exactly as Slack sends them to a request URL: v0 HMAC-SHA256 over
 * `v0:<timestamp>:<raw body>` in X-Slack-Signature, slash commands form-encoded, events as JSON
 * `event_callback` envelopes with an event_id, interactivity as a form field `payload`.
 */

export interface SignOptions {
  secret: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Replace the computed signature (bad signature tests). */
  signature?: string;
  /** X-Slack-Retry-Num / X-Slack-Retry-Reason of a redelivery. */
  retryNum?: number;
  retryReason?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  json: unknown;
}

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export async function postSigned(url: string, contentType: string, rawBody: string, opts: SignOptions): Promise<SlackResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': opts.signature ?? slackSignature(opts.secret, timestamp, rawBody),
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (opts.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    headers['X-Slack-Retry-Reason'] = opts.retryReason ?? 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

let triggerSeq = 0;
export const newTriggerId = () => `${Date.now()}.${++triggerSeq}.${randomUUID().replace(/-/g, '').slice(0, 16)}`;
let eventSeq = 0;
export const newEventId = () => `Ev${Date.now().toString(36).toUpperCase()}${String(++eventSeq).padStart(4, '0')}`;

export interface SlashCommandFields {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  response_url: string;
  trigger_id?: string;
}

/** The form fields Slack posts for a slash command. */
export function slashCommandForm(f: SlashCommandFields): Record<string, string> {
  return {
    token: 'verification-token-unused',
    team_id: 'T0TEAM0001',
    team_domain: 'example',
    channel_id: f.channel_id ?? `D${f.user_id.slice(1)}`,
    channel_name: f.channel_name ?? 'directmessage',
    user_id: f.user_id,
    user_name: f.user_name ?? f.user_id.toLowerCase(),
    command: f.command,
    text: f.text ?? '',
    api_app_id: 'A0APP00001',
    is_enterprise_install: 'false',
    response_url: f.response_url,
    trigger_id: f.trigger_id ?? newTriggerId(),
  };
}

export function postSlashCommand(eventsUrl: string, opts: SignOptions, fields: SlashCommandFields): Promise<SlackResponse> {
  const body = new URLSearchParams(slashCommandForm(fields)).toString();
  return postSigned(eventsUrl, 'application/x-www-form-urlencoded', body, opts);
}

export interface MessageFields {
  user?: string;
  channel: string;
  channel_type?: 'channel' | 'group' | 'im' | 'mpim';
  text?: string;
  ts?: string;
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
  files?: { mimetype: string; name?: string }[];
}

let tsSeq = 0;
export const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(500000 + ++tsSeq).padStart(6, '0')}`;

/** An Events API `event_callback` envelope around one message event. */
export function messageEnvelope(m: MessageFields, eventId: string = newEventId()): Record<string, unknown> {
  const ts = m.ts ?? newTs();
  const event: Record<string, unknown> = {
    type: 'message',
    channel: m.channel,
    channel_type: m.channel_type ?? (m.channel.startsWith('D') ? 'im' : 'channel'),
    text: m.text ?? '',
    ts,
    event_ts: ts,
    ...(m.user ? { user: m.user } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.subtype ? { subtype: m.subtype } : {}),
    ...(m.bot_id ? { bot_id: m.bot_id } : {}),
    ...(m.files ? { files: m.files.map((f, i) => ({ id: `F0FILE${i}`, name: f.name ?? 'file', mimetype: f.mimetype })) } : {}),
  };
  return {
    token: 'verification-token-unused',
    team_id: 'T0TEAM0001',
    api_app_id: 'A0APP00001',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEAM0001', user_id: 'UB0TUSER01', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export function postEvent(eventsUrl: string, opts: SignOptions, envelope: Record<string, unknown>): Promise<SlackResponse> {
  return postSigned(eventsUrl, 'application/json', JSON.stringify(envelope), opts);
}

export function postUrlVerification(eventsUrl: string, opts: SignOptions, challenge: string): Promise<SlackResponse> {
  const body = JSON.stringify({ token: 'verification-token-unused', challenge, type: 'url_verification' });
  return postSigned(eventsUrl, 'application/json', body, opts);
}

export interface BlockActionFields {
  user_id: string;
  user_name?: string;
  channel_id: string;
  message_ts: string;
  thread_ts?: string;
  action_id: string;
  value: string;
  response_url: string;
  trigger_id?: string;
}

/** The `payload` of a block_actions interaction (a button pressed in a message). */
export function blockActionPayload(f: BlockActionFields): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: f.user_id, username: f.user_name ?? f.user_id.toLowerCase(), name: f.user_name ?? f.user_id.toLowerCase(), team_id: 'T0TEAM0001' },
    api_app_id: 'A0APP00001',
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: f.message_ts, channel_id: f.channel_id, is_ephemeral: false, ...(f.thread_ts ? { thread_ts: f.thread_ts } : {}) },
    trigger_id: f.trigger_id ?? newTriggerId(),
    team: { id: 'T0TEAM0001', domain: 'example' },
    channel: { id: f.channel_id, name: f.channel_id.startsWith('D') ? 'directmessage' : 'support' },
    message: { type: 'message', ts: f.message_ts, text: 'notice', user: 'UB0TUSER01', bot_id: 'B0TID00001', ...(f.thread_ts ? { thread_ts: f.thread_ts } : {}) },
    response_url: f.response_url,
    actions: [{ type: 'button', action_id: f.action_id, block_id: 'b1', text: { type: 'plain_text', text: 'Button' }, value: f.value, action_ts: `${Date.now() / 1000}` }],
  };
}

export function postInteraction(eventsUrl: string, opts: SignOptions, payload: Record<string, unknown>): Promise<SlackResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSigned(eventsUrl, 'application/x-www-form-urlencoded', body, opts);
}

export interface PostedResponse {
  path: string;
  body: Record<string, unknown>;
}

/** Stands in for Slack's response_url endpoint: records what the app posts back. */
export class ResponseUrlServer {
  readonly received: PostedResponse[] = [];
  private server: Server | undefined;
  private base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ path: req.url ?? '', body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A fresh response_url (each one a distinct path). */
  url(name: string = randomUUID()): string {
    return `${this.base}/commands/${name}`;
  }

  for(url: string): PostedResponse[] {
    const path = new URL(url).pathname;
    return this.received.filter((r) => r.path === path);
  }

  async waitFor(url: string, count = 1, timeoutMs = 5000): Promise<PostedResponse[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.for(url).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} response(s) at ${url}, saw ${this.for(url).length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.for(url);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** An Events API envelope around `app_home_opened`: `user` opened the app's Home (or Messages) tab. */
export function homeOpenedEnvelope(user: string, tab: 'home' | 'messages' = 'home', eventId: string = newEventId()): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: 'T0TEAM0001',
    api_app_id: 'A0APP00001',
    event: { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab, event_ts: `${Date.now() / 1000}` },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEAM0001', user_id: 'UB0TUSER01', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** The `payload` of a button pressed on a user's App Home tab (a view: no channel, message or response_url). */
export function homeActionPayload(user: string, actionId: string, value: string): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM0001' },
    api_app_id: 'A0APP00001',
    token: 'verification-token-unused',
    container: { type: 'view', view_id: `V${user}` },
    trigger_id: newTriggerId(),
    team: { id: 'T0TEAM0001', domain: 'example' },
    view: { id: `V${user}`, type: 'home', team_id: 'T0TEAM0001', blocks: [], private_metadata: '', callback_id: '', state: { values: {} }, hash: `h${Date.now()}` },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b1', text: { type: 'plain_text', text: actionId }, value, action_ts: `${Date.now() / 1000}` }],
  };
}
