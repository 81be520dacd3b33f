import { isPlainObject } from './memory-job-query.js';

type Scalar = string | number | boolean;

const keyOf = (field: string, value: Scalar): string => `${field}\u0000${typeof value}\u0000${String(value)}`;

/**
 * Job ids by top-level scalar data field (`conversation`, `assignee`, `handle`, …), so that
 * cancelling or listing the jobs of one conversation does not look at every pending job.
 */
export class DataIndex {
  private readonly ids = new Map<string, Set<string>>();

  add(id: string, data: unknown): void {
    for (const key of this.keys(data)) {
      let set = this.ids.get(key);
      if (!set) this.ids.set(key, (set = new Set()));
      set.add(id);
    }
  }

  remove(id: string, data: unknown): void {
    for (const key of this.keys(data)) {
      const set = this.ids.get(key);
      if (!set) continue;
      set.delete(id);
      if (set.size === 0) this.ids.delete(key);
    }
  }

  clear(): void {
    this.ids.clear();
  }

  /**
   * Ids that may match a data filter (the caller still applies the full filter), or undefined
   * when the filter has no scalar field to look up.
   */
  candidates(filter: unknown): Set<string> | undefined {
    if (!isPlainObject(filter)) return undefined;
    let best: Set<string> | undefined;
    for (const [field, value] of Object.entries(filter)) {
      if (!isScalar(value)) continue;
      const set = this.ids.get(keyOf(field, value)) ?? new Set<string>();
      if (!best || set.size < best.size) best = set;
    }
    return best;
  }

  private keys(data: unknown): string[] {
    if (!isPlainObject(data)) return [];
    return Object.entries(data)
      .filter((entry): entry is [string, Scalar] => isScalar(entry[1]))
      .map(([field, value]) => keyOf(field, value));
  }
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
