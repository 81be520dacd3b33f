/**
 * `npm run demo`: Switchboard with the test suite's fake Telegram Bot API and fake Slack Web API in
 * one process, and a scripted tour that prints what each person sees, as a chat transcript. No
 * token, no network: every platform call goes to the fakes on 127.0.0.1.
 */
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/app.js';
import { silentLogger } from '../src/core/index.js';
import { FakeSlackApi } from '../test/fakes/slack-api.js';
import { FakeTelegramApi, type RecordedCall } from '../test/fakes/telegram-api.js';
import { postSlashCommand, ResponseUrlServer } from '../test/fakes/slack-requests.js';
import { replyUpdate, textUpdate, type Person } from '../test/adapters/telegram/telegram-updates.js';

const ADMIN_TOKEN = 'demo-admin-token-not-a-secret';
const WEBHOOK_SECRET = 'demo-webhook-secret-0123';
const SIGNING_SECRET = 'demo-signing-secret-0123';

const carla: Person = { id: 7101, first_name: 'Carla' };
const dan: Person = { id: 7102, first_name: 'Dan' };
const nina: Person = { id: 5101, first_name: 'Nina', username: 'nina_support' };
const omar: Person = { id: 5102, first_name: 'Omar', username: 'omar_support' };
const SAM = 'U0SAM00001';

export interface TourResult {
  lines: string[];
  ms: number;
}

/** Run the tour; `print` gets each transcript line as it happens. */
export async function runDemo(print: (line: string) => void = console.log): Promise<TourResult> {
  const started = Date.now();
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    print(line);
  };
  const telegram = await new FakeTelegramApi({ botUsername: 'switchboard_demo_bot' }).listen();
  const slack = await new FakeSlackApi().start();
  slack.addUser({ id: SAM, name: 'sam', real_name: 'Sam Lee' });
  const responses = await new ResponseUrlServer().start();
  const built = await buildApp(
    {
      port: 0,
      logLevel: 'silent',
      adminToken: ADMIN_TOKEN,
      agendaProcessEveryMs: 1000,
      dataDir: ':memory:',
      telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: WEBHOOK_SECRET },
      slack: { botToken: 'xoxb-demo', signingSecret: SIGNING_SECRET, apiUrl: slack.url },
    },
    { logger: silentLogger },
  );
  const base = await built.listen(0);
  await built.started();

  const seen = new Set<RecordedCall>();
  const sentTo = async (who: Person, match: string | RegExp): Promise<RecordedCall> => {
    const test = (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
    const call = await telegram.waitForCall('sendMessage', (p) => String(p.chat_id) === String(who.id) && test(String(p.text)), 10_000);
    seen.add(call);
    say(`  [Telegram] Switchboard → ${who.first_name}: ${indent(String(call.params.text))}`);
    return call;
  };
  const post = async (update: object) => {
    const res = await fetch(`${base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  const writes = async (who: Person, text: string, replyTo?: RecordedCall) => {
    say(`  [Telegram] ${who.first_name} → Switchboard: ${text}`);
    await post(replyTo ? replyUpdate(who, text, FakeTelegramApi.sentId(replyTo)) : textUpdate(who, text));
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const slash = async (command: string, text: string): Promise<string> => {
    say(`  [Slack] Sam types: ${command} ${text}`);
    const responseUrl = responses.url();
    const res = await postSlashCommand(`${base}/slack/events`, { secret: SIGNING_SECRET }, { command, text, user_id: SAM, response_url: responseUrl });
    const body = (res.text ? res.json : (await responses.waitFor(responseUrl))[0]?.body) as { text?: string };
    const answer = String(body?.text ?? '');
    say(`  [Slack] Switchboard → Sam (only Sam sees this): ${indent(answer)}`);
    return answer;
  };
  const step = (title: string) => say(`\n== ${title}`);

  try {
    step('Setup through the admin API: two Telegram agents, a Slack supervisor, the "telegram" inbox');
    await admin('POST', '/api/agents', { handle: 'nina', name: 'Nina', telegramUserId: nina.id, availability: 'online' });
    await admin('POST', '/api/agents', { handle: 'omar', name: 'Omar', telegramUserId: omar.id, availability: 'online' });
    await admin('POST', '/api/agents', { handle: 'sam', name: 'Sam Lee', role: 'supervisor', slackUserId: SAM, homePlatform: 'slack' });
    await admin('PUT', '/api/inboxes/telegram/members', { handles: ['nina', 'omar'] });
    say('  PUT /api/inboxes/telegram/members {"handles":["nina","omar"]}: round-robin between Nina and Omar');

    step('1. A customer writes; an agent is notified and answers');
    await writes(carla, 'Hi! My order #A-1042 has not arrived yet.');
    const notice = await sentTo(nina, 'Carla');
    await writes(nina, 'Sorry about that, Carla! Let me check with the courier.', notice);
    await sentTo(carla, 'Let me check with the courier');

    step('2. A transfer: Nina hands the conversation to Omar with a note');
    await writes(nina, '/transfer @omar courier claims it was delivered; please follow up', notice);
    await sentTo(nina, /Transferred|transferred/);
    await sentTo(omar, 'Carla');

    step('3. A queue drained: nobody is online, a customer waits, then an agent comes online');
    await writes(nina, '/offline');
    await sentTo(nina, /offline/i);
    await writes(omar, '/away');
    await sentTo(omar, /away/i);
    await writes(dan, 'Hello, can I change my delivery address?');
    await sentTo(dan, /answer|soon|wait/i);
    await writes(nina, '/available');
    await sentTo(nina, 'Dan');

    step('4. Offboarding with its preview: Sam (on Slack) moves all of Omar\'s conversations to Nina');
    const preview = await slash('/offboard', '@omar --suspend --to @nina');
    const code = /\/offboard confirm (\S+)/.exec(preview)?.[1];
    if (!code) throw new Error('the preview named no code');
    await slash('/offboard', `confirm ${code}`);
    await sentTo(nina, 'of @omar');
    const conversations = (await admin('GET', '/api/conversations?status=assigned')) as { items: { number: number; assignee: string }[] };
    say(`\n== Afterwards: GET /api/conversations?status=assigned → ${conversations.items.map((c) => `#${c.number} @${c.assignee}`).join(', ')}`);
    const rest = telegram.calls.filter((c) => c.method === 'sendMessage' && !seen.has(c)).length;
    say(`   (${rest} other Telegram message(s) not shown; every platform call went to the fakes, nothing left this machine)`);
  } finally {
    await built.close();
    await responses.close();
    await slack.close();
    await telegram.close();
  }
  return { lines, ms: Date.now() - started };
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n      ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log('Switchboard demo: fake Telegram and Slack in this process, no tokens needed.');
  runDemo()
    .then(({ ms }) => console.log(`\nTour finished in ${(ms / 1000).toFixed(1)} s.`))
    .catch((e: unknown) => {
      console.error(`Demo failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    });
}
