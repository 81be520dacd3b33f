import type { Journal } from './journal.js';

/**
 * `target` with every method wrapped: a call that changed a record (the in-process stores change
 * records synchronously, inside the call) resolves only once the journal has written the change,
 * so whatever a caller was told is done survives a kill. Calls that changed nothing pass straight
 * through. Methods added to the store later are covered without naming them here.
 */
export function durableCalls<T extends object>(target: T, journal: Journal): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        const method = value as (...args: unknown[]) => unknown;
        fn = (...args: unknown[]): unknown => {
          const before = journal.mark();
          let result: unknown;
          try {
            result = method.apply(obj, args);
          } catch (e) {
            if (journal.mark() === before) throw e;
            return journal.durable().then(() => Promise.reject(e));
          }
          if (journal.mark() === before) return result;
          const written = journal.durable();
          return Promise.resolve(result).then(
            (r) => written.then(() => r),
            (e: unknown) => written.then(() => Promise.reject(e)),
          );
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
