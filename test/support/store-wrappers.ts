import type { Store } from '../../src/core/index.js';

export type StoreMethod = {
  [K in keyof Store]-?: Store[K] extends ((...args: never[]) => Promise<unknown>) | undefined ? K : never;
}[keyof Store];

type Method = (...args: unknown[]) => unknown;

/**
 * `inner` with the methods `wrap` returns a replacement for (it gets the method's name and the
 * method bound to `inner`; undefined keeps the method as it is). The store's deferred view is the
 * wrapper itself, so what a wrapper injects reaches every call, also those of a handling.
 */
export function wrapStore(inner: Store, wrap: (method: string, call: Method) => Method | undefined): Store {
  const store: Store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'deferred') return () => store;
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const call = (value as Method).bind(target);
      return wrap(String(prop), call) ?? call;
    },
  });
  return store;
}

/** The store as seen by the core, failing the calls `fail` picks (before they reach the store). */
export function faultyStore(inner: Store, fail: (method: StoreMethod, args: unknown[]) => boolean): Store {
  return wrapStore(inner, (method, call) => (...args) => (fail(method as StoreMethod, args) ? Promise.reject(new Error(`injected store failure in ${method}`)) : call(...args)));
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
  const store = wrapStore(inner, (method, call) => (...args) => {
    counts.set(method, (counts.get(method) ?? 0) + 1);
    return call(...args);
  });
  return {
    store,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
  };
}
