/**
 * Run `call` with an AbortSignal that aborts it after `ms`; the timer is cleared as soon as the call
 * settles. (AbortSignal.timeout keeps its timer and signal alive for the whole `ms` even after a call
 * that took a few milliseconds: at hundreds of sends a second, thousands of live timers and signals
 * that the garbage collector carries along.)
 */
export async function withTimeout<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
