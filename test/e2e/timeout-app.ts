import { buildApp, type BuiltApp } from '../../src/app.js';
import { silentLogger, type Result } from '../../src/core/index.js';
import { FakeTelegramApi, startFakeTelegramApi, type RecordedCall } from '../fakes/telegram-api.js';
import { replyUpdate, textUpdate, type Person } from '../adapters/telegram/telegram-updates.js';

const SECRET = 'timeouts-secret';
let nextPerson = 60_000;

export const must = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The whole app with real Agenda (short scan interval) and Telegram against the fake Bot API. */
export class TimeoutApp {
  private constructor(
    readonly api: FakeTelegramApi,
    readonly built: BuiltApp,
    readonly base: string,
  ) {}

  static async start(mongodbUri?: string): Promise<TimeoutApp> {
    const api = await startFakeTelegramApi();
    const built = await buildApp(
      {
        port: 0,
        logLevel: 'silent',
        mongodbUri,
        telegram: { token: api.token, webhookSecret: SECRET, apiRoot: api.apiRoot },
        agendaProcessEveryMs: 100,
      },
      { logger: silentLogger, pacing: false },
    );
    const base = await built.listen(0);
    await built.started();
    return new TimeoutApp(api, built, base);
  }

  get core() {
    return this.built.core;
  }

  person(name: string): Person {
    return { id: ++nextPerson, first_name: name };
  }

  async agent(handle: string, fields: Record<string, unknown> = {}): Promise<Person> {
    const who = this.person(handle);
    must(await this.core.createAgent({ handle, name: handle, telegramUserId: String(who.id), availability: 'online', ...fields }));
    return who;
  }

  async post(update: object): Promise<{ message: { message_id: number } }> {
    const res = await fetch(`${this.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return update as { message: { message_id: number } };
  }

  say(who: Person, text: string) {
    return this.post(textUpdate(who, text));
  }

  reply(who: Person, text: string, to: RecordedCall) {
    return this.post(replyUpdate(who, text, FakeTelegramApi.sentId(to)));
  }

  received(who: Person, match: string, timeoutMs = 5_000): Promise<RecordedCall> {
    return this.api.waitForCall('sendMessage', (p) => String(p.chat_id) === String(who.id) && String(p.text).includes(match), timeoutMs);
  }

  async conversation(n: number) {
    return must(await this.core.getConversation(n));
  }

  async eventually<T>(probe: () => Promise<T | false | null | undefined>, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  async close(): Promise<void> {
    await this.built.close();
    await this.api.close();
  }
}
