import { describe, expect, it } from 'vitest';
import { commandCatalogue, type CoreDeps, type InboundEvent, type Store } from '../../../src/core/index.js';
import { runOffboard, runReinstate } from '../../../src/core/offboarding/offboard-command.js';
import type { CoreHarness } from '../../support/core-harness.js';
import { wrapStore } from '../../support/store-wrappers.js';
import { codeOf, expectConsistentLoad, holders, offboard, offboardEvents, team } from './setup.js';

/** The store, except that one method throws from its `n`-th matching call on: the process dies there. */
function crashing(store: Store, method: keyof Store, n: number, when: (args: unknown[]) => boolean = () => true): Store {
  let calls = 0;
  return wrapStore(store, (name, call) =>
    name === method ? (...args) => (when(args) && ++calls >= n ? Promise.reject(new Error('process crashed')) : call(...args)) : undefined,
  );
}

/** Confirm an offboarding on a core whose store dies mid-way. */
async function confirmAndCrash(h: CoreHarness, code: string, store: Store): Promise<void> {
  const sam = (await h.store.getAgent('sam'))!;
  const deps: CoreDeps = { ...h.core.deps, store };
  const event: InboundEvent = { platform: 'telegram', deliveryId: 'crash', kind: 'command', sender: { id: 'x', name: 'sam' }, chat: { id: 'x', isDirect: true }, text: '' };
  await expect(runOffboard({ deps, caller: sam, event, catalogue: commandCatalogue }, `confirm ${code}`)).rejects.toThrow('process crashed');
}

async function expectEachMovedOnce(h: CoreHarness, n: number): Promise<void> {
  for (let c = 1; c <= n; c++) expect((await offboardEvents(h, c)).length, `#${c}`).toBe(1);
}

describe('crash safety', () => {
  it('is recorded before the first move; after a crash half-way, resuming moves every conversation exactly once', async () => {
    const h = await team(10);
    const preview = await h.command('sam', '/offboard @alex');
    await confirmAndCrash(h, codeOf(preview), crashing(h.store, 'reserveSlot', 6)); // dies as the 6th move starts
    const [record] = await h.store.listOffboardings({ agent: 'alex' });
    expect(record!.state).toBe('running');
    expect(record!.plan).toHaveLength(10);
    expect((await h.store.getAgent('alex'))!.status).toBe('disabled'); // access went first
    expect(await holders(h)).toEqual({ alex: 5, amanda: 2, mathew: 2, geraldine: 1 });

    h.telegram.clear();
    expect(await h.core.resumeOffboardings()).toBe(1);
    expect(await holders(h)).toEqual({ amanda: 4, mathew: 3, geraldine: 3 });
    await expectEachMovedOnce(h, 10);
    expect((await h.store.getOffboarding(record!.id))!.state).toBe('done');
    const toSam = h.telegram.texts(await h.chatOf('sam'));
    expect(toSam).toHaveLength(1);
    expect(toSam[0]).toContain(`Offboarding ${record!.code} was interrupted and has now finished.\n@alex is disabled.\n10/10 reassigned, 0 left unassigned (@amanda 4, @mathew 3, @geraldine 3).`);
    await expectConsistentLoad(h);

    // resuming again finds nothing to do
    expect(await h.core.resumeOffboardings()).toBe(0);
    await expectEachMovedOnce(h, 10);
  });

  it('a crash between a move and its history event: resuming writes the missing event, once', async () => {
    const h = await team(6);
    const preview = await h.command('sam', '/offboard @alex --suspend --to @olga');
    const offboardEvent = (args: unknown[]) => (args[0] as { reason: string }).reason === 'suspend';
    await confirmAndCrash(h, codeOf(preview), crashing(h.store, 'addHistory', 3, offboardEvent));
    expect(await holders(h)).toEqual({ alex: 3, olga: 3 });
    expect((await offboardEvents(h, 3)).length).toBe(0); // moved, but the event was lost

    expect(await h.core.resumeOffboardings()).toBe(1);
    expect(await holders(h)).toEqual({ olga: 6 });
    await expectEachMovedOnce(h, 6);
    await expectConsistentLoad(h);
    // and the suspension can be undone completely
    expect(await h.command('sam', '/reinstate @alex')).toContain('6/6 conversation(s) came back');
  });
});

describe('crash during a reinstatement', () => {
  it('is resumed at start-up: every conversation comes back exactly once', async () => {
    const h = await team(6);
    const { code } = await offboard(h, 'sam', '@alex --suspend --to @olga');
    expect(await holders(h)).toEqual({ olga: 6 });
    const record = (await h.store.findOffboardingByCode(code))!;
    const sam = (await h.store.getAgent('sam'))!;
    // the store dies as the 4th conversation is being taken back
    const deps: CoreDeps = { ...h.core.deps, store: crashing(h.store, 'reserveSlot', 4) };
    const event: InboundEvent = { platform: 'telegram', deliveryId: 'crash-r', kind: 'command', sender: { id: 'x', name: 'sam' }, chat: { id: 'x', isDirect: true }, text: '' };
    await expect(runReinstate({ deps, caller: sam, event, catalogue: commandCatalogue }, { kind: 'name', value: 'alex' })).rejects.toThrow('process crashed');
    expect((await h.store.getOffboarding(record.id))!.state).toBe('reinstating');
    expect(await holders(h)).toEqual({ alex: 3, olga: 3 });

    expect(await h.core.resumeOffboardings()).toBe(1);
    expect(await holders(h)).toEqual({ alex: 6 });
    expect((await h.store.getOffboarding(record.id))!.state).toBe('reinstated');
    for (let c = 1; c <= 6; c++) {
      const back = (await h.store.listHistory({ conversation: c }, { limit: 100 })).items.filter((e) => e.reason === 'reinstate');
      expect(back, `#${c}`).toHaveLength(1);
    }
    await expectConsistentLoad(h);
    expect(await h.core.resumeOffboardings()).toBe(0);
  });
});

describe('races', () => {
  it('a /transfer, a /close and the agent\'s own transfer during an offboarding lose nothing', async () => {
    for (let delay = 0; delay <= 132; delay += 6) { // the transfers land before, during (one collides) and after the moves
      const h = await team(10);
      const code = codeOf(await h.command('sam', '/offboard @alex --to @olga'));
      const later = async (n: number, f: () => Promise<string>) => {
        for (let i = 0; i < n; i++) await Promise.resolve();
        return f();
      };
      const [, t5, c7, t10] = await Promise.all([
        h.command('sam', `/offboard confirm ${code}`),
        later(delay, () => h.command('sue', '/transfer #5 @geraldine')),
        later(delay, () => h.command('sue', '/close #7')),
        later(delay * 2, () => h.command('boss', '/transfer #10 @mathew')),
      ]);
      // whoever lost a race was told so; the winner's change stands
      const lost = (n: number) => `Conversation #${n} changed meanwhile; check it with /mine or /queue and try again.`;
      expect([t5 === 'Transferred #5 to @geraldine.' || t5 === lost(5), c7.startsWith('Closed #7.') || c7 === lost(7), t10 === 'Transferred #10 to @mathew.' || t10 === lost(10)]).toEqual([true, true, true]);
      const expected = (n: number) => (n === 5 && t5.startsWith('Transferred') ? 'geraldine' : n === 10 && t10.startsWith('Transferred') ? 'mathew' : 'olga');
      const all = (await h.store.listConversations({}, { limit: 100 })).items;
      expect(all).toHaveLength(10);
      for (const c of all) {
        if (c.number === 7 && c7.startsWith('Closed')) expect(c.status).toBe('closed');
        else expect([c.status, c.assignee], `#${c.number} after delay ${delay}`).toEqual(['assigned', expected(c.number)]);
        expect((await offboardEvents(h, c.number)).length).toBeLessThanOrEqual(1);
      }
      expect(await h.store.listAssigned('alex')).toEqual([]);
      await expectConsistentLoad(h);
    }
  });
});
