import {
  ManualClock,
  Switchboard,
  noMetrics,
  randomCode,
  silentLogger,
  type AgentInput,
  type AgentView,
  type InboundEvent,
  type InboundResult,
  type InboxInput,
  type Logger,
  type Metrics,
  type Platform,
  type Store,
  type Timers,
} from '../../src/core/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { ManualScheduler } from './manual-scheduler.js';
import { RecordingChannel } from './recording-channel.js';

let delivery = 0;

export interface CoreOptions {
  /** What the core sees of the store (fault injection, counting); the harness reads the store itself. */
  wrapStore?: (store: MemoryStore) => Store;
  metrics?: Metrics;
  logger?: Logger;
  /** The in-process store to use (e.g. a data directory's); a new empty one by default. */
  store?: MemoryStore;
  /** Timers of debounced work (home view refreshes); real ones by default. */
  timers?: Timers;
}

/** A core on the in-process store with a manual clock, a manual scheduler and recording channels. */
export function makeCore(options: CoreOptions = {}) {
  const store = options.store ?? new MemoryStore();
  const clock = new ManualClock();
  const scheduler = new ManualScheduler();
  const telegram = new RecordingChannel('telegram');
  const slack = new RecordingChannel('slack');
  const channels = new Map<Platform, RecordingChannel>([
    ['telegram', telegram],
    ['slack', slack],
  ]);
  const core = new Switchboard({
    pace: false,
    store: options.wrapStore ? options.wrapStore(store) : store,
    scheduler,
    clock,
    logger: options.logger ?? silentLogger,
    metrics: options.metrics ?? noMetrics,
    channels,
    newCode: randomCode,
    inviteLink: (code) => `https://t.me/switchboard_test_bot?start=${code}`,
    timers: options.timers,
  });

  const h = {
    store,
    clock,
    scheduler,
    telegram,
    slack,
    core,
    /** Create an agent (online by default) with a Telegram identity `tg-<handle>`. */
    async agent(handle: string, input: Partial<AgentInput> = {}): Promise<AgentView> {
      const r = await core.createAgent({ handle, name: handle[0]!.toUpperCase() + handle.slice(1), availability: 'online', telegramUserId: `${1000 + handle.length}${hash(handle)}`, ...input });
      if (!r.ok) throw new Error(`createAgent ${handle}: ${r.error.message}`);
      return r.value;
    },
    async inbox(name: string, members: string[], input: Partial<InboxInput> = {}) {
      const r = await core.createInbox({ name, platform: 'telegram', ...input });
      if (!r.ok) throw new Error(`createInbox ${name}: ${r.error.message}`);
      if (members.length) {
        const m = await core.setMembers(name, { handles: members });
        if (!m.ok) throw new Error(`setMembers ${name}: ${m.error.message}`);
      }
      return r.value;
    },
    /** The Telegram chat id of an agent created by `agent()`. */
    async chatOf(handle: string): Promise<string> {
      const a = await store.getAgent(handle);
      return a!.telegramUserId ?? a!.slackUserId!;
    },
    /** A Telegram customer writes to the bot. */
    customerSays(customerId: string, text: string, extra: Partial<InboundEvent> = {}): Promise<InboundResult> {
      return core.handleInbound({
        platform: 'telegram',
        deliveryId: `test:${++delivery}`,
        kind: 'message',
        sender: { id: customerId, name: `Customer ${customerId}` },
        chat: { id: customerId, isDirect: true },
        messageId: String(delivery),
        text,
        ...extra,
      });
    },
    /** An agent types a command in their Telegram chat (optionally as a reply to a message). */
    async command(handle: string, line: string, replyTo?: string): Promise<string> {
      const chat = await h.chatOf(handle);
      const [name, ...rest] = line.replace(/^\//, '').split(' ');
      const r = await core.handleInbound({
        platform: 'telegram',
        deliveryId: `test:${++delivery}`,
        kind: 'command',
        sender: { id: chat, name: handle },
        chat: { id: chat, isDirect: true },
        messageId: String(delivery),
        replyTo,
        command: name!,
        text: rest.join(' '),
      });
      return r.answer?.text ?? '';
    },
    /** An agent replies (reply-to) to a message in their Telegram chat. */
    async reply(handle: string, replyTo: string | undefined, text: string, extra: Partial<InboundEvent> = {}): Promise<string | undefined> {
      const chat = await h.chatOf(handle);
      const r = await core.handleInbound({
        platform: 'telegram',
        deliveryId: `test:${++delivery}`,
        kind: 'message',
        sender: { id: chat, name: handle },
        chat: { id: chat, isDirect: true },
        messageId: String(delivery),
        replyTo,
        text,
        ...extra,
      });
      return r.answer?.text;
    },
    async assigneeOf(number: number): Promise<string | null> {
      return (await store.getConversation(number))!.assignee;
    },
    async statusOf(number: number) {
      return (await store.getConversation(number))!.status;
    },
    /** Last message id the bot sent to an agent about a conversation (for replies). */
    async lastNoticeId(handle: string, number: number): Promise<string> {
      return telegram.lastIdAbout(await h.chatOf(handle), number);
    },
  };
  return h;
}

function hash(s: string): number {
  let x = 0;
  for (const c of s) x = (x * 31 + c.charCodeAt(0)) % 100000;
  return x;
}

export type CoreHarness = ReturnType<typeof makeCore>;
