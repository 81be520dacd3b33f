import type { Store } from '../../src/core/index.js';

export type StoreMethod = {
  [K in keyof Store]-?: Store[K] extends ((...args: never[]) => Promise<unknown>) | undefined ? K : never;
}[keyof Store];

/** The store as seen by the core, failing the calls `fail` picks (before they reach the store). */
export function faultyStore(inner: Store, fail: (method: StoreMethod, args: unknown[]) => boolean): Store {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      // the deferred view is this wrapper too: what it injects reaches every call
      if (prop === 'deferred') return () => receiver;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (fail(prop as StoreMethod, args)) return Promise.reject(new Error(`injected store failure in ${String(prop)}`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Fails the next call of `method` (that `when` accepts), once. */
export function failOnce(method: StoreMethod, when: (args: unknown[]) => boolean = () => true): (m: StoreMethod, args: unknown[]) => boolean {
  let armed = true;
  return (m, args) => {
    if (!armed || m !== method || !when(args)) return false;
    armed = false;
    return true;
  };
}

/** The store counting every call by method name. */
export function countingStore(inner: Store): { store: Store; counts: Map<string, number>; total(): number; reset(): void } {
  const counts = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      // the deferred view is this wrapper too: what it injects reaches every call
      if (prop === 'deferred') return () => receiver;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.set(String(prop), (counts.get(String(prop)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
  };
}
