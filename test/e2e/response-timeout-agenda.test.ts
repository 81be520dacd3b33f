// Response-timeout redirects end to end: real Agenda with sub-second timers, on the embedded store
// and on MongoDB (MONGODB_URI or mongodb-memory-server; skipped with the reason when neither is there).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestServer, type TestServer } from '../store/mongo-server.js';
import { TimeoutApp, must, sleep } from './timeout-app.js';

const TIMEOUT_SEC = 0.3;

const server = await findTestServer();
const mongoSkip = 'reason' in server ? server.reason : null;

const modes: { name: string; skip: string | null; uri: () => string | undefined }[] = [
  { name: 'embedded store', skip: null, uri: () => undefined },
  {
    name: 'MongoDB',
    skip: mongoSkip,
    uri: () => {
      const s = server as TestServer;
      const url = new URL(s.uri);
      url.pathname = `/sb_timeouts_${process.pid}_${Date.now()}`;
      return url.toString();
    },
  },
];

afterAll(async () => {
  if (!('reason' in server)) await server.stop();
});

for (const mode of modes) {
  describe.skipIf(mode.skip !== null)(`response timeouts with Agenda (${mode.name})${mode.skip ? ` — skipped: ${mode.skip}` : ''}`, () => {
    let app: TimeoutApp;
    let amanda: Awaited<ReturnType<TimeoutApp['agent']>>;
    let mathew: Awaited<ReturnType<TimeoutApp['agent']>>;
    let geraldine: Awaited<ReturnType<TimeoutApp['agent']>>;
    let sup: Awaited<ReturnType<TimeoutApp['agent']>>;

    beforeAll(async () => {
      app = await TimeoutApp.start(mode.uri());
      amanda = await app.agent('amanda');
      mathew = await app.agent('mathew');
      geraldine = await app.agent('geraldine');
      sup = await app.agent('sup', { role: 'supervisor', availability: 'offline' });
      must(await app.core.updateInbox('telegram', { responseTimeoutSec: TIMEOUT_SEC, maxRedirects: 2, fallbackAgent: 'sup' }));
      must(await app.core.setMembers('telegram', { handles: ['amanda', 'mathew', 'geraldine'] }));
    });
    afterAll(async () => {
      await app?.close();
    });

    it('redirects an unanswered conversation, escalates to the fallback after maxRedirects, then stops', async () => {
      const customer = app.person('Carla');
      await app.say(customer, 'is anyone there?');
      // the webhook answers before the conversation is stored: wait for it to exist and be assigned
      const first = await app.eventually(async () => {
        const c = await app.core.getConversation(1);
        return c.ok ? c.value.assignee : null;
      });
      // every agent in turn, then the fallback
      const fallback = await app.eventually(async () => (await app.conversation(1)).assignee === 'sup', 8_000);
      expect(fallback).toBe(true);
      const history = (await app.conversation(1)).history!.filter((e) => e.reason === 'timeout');
      expect(history.map((e) => e.from)).toHaveLength(3);
      expect(history[0]!.from).toBe(first);
      expect(history.at(-1)!.to).toBe('sup');
      await app.received(sup, 'Escalated after 2 redirects.');
      await sleep(TIMEOUT_SEC * 1000 * 3);
      expect((await app.conversation(1)).assignee).toBe('sup');
      must(await app.core.updateAgent('sup', { availability: 'offline' }));
    });

    it('is cancelled by a reply, a transfer, an unassign and a close', async () => {
      // a timeout long enough that none fires while a slow database serves the steps below
      must(await app.core.updateInbox('telegram', { responseTimeoutSec: 60 }));
      const timers = async (n: number) => (await app.built.scheduler.pending('response-timeout', { conversation: n })).map((j) => j.data.assignee);
      const customers = ['Dora', 'Ed', 'Fay', 'Gus'].map((n) => app.person(n));
      const numbers: number[] = [];
      for (const c of customers) {
        await app.say(c, 'hello');
        const n = await app.eventually(async () => {
          const page = must(await app.core.listConversations({ status: 'assigned' }));
          return page.items.find((x) => x.customer.id === String(c.id))?.number;
        });
        numbers.push(n);
      }
      const holder = async (n: number) => (await app.conversation(n)).assignee!;
      const agents = { amanda, mathew, geraldine } as Record<string, typeof amanda>;
      // reply
      const h0 = await holder(numbers[0]!);
      const notice0 = await app.received(agents[h0]!, `#${numbers[0]}`);
      await app.reply(agents[h0]!, 'on it', notice0);
      await app.eventually(async () => (await app.conversation(numbers[0]!)).messages!.some((m) => m.from === 'agent'));
      // transfer (to the supervisor, who gets a fresh timer of their own), unassign, close
      const h1 = await holder(numbers[1]!);
      await app.say(agents[h1]!, `/transfer #${numbers[1]} @${h1 === 'geraldine' ? 'mathew' : 'geraldine'}`);
      for (const [i, cmd] of [[2, 'unassign'], [3, 'close']] as const) {
        await app.say(agents[await holder(numbers[i]!)]!, `/${cmd} #${numbers[i]}`);
      }
      await app.eventually(async () => (await app.conversation(numbers[2]!)).status === 'unassigned');
      await app.eventually(async () => (await app.conversation(numbers[3]!)).status === 'closed');
      const transferred = await app.eventually(async () => (await app.conversation(numbers[1]!)).history!.find((e) => e.reason === 'transfer'));
      expect(transferred.from).toBe(h1);
      for (const n of [numbers[0]!, numbers[2]!, numbers[3]!]) expect(await timers(n), `#${n}`).toEqual([]);
      // the transferred one keeps one timer, its new holder's: the old holder's is gone
      expect(await timers(numbers[1]!)).toEqual([transferred.to]);
      for (const n of numbers) expect((await app.conversation(n)).history!.filter((e) => e.reason === 'timeout'), `#${n}`).toEqual([]);
      must(await app.core.updateInbox('telegram', { responseTimeoutSec: TIMEOUT_SEC }));
    });

    it('does nothing when the job is stale', async () => {
      const customer = app.person('Hal');
      await app.say(customer, 'hi');
      const n = await app.eventually(async () => must(await app.core.listConversations({ status: 'assigned' })).items.find((x) => x.customer.id === String(customer.id))?.number);
      const before = await app.conversation(n);
      await app.core.runJob('response-timeout', { conversation: n, assignee: before.assignee!, waitingSince: new Date(0).toISOString() });
      await app.core.runJob('response-timeout', { conversation: n, assignee: 'nobody', waitingSince: new Date().toISOString() });
      const after = await app.conversation(n);
      expect(after.assignee).toBe(before.assignee);
      expect(after.history!.filter((e) => e.reason === 'timeout')).toEqual([]);
    });
  });
}
