import type { Journal } from './journal.js';

/**
 * `target` with every method wrapped: a call that changed a record (the in-process stores change
 * records synchronously inside the call; the methods named in `changeAfterAwait` may change them
 * once an await inside has settled, and are looked at again then) resolves only once the
 * journal has written the change, so whatever a caller was told is done survives a kill. Calls
 * that changed nothing pass straight through. Methods added to the store later are covered
 * without naming them here; `deferred` and `flush` are not wrapped (the deferred view is the
 * unwrapped store: the journal writes its changes soon, in order, in atomic batches, so a crash
 * keeps a prefix of them).
 */
export function durableCalls<T extends object>(target: T, journal: Journal, options: { changeAfterAwait?: ReadonlySet<PropertyKey> } = {}): T {
  const later = options.changeAfterAwait ?? new Set<PropertyKey>();
  const written = () => journal.durable();
  const waiting = (prop: PropertyKey, method: (...args: unknown[]) => unknown) => (...args: unknown[]): unknown => {
    const before = journal.mark();
    let result: unknown;
    try {
      result = method.apply(target, args);
    } catch (e) {
      if (journal.mark() === before) throw e;
      return written().then(() => Promise.reject(e));
    }
    // such a method may change records after its first await: look again once it settles
    if (later.has(prop) && result instanceof Promise) {
      return result.then(
        (r: unknown) => (journal.mark() === before ? r : written().then(() => r)),
        (e: unknown) => (journal.mark() === before ? Promise.reject(e) : written().then(() => Promise.reject(e))),
      );
    }
    if (journal.mark() === before) return result;
    return written().then(() => result);
  };
  // one function per method, made on first use
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        const method = value as (...args: unknown[]) => unknown;
        fn = prop === 'deferred' || prop === 'flush' ? method.bind(obj) : waiting(prop, method);
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
