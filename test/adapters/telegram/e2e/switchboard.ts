/**
 * Switchboard end to end through buildApp (in-process store) with the Telegram adapter in webhook
 * mode against the fake Bot API: updates are posted to /telegram/webhook as Telegram would, and
 * tests assert what reached the fake API.
 */
import { buildApp, type BuiltApp } from '../../../../src/app.js';
import { silentLogger, type Clock, type Result, type SwitchboardApi } from '../../../../src/core/index.js';
import { FakeTelegramApi, startFakeTelegramApi, type RecordedCall } from '../../../fakes/telegram-api.js';
import { SECRET, sleep } from '../harness.js';
import { messageUpdate, replyUpdate, textUpdate, type Person } from '../telegram-updates.js';

export const INBOX = 'telegram';

export function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

let nextPersonId = 20_000;
export function person(firstName: string, username?: string): Person {
  return { id: ++nextPersonId, first_name: firstName, ...(username ? { username } : {}) };
}

export class Switchboard {
  private members: string[] = [];

  private constructor(
    readonly api: FakeTelegramApi,
    readonly built: BuiltApp,
    readonly base: string,
  ) {}

  static async start(options: { clock?: Clock; adminToken?: string } = {}): Promise<Switchboard> {
    const api = await startFakeTelegramApi();
    const built = await buildApp(
      {
        port: 0,
        logLevel: 'silent',
        telegram: { token: api.token, webhookSecret: SECRET, apiRoot: api.apiRoot },
        agendaProcessEveryMs: 1_000,
        adminToken: options.adminToken,
      },
      { logger: silentLogger, pacing: false, ...(options.clock ? { clock: options.clock } : {}) },
    );
    const base = await built.listen(0);
    await built.started();
    return new Switchboard(api, built, base);
  }

  get core(): SwitchboardApi {
    return this.built.core;
  }

  async close(): Promise<void> {
    await this.built.close();
    await this.api.close();
  }

  /** An online agent linked to this Telegram person, added at the end of the inbox rotation. */
  async addAgent(handle: string, who: Person, fields: Record<string, unknown> = {}): Promise<void> {
    must(
      await this.core.createAgent({
        handle,
        name: who.first_name,
        telegramUserId: String(who.id),
        ...(who.username ? { telegramUsername: who.username } : {}),
        availability: 'online',
        ...fields,
      }),
    );
    this.members.push(handle);
    must(await this.core.setMembers(INBOX, { handles: this.members }));
  }

  async post(update: object): Promise<void> {
    const res = await fetch(`${this.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  }

  /** A customer (or agent) writes a plain message; returns the update sent. */
  async say(who: Person, text: string) {
    const update = textUpdate(who, text);
    await this.post(update);
    return update;
  }

  async sayWith(who: Person, fields: Record<string, unknown>) {
    const update = messageUpdate(who, fields);
    await this.post(update);
    return update;
  }

  /** Reply (reply-to) to a message the bot sent into this person's chat. */
  async reply(who: Person, text: string, to: RecordedCall) {
    const update = replyUpdate(who, text, FakeTelegramApi.sentId(to));
    await this.post(update);
    return update;
  }

  /** Type a command (optionally as a reply) and return the bot's one answer to it. */
  async command(who: Person, text: string, replyTo?: RecordedCall): Promise<string> {
    const update = replyTo ? replyUpdate(who, text, FakeTelegramApi.sentId(replyTo)) : textUpdate(who, text);
    await this.post(update);
    const answer = await this.api.waitForCall(
      'sendMessage',
      (p) => String(p.chat_id) === String(who.id) && (p.reply_parameters as { message_id?: number } | undefined)?.message_id === update.message.message_id,
    );
    return String(answer.params.text);
  }

  /** The first message the bot sent to this person's chat that matches, waiting for it. */
  received(who: Person, match: RegExp | string, timeoutMs = 5_000): Promise<RecordedCall> {
    const test = (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
    return this.api.waitForCall('sendMessage', (p) => String(p.chat_id) === String(who.id) && test(String(p.text)), timeoutMs);
  }

  /** Texts and copies delivered to this person's chat, in order. */
  delivered(who: Person): string[] {
    return this.api.delivered(who.id);
  }

  /** Let in-flight updates finish before asserting that something did NOT happen. */
  settle(ms = 200): Promise<void> {
    return sleep(ms);
  }

  /** Poll an async probe until it returns something truthy (state the core writes after sending). */
  async eventually<T>(probe: () => Promise<T | false | null | undefined>, timeoutMs = 3_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  async conversation(number: number) {
    return must(await this.core.getConversation(number));
  }
}

/** `#N` in a bot message. */
export function numberIn(text: string): number {
  const match = /#(\d+)/.exec(text);
  if (!match) throw new Error(`no #N in "${text}"`);
  return Number(match[1]);
}
