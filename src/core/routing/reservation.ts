import type { Store } from '../ports/store.js';

/**
 * The step that uses a reserved slot. The slot is given back when the step does not take it
 * (returns null) and when the step fails (throws): a reservation never outlives a failed step.
 * Should the release itself fail, the periodic load reconciliation corrects the count.
 */
export async function withReservation<T>(store: Store, handle: string, step: () => Promise<T | null>): Promise<T | null> {
  let result: T | null;
  try {
    result = await step();
  } catch (error) {
    await store.releaseSlot(handle).catch(() => {});
    throw error;
  }
  if (result === null) await store.releaseSlot(handle);
  return result;
}
