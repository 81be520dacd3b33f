import type { Agent } from '../../core/index.js';

const eligible = (a: Agent): boolean => a.status === 'active' && a.availability === 'online' && a.openCount < a.capacity;

/**
 * Per inbox, the eligible members bucketed by open conversations, each bucket in rotation (seq)
 * order. Kept up to date on every agent or membership change, so that a least-busy pick looks at
 * a handful of entries instead of every member.
 */
export class LoadIndex {
  /** inbox → load → seqs ascending */
  private buckets = new Map<string, Map<number, number[]>>();
  /** inbox → seq → handle */
  private owners = new Map<string, Map<number, string>>();

  add(inbox: string, seq: number, agent: Agent): void {
    let owners = this.owners.get(inbox);
    if (!owners) this.owners.set(inbox, (owners = new Map()));
    owners.set(seq, agent.handle);
    if (eligible(agent)) this.insert(inbox, agent.openCount, seq);
  }

  remove(inbox: string, seq: number, agent: Agent): void {
    this.owners.get(inbox)?.delete(seq);
    if (eligible(agent)) this.delete(inbox, agent.openCount, seq);
  }

  /** The agent changed: move its entries in every inbox it is a member of. */
  update(memberships: ReadonlyMap<string, number>, before: Agent, after: Agent): void {
    const was = eligible(before);
    const is = eligible(after);
    if (!was && !is) return;
    if (was && is && before.openCount === after.openCount) return;
    for (const [inbox, seq] of memberships) {
      if (was) this.delete(inbox, before.openCount, seq);
      if (is) this.insert(inbox, after.openCount, seq);
    }
  }

  pick(inbox: string, afterSeq: number, excluded: ReadonlySet<string>): { seq: number; handle: string } | null {
    const buckets = this.buckets.get(inbox);
    const owners = this.owners.get(inbox);
    if (!buckets || !owners) return null;
    for (const load of [...buckets.keys()].sort((a, b) => a - b)) {
      const seqs = buckets.get(load)!;
      const start = firstAbove(seqs, afterSeq);
      for (let i = 0; i < seqs.length; i++) {
        const seq = seqs[(start + i) % seqs.length]!;
        const handle = owners.get(seq)!;
        if (!excluded.has(handle)) return { seq, handle };
      }
    }
    return null;
  }

  private insert(inbox: string, load: number, seq: number): void {
    let buckets = this.buckets.get(inbox);
    if (!buckets) this.buckets.set(inbox, (buckets = new Map()));
    let seqs = buckets.get(load);
    if (!seqs) buckets.set(load, (seqs = []));
    seqs.splice(firstAbove(seqs, seq - 1), 0, seq);
  }

  private delete(inbox: string, load: number, seq: number): void {
    const buckets = this.buckets.get(inbox);
    const seqs = buckets?.get(load);
    if (!buckets || !seqs) return;
    const i = firstAbove(seqs, seq - 1);
    if (seqs[i] === seq) seqs.splice(i, 1);
    if (seqs.length === 0) buckets.delete(load);
  }
}

/** Index of the first element greater than `value` in an ascending array. */
function firstAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
