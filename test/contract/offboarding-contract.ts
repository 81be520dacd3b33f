import { expect, it } from 'vitest';
import { StoreConflict, type PlannedMove } from '../../src/core/index.js';
import { at, offboarding, parallel, type CurrentStore } from './fixtures.js';

export function offboardingContract(store: CurrentStore): void {
  it('records an offboarding and finds it by id and by code', async () => {
    const o = offboarding('off-1', { until: at(86_400) });
    await store().createOffboarding(o);
    expect(await store().getOffboarding('off-1')).toEqual(o);
    expect(await store().findOffboardingByCode('CODE-off-1')).toEqual(o);
    expect(await store().getOffboarding('off-2')).toBeNull();
    expect(await store().findOffboardingByCode('CODE-off-2')).toBeNull();
    expect((await store().getOffboarding('off-1'))?.confirmedAt).toBeUndefined();
  });

  it('refuses a second offboarding with the same id', async () => {
    await store().createOffboarding(offboarding('off-1'));
    const error = await store().createOffboarding(offboarding('off-1', { code: 'OTHER' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreConflict);
    expect((await store().getOffboarding('off-1'))?.code).toBe('CODE-off-1');
  });

  it('stores a plan of 10,000 moves', async () => {
    const plan: PlannedMove[] = Array.from({ length: 10_000 }, (_, i) => ({
      conversation: i + 1,
      inbox: i % 3 ? 'support' : 'sales',
      to: i % 4 ? `agent${i % 7}` : null,
    }));
    await store().createOffboarding(offboarding('big', { plan }));
    const read = await store().getOffboarding('big');
    expect(read?.plan).toHaveLength(10_000);
    expect(read?.plan).toEqual(plan);
  });

  it('changes state only from the expected state and sets the given fields', async () => {
    await store().createOffboarding(offboarding('off-1'));
    expect(await store().transitionOffboarding('off-1', 'running', 'done')).toBeNull();
    const running = await store().transitionOffboarding('off-1', 'pending', 'running', { confirmedAt: at(30) });
    expect(running).toEqual({ ...offboarding('off-1'), state: 'running', confirmedAt: at(30) });
    const done = await store().transitionOffboarding('off-1', 'running', 'done', { finishedAt: at(40), summary: '2 moved' });
    expect(done).toEqual({ ...offboarding('off-1'), state: 'done', confirmedAt: at(30), finishedAt: at(40), summary: '2 moved' });
    expect(await store().getOffboarding('off-1')).toEqual(done);
    expect(await store().transitionOffboarding('off-1', 'pending', 'cancelled')).toBeNull();
    expect(await store().transitionOffboarding('nope', 'pending', 'running')).toBeNull();
  });

  it('lets exactly one of 10 simultaneous confirmations win', async () => {
    await store().createOffboarding(offboarding('off-1'));
    const results = await parallel(10, (i) => store().transitionOffboarding('off-1', 'pending', 'running', { confirmedAt: at(i) }));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await store().getOffboarding('off-1')).toEqual(winners[0]);
  });

  it('lists offboardings oldest first, by state and by agent', async () => {
    await store().createOffboarding(offboarding('o2', { createdAt: at(20), agent: 'bob' }));
    await store().createOffboarding(offboarding('o1', { createdAt: at(10) }));
    await store().createOffboarding(offboarding('o3', { createdAt: at(30), state: 'done' }));
    const ids = async (filter: { state?: 'pending' | 'done'; agent?: string }): Promise<string[]> =>
      (await store().listOffboardings(filter)).map((o) => o.id);
    expect(await ids({})).toEqual(['o1', 'o2', 'o3']);
    expect(await ids({ state: 'pending' })).toEqual(['o1', 'o2']);
    expect(await ids({ agent: 'alice' })).toEqual(['o1', 'o3']);
    expect(await ids({ state: 'done', agent: 'alice' })).toEqual(['o3']);
    expect(await ids({ state: 'done', agent: 'bob' })).toEqual([]);
  });
}
