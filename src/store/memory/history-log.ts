import type { HistoryEvent, HistoryFilter, HistoryReason, Page, PageRequest, StoredHistoryEvent } from '../../core/index.js';

const NONE = -1;

/**
 * The in-process store's history: append-only, kept as columns of numbers (times, conversation
 * numbers, indexes into one table of the strings that repeat: reasons and handles) instead of
 * one object with a Date per event — about 40 bytes an event instead of about 200. A
 * conversation's events are chained (each points to the next of the same conversation), so
 * neither a conversation's history nor the whole log needs a list of objects.
 */
export class HistoryLog {
  private count = 0;
  private capacity = 0;
  private conversationCol = new Float64Array(0);
  private atCol = new Float64Array(0);
  private reasonCol = new Int32Array(0);
  private fromCol = new Int32Array(0);
  private toCol = new Int32Array(0);
  private actorCol = new Int32Array(0);
  /** Index of the next event of the same conversation, or NONE. */
  private nextCol = new Int32Array(0);
  /** First and last event index per conversation number (NONE when it has none). */
  private firstOf = new Int32Array(0);
  private lastOf = new Int32Array(0);
  /** Rare fields, by event index. */
  private notes = new Map<number, string>();
  private offboardings = new Map<number, string>();
  private strings: string[] = [];
  private stringIds = new Map<string, number>();

  get size(): number {
    return this.count;
  }

  /** Append an event; its seq is its place in the log (1-based). */
  append(event: HistoryEvent): StoredHistoryEvent {
    this.put({ ...event, seq: this.count + 1 });
    return this.event(this.count);
  }

  /** Put back an event read from disk; events come in seq order, without gaps. */
  restore(event: StoredHistoryEvent): void {
    if (event.seq !== this.count + 1) throw new Error(`history event ${event.seq} follows ${this.count}`);
    this.put(event);
  }

  /** The event with this seq (a fresh copy). */
  event(seq: number): StoredHistoryEvent {
    const i = seq - 1;
    if (i < 0 || i >= this.count) throw new Error(`no history event ${seq}`);
    const out: StoredHistoryEvent = {
      conversation: this.conversationCol[i]!,
      reason: this.text(this.reasonCol[i]!) as HistoryReason,
      from: this.text(this.fromCol[i]!),
      to: this.text(this.toCol[i]!),
      actor: this.text(this.actorCol[i]!),
      at: new Date(this.atCol[i]!),
      seq,
    };
    const note = this.notes.get(i);
    if (note !== undefined) out.note = note;
    const offboarding = this.offboardings.get(i);
    if (offboarding !== undefined) out.offboarding = offboarding;
    return out;
  }

  /** Events matching `filter` in log order, `page.limit` at a time; `after` is the seq the previous page ended on. */
  list(filter: HistoryFilter, page: PageRequest): Page<StoredHistoryEvent> {
    const after = page.after === undefined ? 0 : Number(page.after);
    const agent = filter.agent === undefined ? undefined : (this.stringIds.get(filter.agent) ?? NONE - 1);
    const items: StoredHistoryEvent[] = [];
    let more = false;
    const matches = (i: number): boolean => {
      if (filter.offboarding !== undefined && this.offboardings.get(i) !== filter.offboarding) return false;
      if (agent !== undefined && this.fromCol[i] !== agent && this.toCol[i] !== agent && this.actorCol[i] !== agent) return false;
      return true;
    };
    const take = (i: number): boolean => {
      if (!matches(i)) return true;
      if (items.length === page.limit) {
        more = true;
        return false;
      }
      items.push(this.event(i + 1));
      return true;
    };
    if (filter.conversation !== undefined) {
      const c = filter.conversation;
      let i = Number.isSafeInteger(c) && c >= 0 && c < this.firstOf.length ? this.firstOf[c]! : NONE;
      while (i !== NONE && i < after) i = this.nextCol[i]!; // index i holds seq i + 1
      for (; i !== NONE; i = this.nextCol[i]!) if (!take(i)) break;
    } else {
      for (let i = Math.max(0, after); i < this.count; i++) if (!take(i)) break;
    }
    return { items, next: more ? String(items[items.length - 1]!.seq) : null };
  }

  private put(e: StoredHistoryEvent): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.conversationCol[i] = e.conversation;
    this.atCol[i] = e.at.getTime();
    this.reasonCol[i] = this.id(e.reason);
    this.fromCol[i] = this.id(e.from);
    this.toCol[i] = this.id(e.to);
    this.actorCol[i] = this.id(e.actor);
    this.nextCol[i] = NONE;
    if (e.note !== undefined) this.notes.set(i, e.note);
    if (e.offboarding !== undefined) this.offboardings.set(i, e.offboarding);
    this.chain(e.conversation, i);
  }

  private chain(conversation: number, i: number): void {
    if (!Number.isSafeInteger(conversation) || conversation < 0) throw new Error(`conversation number ${conversation} is invalid`);
    if (conversation >= this.firstOf.length) {
      const size = Math.max(1024, conversation + 1, this.firstOf.length * 2);
      this.firstOf = resized(this.firstOf, size, NONE);
      this.lastOf = resized(this.lastOf, size, NONE);
    }
    const last = this.lastOf[conversation]!;
    if (last === NONE) this.firstOf[conversation] = i;
    else this.nextCol[last] = i;
    this.lastOf[conversation] = i;
  }

  private grow(): void {
    const size = Math.max(1024, this.capacity * 2);
    this.conversationCol = resized(this.conversationCol, size, 0);
    this.atCol = resized(this.atCol, size, 0);
    this.reasonCol = resized(this.reasonCol, size, NONE);
    this.fromCol = resized(this.fromCol, size, NONE);
    this.toCol = resized(this.toCol, size, NONE);
    this.actorCol = resized(this.actorCol, size, NONE);
    this.nextCol = resized(this.nextCol, size, NONE);
    this.capacity = size;
  }

  /** NONE for null; else the string's place in the table. */
  private id(value: string | null): number {
    if (value === null) return NONE;
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }

  private text(id: number): string | null {
    return id === NONE ? null : this.strings[id]!;
  }
}

function resized<T extends Float64Array | Int32Array>(from: T, size: number, fill: number): T {
  const to = new (from.constructor as new (n: number) => T)(size);
  to.fill(fill);
  to.set(from);
  return to;
}
