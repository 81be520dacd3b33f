import { expect, it } from 'vitest';
import type { IntakeRecord, OutboxInput } from '../../src/core/index.js';
import { at, parallel, T0, type CurrentStore } from './fixtures.js';

const intake = (key: string, lane: string, order: number, seconds = 0): IntakeRecord => ({
  key,
  platform: 'telegram',
  lane,
  order,
  payload: { update_id: order, message: { text: `m${order}`, chat: { id: 1 } } },
  receivedAt: at(seconds),
});
const outbox = (key: string, chatId = '700', seconds = 0): OutboxInput => ({
  key,
  lane: `telegram:${chatId}`,
  message: { to: { platform: 'telegram', chatId }, text: `text of ${key}`, conversation: 3, handle: 'ann' },
  createdAt: at(seconds),
  attempts: 0,
  nextAt: at(seconds + 60),
});

export function durableContract(store: CurrentStore): void {
  it('marks a delivery handled only when told, and knows it afterwards', async () => {
    expect(await store().isHandled('telegram:5')).toBe(false);
    expect(await store().recordDelivery('telegram:5', T0)).toBe(true);
    expect(await store().isHandled('telegram:5')).toBe(true);
  });

  it('keeps an acknowledged update once and lists a lane in order, the payload as it came', async () => {
    expect(await store().saveIntake(intake('telegram:12', 'telegram:1', 12, 2))).toBe(true);
    expect(await store().saveIntake(intake('telegram:11', 'telegram:1', 11, 3))).toBe(true);
    expect(await store().saveIntake(intake('telegram:13', 'telegram:2', 13, 1))).toBe(true);
    expect(await store().saveIntake(intake('telegram:12', 'telegram:1', 12, 9))).toBe(false);
    const lane = await store().listIntake({ lane: 'telegram:1' }, 10);
    expect(lane.map((r) => r.key)).toEqual(['telegram:11', 'telegram:12']);
    expect(lane[0]).toEqual(intake('telegram:11', 'telegram:1', 11, 3));
    expect((await store().listIntake({}, 10)).map((r) => r.key)).toEqual(['telegram:11', 'telegram:12', 'telegram:13']);
    expect(await store().countIntake()).toBe(3);
    await store().dropIntake('telegram:11');
    await store().dropIntake('telegram:11');
    expect((await store().listIntake({ lane: 'telegram:1' }, 10)).map((r) => r.key)).toEqual(['telegram:12']);
    expect(await store().countIntake()).toBe(2);
  });

  it('keeps one of 10 simultaneous saves of one update', async () => {
    const results = await parallel(10, () => store().saveIntake(intake('telegram:77', 'telegram:9', 77)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('gives a lane to one holder at a time until its lease runs out', async () => {
    expect(await store().acquireLane('telegram:1', 'p1', T0, at(30))).toBe(true);
    expect(await store().acquireLane('telegram:1', 'p2', at(10), at(40))).toBe(false);
    expect(await store().acquireLane('telegram:1', 'p1', at(10), at(40))).toBe(true); // renewed by its holder
    expect(await store().acquireLane('telegram:1', 'p2', at(35), at(65))).toBe(false);
    expect(await store().acquireLane('telegram:1', 'p2', at(41), at(71))).toBe(true); // the lease ran out
    await store().releaseLane('telegram:1', 'p1'); // not the holder: nothing happens
    expect(await store().acquireLane('telegram:1', 'p3', at(50), at(80))).toBe(false);
    await store().releaseLane('telegram:1', 'p2');
    expect(await store().acquireLane('telegram:1', 'p3', at(50), at(80))).toBe(true);
  });

  it('gives a free lane to exactly one of 10 simultaneous takers', async () => {
    let n = 0;
    const results = await parallel(10, () => store().acquireLane('slack:C1:U1', `p${++n}`, T0, at(30)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('writes an outbox message once per key, lists what waits in seq order, and forgets sent ones from the list', async () => {
    const a = await store().addOutbox(outbox('u1>telegram:700#1'));
    const b = await store().addOutbox(outbox('u1>telegram:700#2'));
    expect(await store().addOutbox(outbox('u1>telegram:700#1', '700', 5))).toBeNull();
    expect(a!.state).toBe('pending');
    expect(b!.seq).toBeGreaterThan(a!.seq);
    expect((await store().listOutbox(10)).map((r) => [r.key, r.message.text])).toEqual([
      ['u1>telegram:700#1', 'text of u1>telegram:700#1'],
      ['u1>telegram:700#2', 'text of u1>telegram:700#2'],
    ]);
    await store().updateOutbox('u1>telegram:700#1', { state: 'sent', sentAt: at(1), attempts: 1 });
    expect((await store().listOutbox(10)).map((r) => r.key)).toEqual(['u1>telegram:700#2']);
    expect(await store().countOutbox()).toBe(1);
    // a sent key is still known: the same message is not written again
    expect(await store().addOutbox(outbox('u1>telegram:700#1', '700', 2))).toBeNull();
    await store().dropOutbox('u1>telegram:700#2');
    expect(await store().countOutbox()).toBe(0);
  });

  it('lets one of two claimers take a waiting message (compare-and-set on its next try)', async () => {
    await store().addOutbox(outbox('k1'));
    await store().updateOutbox('k1', { attempts: 1, nextAt: at(5), lastError: 'Bot API 500' });
    const [x, y] = await Promise.all([store().claimOutbox('k1', at(5), at(65)), store().claimOutbox('k1', at(5), at(66))]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect(await store().claimOutbox('k1', at(5), at(70))).toBe(false);
    const [kept] = await store().listOutbox(1);
    expect({ attempts: kept!.attempts, lastError: kept!.lastError }).toEqual({ attempts: 1, lastError: 'Bot API 500' });
  });
}
