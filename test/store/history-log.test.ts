import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/core/index.js';
import { HistoryLog } from '../../src/store/memory/history-log.js';

const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, i));
const event = (i: number, conversation: number, extra: Partial<HistoryEvent> = {}): HistoryEvent => ({
  conversation,
  reason: i % 2 ? 'route' : 'transfer',
  from: i % 2 ? null : `agent${i % 3}`,
  to: `agent${(i + 1) % 3}`,
  actor: i % 4 === 0 ? 'sam' : null,
  at: at(i),
  ...extra,
});

describe('the history log kept as columns', () => {
  it('gives back every event as it was appended, by seq, by conversation and by agent, page by page', () => {
    const log = new HistoryLog();
    const appended = Array.from({ length: 3000 }, (_, i) => log.append(event(i, (i % 7) + 1, i === 5 ? { note: 'for you', offboarding: 'off-1' } : {})));
    expect(log.size).toBe(3000);
    expect(appended[5]).toEqual({ ...event(5, 6, { note: 'for you', offboarding: 'off-1' }), seq: 6 });
    expect(log.event(3000)).toEqual({ ...event(2999, (2999 % 7) + 1), seq: 3000 });

    const ofThree = appended.filter((e) => e.conversation === 3);
    const pages: number[][] = [];
    let after: string | undefined;
    do {
      const page = log.list({ conversation: 3 }, { limit: 100, after });
      pages.push(page.items.map((e) => e.seq));
      after = page.next ?? undefined;
    } while (after);
    expect(pages.flat()).toEqual(ofThree.map((e) => e.seq));
    expect(pages.length).toBe(Math.ceil(ofThree.length / 100));

    const sams = log.list({ agent: 'sam' }, { limit: 10_000 }).items;
    expect(sams).toEqual(appended.filter((e) => e.actor === 'sam' || e.from === 'sam' || e.to === 'sam'));
    expect(log.list({ agent: 'nobody' }, { limit: 10 })).toEqual({ items: [], next: null });
    expect(log.list({ offboarding: 'off-1' }, { limit: 10 }).items.map((e) => e.seq)).toEqual([6]);
    expect(log.list({ conversation: 99 }, { limit: 10 })).toEqual({ items: [], next: null });
    expect(log.list({}, { limit: 2, after: '2999' })).toEqual({ items: [appended[2999]], next: null });
  });

  it('hands out copies, and refuses a restored event out of order', () => {
    const log = new HistoryLog();
    const first = log.append(event(1, 1));
    first.at.setTime(0);
    first.to = 'someone-else';
    expect(log.event(1)).toEqual({ ...event(1, 1), seq: 1 });
    const other = new HistoryLog();
    expect(() => other.restore({ ...event(2, 1), seq: 2 })).toThrow('history event 2 follows 0');
    other.restore({ ...event(1, 1), seq: 1 });
    expect(other.event(1)).toEqual(log.event(1));
  });
});
