import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/index.js';
import { agentContract } from './agent-contract.js';
import { bookkeepingContract } from './bookkeeping-contract.js';
import { conversationContract } from './conversation-contract.js';
import { inboxContract } from './inbox-contract.js';
import { pickConcurrencyContract, pickContract } from './pick-contract.js';
import { pickCostContract } from './pick-cost-contract.js';
import { leastBusyContract } from './least-busy-contract.js';
import { logContract } from './log-contract.js';
import { offboardingContract } from './offboarding-contract.js';
import { durableContract } from './durable-contract.js';

export interface MadeStore {
  store: Store;
  cleanup(): Promise<void>;
  /** Database commands sent so far, for stores behind a database (operations per pick are checked with it). */
  commands?: () => number;
  /** A second handle on the same data (another process's connection); closed by `cleanup`. */
  peer?: () => Promise<Store>;
}
export type StoreFactory = () => Promise<MadeStore | { skip: string }>;

/**
 * The behaviour every Store must have. `factory` gives a fresh, empty store for each case, or says
 * why this store cannot be tested here; then the suite is reported as skipped with that reason.
 */
export function storeContract(name: string, factory: StoreFactory): void {
  describe(name, async () => {
    const probe = await factory();
    // Without a server every test is still listed, by name, as skipped (the reason is in the suite's name).
    const skip = 'skip' in probe ? probe.skip : null;
    const offersLeastBusy = skip === null && 'store' in probe && probe.store.leastBusyMember !== undefined;
    // Listed (and skipped with the rest) also without a server: the MongoDB store counts its commands.
    const countsCommands = 'store' in probe ? probe.commands !== undefined : name.startsWith('Mongo');
    if ('cleanup' in probe) await probe.cleanup();

    let current: MadeStore | undefined;
    const store = (): Store => {
      if (!current) throw new Error('no store: the factory did not run');
      return current.store;
    };
    const peer = async (): Promise<Store> => (current?.peer ? current.peer() : store());
    const commands = (): number => {
      if (!current?.commands) throw new Error('this store counts no commands');
      return current.commands();
    };

    const suites = (): void => {
      describe('agents and slots', () => agentContract(store));
      describe('inboxes and memberships', () => inboxContract(store));
      describe('routing picks', () => pickContract(store));
      describe('routing picks at once', () => pickConcurrencyContract(store, peer));
      if (countsCommands) describe('database operations per pick', () => pickCostContract(store, commands));
      if (offersLeastBusy) describe('least-busy fast path', () => leastBusyContract(store));
      describe('conversations', () => conversationContract(store, peer));
      describe('messages and history', () => logContract(store, peer));
      describe('deliveries, links, threads and invites', () => bookkeepingContract(store));
      describe('offboardings', () => offboardingContract(store));
      describe('intake, lanes and outbox', () => durableContract(store));
      it('answers a ping while it is up', async () => {
        expect(await store().ping()).toBe(true);
      });
    };
    if (skip !== null) {
      describe.skip(`skipped: ${skip}`, suites);
      return;
    }

    beforeEach(async () => {
      const made = await factory();
      if ('skip' in made) throw new Error(`${name} became unavailable: ${made.skip}`);
      current = made;
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });
    suites();
  });
}
