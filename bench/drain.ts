// A drain through the outbox, paced to Telegram's limits: 1,000 conversations wait in the queue,
// 10 agents come online, and the time until every agent's chat has every conversation it got
// announced (alone or in a digest) is measured, with nothing lost. Real time, real pacing.
import { pathToFileURL } from 'node:url';
import { TELEGRAM_CAPABILITIES } from '../adapters/telegram/index.js';
import { ManualClock, Switchboard, noMetrics, randomCode, silentLogger, type ChannelAdapter, type OutboundMessage, type Platform, type SentRef } from '../src/core/index.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { nullScheduler } from './null-ports.js';
import { printTable } from './table.js';

/** Telegram as far as the core can tell, accepting everything; records what each chat got, and when. */
class RecordingTelegram implements ChannelAdapter {
  readonly platform = 'telegram' as const;
  readonly capabilities = TELEGRAM_CAPABILITIES;
  readonly got: { at: number; chatId: string; text: string }[] = [];
  private id = 1;
  async send(m: OutboundMessage): Promise<SentRef[]> {
    this.got.push({ at: Date.now(), chatId: m.to.chatId, text: m.text });
    return [{ chatId: m.to.chatId, messageId: String(this.id++) }];
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

export async function benchDrain(conversations = 1_000, agents = 10): Promise<Record<string, unknown>[]> {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const telegram = new RecordingTelegram();
  const core = new Switchboard({
    store,
    clock,
    scheduler: nullScheduler,
    logger: silentLogger,
    metrics: noMetrics,
    channels: new Map<Platform, ChannelAdapter>([['telegram', telegram]]),
    newCode: randomCode,
    inviteLink: () => null,
    pace: true,
  });
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: Error }): T => {
    if (!r.ok) throw r.error;
    return r.value;
  };
  must(await core.createInbox({ name: 'support', platform: 'telegram', responseTimeoutSec: 0 }));
  const handles = Array.from({ length: agents }, (_, i) => `agent${i + 1}`);
  for (const [i, handle] of handles.entries()) {
    must(await core.createAgent({ handle, name: handle, telegramUserId: String(80_000 + i), availability: 'offline', capacity: conversations }));
  }
  must(await core.setMembers('support', { handles }));
  // everyone offline: each customer's first message queues a conversation (the customer is told, paced too)
  for (let i = 0; i < conversations; i++) {
    await core.handleInbound({
      platform: 'telegram',
      deliveryId: `bench:${i}`,
      kind: 'message',
      sender: { id: String(500_000 + i), name: `Customer ${i}` },
      chat: { id: String(500_000 + i), isDirect: true },
      messageId: String(i + 1),
      text: `My order ${i} has not arrived`,
    });
  }
  telegram.got.length = 0;
  const started = Date.now();
  // the agents come online at once (each drain hands them conversations; their notices wait their turn)
  const online = Promise.all(handles.map(async (handle) => must(await core.updateAgent(handle, { availability: 'online' }))));
  const agentChats = new Set(handles.map((_, i) => String(80_000 + i)));
  const announced = new Set<number>();
  let lastAt = started;
  let announcedMessages = 0;
  while (announced.size < conversations && Date.now() - started < 300_000) {
    for (const g of telegram.got.splice(0)) {
      if (!agentChats.has(g.chatId)) continue;
      announcedMessages++;
      for (const m of g.text.matchAll(/New conversation #(\d+)/g)) announced.add(Number(m[1]));
      lastAt = g.at;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await online;
  const sent = await store.countOutbox();
  await core.deps.courier.stop(0);
  return [
    {
      conversations,
      agents,
      announced: announced.size,
      lost: conversations - announced.size,
      'time until all announced s': Math.round((lastAt - started) / 100) / 10,
      'messages to agents': telegram.got.length + announcedMessages,
      'still waiting': sent,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable('Drain of queued conversations to agents coming online, paced to Telegram limits (digests)', await benchDrain());
  process.exit(0);
}
