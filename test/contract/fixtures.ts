import type { Agent, Customer, Inbox, NewInbox, Offboarding, Store } from '../../src/core/index.js';

/** The store under test in the current case (a fresh one per case). */
export type CurrentStore = () => Store;
/**
 * The current case's data seen through a second handle, as another Switchboard process sees it: a
 * second connection for a store behind a database, else the same store.
 */
export type CurrentPeer = () => Promise<Store>;

export const T0 = new Date('2030-01-01T09:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

export function agent(handle: string, fields: Partial<Agent> = {}): Agent {
  return {
    handle,
    name: `Agent ${handle}`,
    role: 'agent',
    status: 'active',
    availability: 'online',
    capacity: 10,
    openCount: 0,
    homePlatform: 'telegram',
    createdAt: T0,
    ...fields,
  };
}

export function inbox(name: string, fields: Partial<NewInbox> = {}, createdAt: Date = T0): NewInbox & { createdAt: Date } {
  return {
    name,
    platform: 'telegram',
    strategy: 'round-robin',
    paused: false,
    responseTimeoutSec: 600,
    maxRedirects: 3,
    ...fields,
    createdAt,
  };
}

export function expectedInbox(input: NewInbox & { createdAt: Date }, cursor = 0): Inbox {
  return { ...input, cursor };
}

export function customer(id: string, fields: Partial<Customer> = {}): Customer {
  return { platform: 'telegram', id, name: `Customer ${id}`, chatId: `chat-${id}`, ...fields };
}

export function offboarding(id: string, fields: Partial<Offboarding> = {}): Offboarding {
  return {
    id,
    code: `CODE-${id}`,
    agent: 'alice',
    supervisor: 'sam',
    mode: 'suspend',
    command: '/offboard @alice --suspend',
    plan: [
      { conversation: 1, inbox: 'support', to: 'bob' },
      { conversation: 2, inbox: 'support', to: null },
    ],
    inboxes: ['support'],
    state: 'pending',
    createdAt: T0,
    expiresAt: at(600),
    ...fields,
  };
}

/** Runs `count` copies of `fn` at once and returns their results. */
export function parallel<T>(count: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
}
