import { expect, it } from 'vitest';
import type { HistoryEvent, HistoryFilter, Message, StoredHistoryEvent } from '../../src/core/index.js';
import { at, parallel, type CurrentPeer, type CurrentStore } from './fixtures.js';

function event(conversation: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return { conversation, reason: 'route', from: null, to: 'alice', actor: null, at: at(conversation), ...fields };
}

export function logContract(store: CurrentStore, peer: CurrentPeer): void {
  it('lets a reader paging by seq while 200 events are written at once by two processes see each once, in order, with no holes', async () => {
    const writers = [store(), await peer()];
    const seen: StoredHistoryEvent[] = [];
    let after: string | undefined;
    const readPage = async (): Promise<number> => {
      const page = await store().listHistory({}, { limit: 7, after });
      seen.push(...page.items);
      if (page.items.length > 0) after = String(page.items[page.items.length - 1]!.seq);
      return page.items.length;
    };
    let writing = true;
    const reader = (async () => {
      while (writing) {
        await readPage();
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const written = await parallel(200, (i) => writers[i % 2]!.addHistory(event(i + 1)));
    writing = false;
    await reader;
    while ((await readPage()) > 0);
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual(written.map((e) => e.seq).sort((a, b) => a - b));
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(seen.map((e) => e.conversation).sort((a, b) => a - b)).toEqual(written.map((_, i) => i + 1));
  });

  it('keeps the messages of each conversation in the order they were added', async () => {
    const messages: Message[] = [
      { conversation: 1, from: 'customer', text: 'hello', at: at(1) },
      { conversation: 1, from: 'agent', handle: 'alice', text: 'Hi! How can I help?', at: at(2) },
      { conversation: 2, from: 'customer', text: '', at: at(2) },
      { conversation: 1, from: 'customer', text: '{"$gt": ""}', at: at(3) },
    ];
    for (const m of messages) await store().addMessage(m);
    expect(await store().listMessages(1)).toEqual([messages[0], messages[1], messages[3]]);
    expect(await store().listMessages(2)).toEqual([messages[2]]);
    expect((await store().listMessages(1))[0]?.handle).toBeUndefined();
    expect(await store().listMessages(3)).toEqual([]);
  });

  it('lists the latest messages of a conversation oldest first, counts them, and keeps originals to copy', async () => {
    const original = { platform: 'telegram' as const, chatId: '42', messageId: '7' };
    for (let i = 1; i <= 25; i++) {
      await store().addMessage({ conversation: 5, from: i % 2 ? 'customer' : 'agent', ...(i % 2 ? {} : { handle: 'alice' }), text: `m${i}`, at: at(i) });
    }
    await store().addMessage({ conversation: 5, from: 'customer', text: '[photo] receipt', at: at(26), original });
    expect(await store().countMessages(5)).toBe(26);
    expect(await store().countMessages(6)).toBe(0);
    const last = await store().listMessages(5, 20);
    expect(last.map((m) => m.text)).toEqual([...Array.from({ length: 19 }, (_, i) => `m${i + 7}`), '[photo] receipt']);
    expect(last.at(-1)?.original).toEqual(original);
    expect(last[0]?.original).toBeUndefined();
    expect(await store().listMessages(5, 100)).toHaveLength(26);
    expect(await store().listMessages(6, 20)).toEqual([]);
  });

  it('numbers history events in append order and lists them in that order', async () => {
    const first = await store().addHistory(event(1, { note: 'first', actor: 'sam' }));
    const second = await store().addHistory(event(2, { reason: 'transfer', from: 'alice', to: 'bob', offboarding: 'off-1' }));
    expect(first).toEqual({ ...event(1, { note: 'first', actor: 'sam' }), seq: first.seq });
    expect(second.seq).toBeGreaterThan(first.seq);
    const page = await store().listHistory({}, { limit: 10 });
    expect(page).toEqual({ items: [first, second], next: null });
    expect(page.items[1]).toEqual({ ...event(2, { reason: 'transfer', from: 'alice', to: 'bob', offboarding: 'off-1' }), seq: second.seq });
    expect(page.items[0]?.offboarding).toBeUndefined();
  });

  it('gives simultaneous history events distinct places in the log', async () => {
    const stored = await parallel(20, (i) => store().addHistory(event(i + 1)));
    expect(new Set(stored.map((e) => e.seq)).size).toBe(20);
    const listed = (await store().listHistory({}, { limit: 100 })).items;
    expect(listed.map((e) => e.seq)).toEqual([...stored.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('filters history by agent (from, to or actor), conversation and offboarding', async () => {
    const e1 = await store().addHistory(event(1, { to: 'alice' }));
    const e2 = await store().addHistory(event(2, { reason: 'transfer', from: 'alice', to: 'bob', actor: 'sam' }));
    const e3 = await store().addHistory(event(1, { reason: 'claim', from: null, to: 'carol', actor: 'alice' }));
    const e4 = await store().addHistory(event(3, { reason: 'offboard', from: 'dave', to: null, actor: 'sam', offboarding: 'off-1' }));
    const list = async (filter: HistoryFilter): Promise<number[]> =>
      (await store().listHistory(filter, { limit: 100 })).items.map((e) => e.seq);
    expect(await list({ agent: 'alice' })).toEqual([e1.seq, e2.seq, e3.seq]);
    expect(await list({ agent: 'sam' })).toEqual([e2.seq, e4.seq]);
    expect(await list({ agent: 'bob' })).toEqual([e2.seq]);
    expect(await list({ conversation: 1 })).toEqual([e1.seq, e3.seq]);
    expect(await list({ offboarding: 'off-1' })).toEqual([e4.seq]);
    expect(await list({ agent: 'alice', conversation: 1 })).toEqual([e1.seq, e3.seq]);
    expect(await list({ agent: 'carol', conversation: 2 })).toEqual([]);
    expect(await list({ agent: 'nobody' })).toEqual([]);
  });

  it('pages through history, also with a filter', async () => {
    const all = [];
    for (let i = 1; i <= 7; i++) all.push(await store().addHistory(event(i, { to: i % 2 ? 'alice' : 'bob' })));
    const first = await store().listHistory({}, { limit: 3 });
    expect(first.items).toEqual(all.slice(0, 3));
    const second = await store().listHistory({}, { limit: 3, after: first.next ?? undefined });
    expect(second.items).toEqual(all.slice(3, 6));
    const third = await store().listHistory({}, { limit: 3, after: second.next ?? undefined });
    expect(third).toEqual({ items: all.slice(6), next: null });
    const alice = await store().listHistory({ agent: 'alice' }, { limit: 2 });
    expect(alice.items.map((e) => e.conversation)).toEqual([1, 3]);
    const aliceNext = await store().listHistory({ agent: 'alice' }, { limit: 2, after: alice.next ?? undefined });
    expect(aliceNext).toEqual({ items: [all[4], all[6]], next: null });
  });
}
