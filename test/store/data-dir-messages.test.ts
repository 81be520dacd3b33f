// Messages in a data directory stay on disk: memory holds their count per conversation and a
// message only until it is written. Reading them reads the directory, also right after a change.
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/index.js';
import { openDataDir, type DataDir } from '../../src/store/embedded/data-dir.js';
import { stateOf, tempDir } from './data-dir-support.js';

const temps: Array<{ remove(): void }> = [];
const open: DataDir[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  for (const t of temps.splice(0)) t.remove();
});
async function fresh(): Promise<{ dir: string; data: DataDir }> {
  const t = tempDir();
  temps.push(t);
  const data = await openDataDir(t.dir);
  open.push(data);
  return { dir: t.dir, data };
}

const at = new Date('2026-01-01T09:00:00Z');
const message = (conversation: number, i: number, extra: Partial<Message> = {}): Message => ({
  conversation,
  from: i % 3 === 0 ? 'agent' : 'customer',
  ...(i % 3 === 0 ? { handle: 'amanda' } : {}),
  text: `message ${i} of #${conversation}: ${'words '.repeat(i % 7)}`,
  at: new Date(at.getTime() + i * 1000),
  ...extra,
});

describe('messages in a data directory', () => {
  it('reads back every message, the last N and the count after a restart, and keeps no text in memory', async () => {
    const { dir, data } = await fresh();
    const photo = { platform: 'telegram' as const, chatId: '42', messageId: '7' };
    const written: Message[] = [];
    for (let i = 1; i <= 45; i++) {
      const m = message(1, i, i === 10 ? { original: photo } : {});
      written.push(m);
      await data.store.addMessage(m);
      if (i % 5 === 0) await data.store.addMessage(message(2, i));
    }
    await data.close();
    open.splice(open.indexOf(data), 1);

    const again = await openDataDir(dir);
    open.push(again);
    expect(again.counts.message).toBe(45 + 9);
    expect(await again.store.countMessages(1)).toBe(45);
    expect(await again.store.countMessages(2)).toBe(9);
    expect(await again.store.countMessages(3)).toBe(0);
    expect(await again.store.listMessages(1)).toEqual(written);
    expect(await again.store.listMessages(1, 20)).toEqual(written.slice(-20));
    expect((await again.store.listMessages(1))[9]!.original).toEqual(photo);
    expect(await again.store.listMessages(3, 20)).toEqual([]);
    expect(JSON.stringify(stateOf(again))).not.toContain('message 1 of #1');
    // and it goes on numbering where it was
    await again.store.addMessage(message(1, 46));
    expect((await again.store.listMessages(1, 2)).map((m) => m.text)).toEqual([written[44]!.text, message(1, 46).text]);
  });

  it('stores the message of an update handled again once, also after a restart', async () => {
    const { dir, data } = await fresh();
    for (let i = 1; i <= 12; i++) {
      await data.store.addMessage(message(1, i, { key: `telegram:${i}` }));
      await data.store.addMessage(message(2, i, { key: `telegram:${100 + i}` }));
    }
    await data.store.addMessage(message(1, 12, { key: 'telegram:12' }));
    await data.store.addMessage(message(1, 3, { key: 'telegram:3' }));
    expect(await data.store.countMessages(1)).toBe(12);
    await data.close();
    open.splice(open.indexOf(data), 1);

    const again = await openDataDir(dir);
    open.push(again);
    await again.store.addMessage(message(2, 12, { key: 'telegram:112' })); // known from the directory
    await again.store.addMessage(message(2, 13, { key: 'telegram:113' }));
    await again.store.addMessage(message(2, 13, { key: 'telegram:113' })); // known from memory
    expect(await again.store.countMessages(2)).toBe(13);
    expect((await again.store.listMessages(2, 2)).map((m) => m.key)).toEqual(['telegram:112', 'telegram:113']);
  });

  it('reads right when more conversations are in use than the cache of recent ones holds', async () => {
    const { data } = await fresh();
    const texts = (c: number, upTo: number) => Array.from({ length: upTo }, (_, k) => message(c, k + 1).text);
    for (let round = 1; round <= 70; round++) {
      for (let c = 1; c <= 60; c++) await data.store.addMessage(message(c, round));
      if (round % 10 === 0) {
        for (const c of [7, 59, 1, 33]) {
          expect((await data.store.listMessages(c, 5)).map((m) => m.text)).toEqual(texts(c, round).slice(-5));
          expect((await data.store.listMessages(c)).map((m) => m.text)).toEqual(texts(c, round));
        }
      }
    }
    for (let c = 60; c >= 1; c--) expect((await data.store.listMessages(c)).map((m) => m.text)).toEqual(texts(c, 70));
    expect(await data.store.countMessages(60)).toBe(70);
  });

  it('a message is readable at once, before it reaches the disk, and reads racing writes see each message once, in order', async () => {
    const { data } = await fresh();
    for (let i = 1; i <= 30; i++) await data.store.addMessage(message(5, i));
    const adding: Promise<void>[] = [];
    const reads: { upTo: number; read: Promise<Message[]>; last?: number }[] = [];
    for (let i = 31; i <= 80; i++) {
      adding.push(data.store.addMessage(message(5, i))); // not awaited: still on its way to the disk
      reads.push({ upTo: i, read: data.store.listMessages(5, 25), last: 25 });
      if (i % 10 === 0) reads.push({ upTo: i, read: data.store.listMessages(5) });
    }
    await Promise.all(adding);
    for (const { upTo, read, last } of reads) {
      const numbers = (await read).map((m) => Number(/^message (\d+)/.exec(m.text)![1]));
      const from = last === undefined ? 1 : upTo - last + 1;
      expect(numbers).toEqual(Array.from({ length: upTo - from + 1 }, (_, k) => from + k));
    }
    expect(await data.store.countMessages(5)).toBe(80);
    expect((await data.store.listMessages(5)).map((m) => m.text)).toEqual(Array.from({ length: 80 }, (_, k) => message(5, k + 1).text));
  });
});
