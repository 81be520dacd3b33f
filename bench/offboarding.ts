/**
 * Offboarding an agent who holds many open conversations (10,000 by default) on the embedded store:
 * the preview (`/offboard @alex …`) and the carrying out (`/offboard confirm CODE`), each through
 * the core's front door (handleInbound), with the time taken and how far the heap grew at its peak.
 * Plans: the default round-robin over 20 members, `--to` one supervisor, `--ratio` over 4 agents.
 * Optionally every conversation has a pending response timer on the in-process Agenda scheduler
 * (as when every customer waits for an answer), which the carrying out cancels and re-creates.
 * Run alone with `npx tsx bench/offboarding.ts [conversations]`.
 */
import { pathToFileURL } from 'node:url';
import {
  ManualClock,
  Switchboard,
  noMetrics,
  randomCode,
  silentLogger,
  type ChannelAdapter,
  type Conversation,
  type ConversationCondition,
  type ConversationUpdate,
  type CoreDeps,
  type Platform,
  buildCoreDeps,
} from '../src/core/index.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { AgendaScheduler } from '../src/scheduler/agenda-scheduler.js';
import { createMemoryAgendaBackend } from '../src/scheduler/memory-backend.js';
import { printTable } from './table.js';
import { NullChannel, nullScheduler } from './null-ports.js';

const MEMBERS = 20;

/** The embedded store, sampling the heap every few hundred conversation updates to catch the peak. */
class SampledStore extends MemoryStore {
  private calls = 0;
  peak = 0;
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().heapUsed);
  }
  override async updateConversation(n: number, c: ConversationCondition, u: ConversationUpdate): Promise<Conversation | null> {
    if (++this.calls % 250 === 0) this.sample();
    return super.updateConversation(n, c, u);
  }
}

async function setup(conversations: number, timers: boolean) {
  const store = new SampledStore();
  const clock = new ManualClock();
  const deps: CoreDeps = buildCoreDeps({
    store,
    clock,
    scheduler: nullScheduler,
    logger: silentLogger,
    metrics: noMetrics,
    channels: new Map<Platform, ChannelAdapter>([['telegram', new NullChannel('telegram')]]),
    newCode: randomCode,
    inviteLink: () => null,
    pace: false,
  });
  let agenda: AgendaScheduler | undefined;
  if (timers) {
    agenda = new AgendaScheduler({ backend: createMemoryAgendaBackend(), handler: async () => {}, processEveryMs: 60_000 });
    deps.scheduler = agenda;
  }
  const core = new Switchboard(deps);
  const now = clock.now();
  const agent = (handle: string, role: 'agent' | 'supervisor', telegramUserId: string) =>
    store.createAgent({ handle, name: handle, role, status: 'active', availability: 'online', capacity: 1_000_000, openCount: 0, homePlatform: 'telegram', telegramUserId, createdAt: now });
  await store.createInbox({ name: 'support', platform: 'telegram', strategy: 'round-robin', paused: false, responseTimeoutSec: 600, maxRedirects: 3, createdAt: now });
  await agent('alex', 'agent', '1');
  await agent('sup', 'supervisor', '2');
  await store.addMember('support', 'alex', now);
  for (let i = 0; i < MEMBERS; i++) {
    await agent(`member${i}`, 'agent', String(1000 + i));
    await store.addMember('support', `member${i}`, now);
  }
  for (let i = 0; i < conversations; i++) {
    const customer = { platform: 'telegram' as const, id: `c${i}`, name: `Customer ${i}`, chatId: `c${i}` };
    const { conversation } = await store.openConversation('support', customer, now);
    await store.reserveSlot('alex', { requireOnline: false, ignoreCapacity: true });
    await store.updateConversation(conversation.number, { status: ['queued'] }, { status: 'assigned', assignee: 'alex', waitingSince: now, lastMessageText: `question ${i}` });
    if (agenda) await agenda.schedule('response-timeout', new Date(now.getTime() + 600_000), { conversation: conversation.number, assignee: 'alex', waitingSince: now.toISOString() });
  }
  return { store, core, agenda };
}

let delivery = 0;
async function supervisorSays(core: Switchboard, text: string): Promise<string> {
  const r = await core.handleInbound({
    platform: 'telegram',
    deliveryId: `bench:${++delivery}`,
    kind: 'command',
    sender: { id: '2', name: 'sup' },
    chat: { id: '2', isDirect: true },
    command: 'offboard',
    text,
  });
  return r.answer?.text ?? '';
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc;

export async function benchOffboarding(opts: { conversations?: number; timers?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const conversations = opts.conversations ?? 10_000;
  const cases: { plan: string; args: string; timers: boolean }[] = [
    { plan: `round-robin over ${MEMBERS}`, args: '@alex --suspend', timers: false },
    { plan: '--to one supervisor', args: '@alex --to @sup', timers: false },
    { plan: '--ratio over 4 agents', args: '@alex --remove --ratio @member0=3,@member1=2,@member2=1,@member3=1', timers: false },
  ];
  if (opts.timers ?? true) cases.push({ plan: `round-robin over ${MEMBERS}`, args: '@alex --suspend', timers: true });
  const rows: Record<string, unknown>[] = [];
  for (const c of cases) {
    const { store, core, agenda } = await setup(conversations, c.timers);
    gc?.();
    const base = process.memoryUsage().heapUsed;
    store.peak = base;
    let started = performance.now();
    const preview = await supervisorSays(core, c.args);
    const previewMs = performance.now() - started;
    store.sample();
    const code = preview.match(/\/offboard confirm ([A-Z0-9]+)/)?.[1];
    if (!code) throw new Error(`no confirmation code in the preview:\n${preview}`);
    started = performance.now();
    const summary = await supervisorSays(core, `confirm ${code}`);
    const carryMs = performance.now() - started;
    store.sample();
    const moved = summary.match(/(\d+)\/(\d+) reassigned/);
    if (!moved || moved[1] !== String(conversations)) throw new Error(`unexpected summary:\n${summary}`);
    rows.push({
      plan: c.plan,
      'response timers': c.timers ? `${conversations} (in-process Agenda)` : 'none',
      conversations,
      'preview ms': Math.round(previewMs),
      'carry out ms': Math.round(carryMs),
      'moves/s': Math.round(conversations / (carryMs / 1000)),
      'peak heap Δ MB': mb(store.peak - base),
    });
    await agenda?.stop();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 10_000);
  printTable(`Offboarding an agent with ${n.toLocaleString('en')} open conversations (embedded store)`, await benchOffboarding({ conversations: n }));
  process.exit(0);
}
