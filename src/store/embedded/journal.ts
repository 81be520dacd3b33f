// The data directory's records in LevelDB (classic-level): one key per record,
// `<collection>!<key>`, its value in MessagePack (msgpackr; keeps Dates and undefined) after a
// format byte. Records written by earlier versions in Node's structured-clone serialization
// (first byte 0xFF) are still read.
// Changes are gathered as they happen and written in atomic batches, one after the other, so what
// is on disk is always the state between two store operations, never half of one. Callers that
// wait together are served in turns: a batch is cut once about half of them wait, and the others
// work meanwhile and go in the next batch (all waiting for every batch would leave the process
// idle while the disk writes).
import { deserialize } from 'node:v8';
import { ClassicLevel } from 'classic-level';
// not the package root: on Node it speeds string decoding up natively, with strings that keep their whole record's text alive
import { Packr, RESERVE_START_SPACE } from 'msgpackr/pack';
import { DataDirError } from './data-dir-error.js';

type Read = () => unknown;

/** First byte of a record in MessagePack; Node's serialization always starts with 0xFF. */
const MSGPACK = 0x01;
const V8_SERIALIZED = 0xff;
const packr = new Packr({ useRecords: false, moreTypes: true });

export function encodeRecord(value: unknown): Buffer {
  // one byte kept free in front for the format (no copy): the buffer is the packer's, valid until the batch takes it
  const out = packr.pack(value, RESERVE_START_SPACE | 1);
  out[0] = MSGPACK;
  return out;
}

export function decodeRecord(buffer: Buffer): unknown {
  if (buffer[0] === MSGPACK) return packr.unpack(buffer.subarray(1));
  if (buffer[0] === V8_SERIALIZED) return deserialize(buffer);
  throw new Error(`unknown record format ${buffer[0]}`);
}

interface Waiter {
  version: number;
  resolve(): void;
  reject(err: unknown): void;
}

/** A batch cut from the changes: its records' values taken and put, waiting its turn to be written. */
interface Sealed {
  batch: { write(): Promise<void>; close(): Promise<void> };
  /** The changes it covers: every change up to this version. */
  upTo: number;
  records: Map<string, Read>;
}

export interface JournalRecord {
  key: string;
  value: unknown;
}

export class Journal {
  /** Changes told so far; a batch covers every change up to the version it was cut at. */
  private version = 0;
  private written = 0;
  /** Changes not in any batch yet. */
  private dirty = new Map<string, Read>();
  private waiters: Waiter[] = [];
  /** Batches cut and not written yet, oldest first; the first is being written when `writing`. */
  private sealed: Sealed[] = [];
  /** Waiters that came since the last cut. */
  private waitingSinceCut = 0;
  /** A batch is cut as soon as this many wait for changes not in any batch yet (see settled()). */
  private cutAt = 1;
  private writing = false;
  private scheduled = false;
  private failure: unknown = null;
  private readonly writtenListeners: Array<() => void> = [];
  private closed = false;

  private constructor(
    private readonly db: ClassicLevel<string, Buffer>,
    readonly dir: string,
  ) {}

  /**
   * Open (or create, when `create`) the LevelDB in `dir`. LevelDB's LOCK keeps a second process
   * out; the errors name DATA_DIR and say what to do.
   */
  static async open(dir: string, create: boolean): Promise<Journal> {
    const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    try {
      await db.open({ createIfMissing: create, errorIfExists: false });
    } catch (e) {
      throw openError(dir, e);
    }
    return new Journal(db, dir);
  }

  /** Every record of a collection in key order. A record that cannot be read stops the start. */
  async *records(collection: string): AsyncGenerator<JournalRecord[]> {
    const prefix = `${collection}!`;
    const iterator = this.db.iterator({ gte: prefix, lt: `${collection}"` });
    try {
      for (;;) {
        const entries = await iterator.nextv(1000);
        if (entries.length === 0) return;
        yield entries.map(([key, value]) => {
          try {
            return { key: key.slice(prefix.length), value: decodeRecord(value) };
          } catch (e) {
            throw new DataDirError(`DATA_DIR=${this.dir} is damaged: record ${key} cannot be read (${messageOf(e)}); Switchboard changed nothing. Restore the directory from a backup.`);
          }
        });
      }
    } catch (e) {
      if (e instanceof DataDirError) throw e;
      throw new DataDirError(`DATA_DIR=${this.dir} is damaged: ${messageOf(e)}; Switchboard changed nothing. Restore the directory from a backup.`);
    } finally {
      await iterator.close();
    }
  }

  /** The keys of a collection in key order, without reading the values. */
  async *keys(collection: string): AsyncGenerator<string[]> {
    const prefix = `${collection}!`;
    const iterator = this.db.keys({ gte: prefix, lt: `${collection}"` });
    try {
      for (;;) {
        const keys = await iterator.nextv(10_000);
        if (keys.length === 0) return;
        yield keys.map((key) => key.slice(prefix.length));
      }
    } catch (e) {
      throw new DataDirError(`DATA_DIR=${this.dir} is damaged: ${messageOf(e)}; Switchboard changed nothing. Restore the directory from a backup.`);
    } finally {
      await iterator.close();
    }
  }

  /** The written records of a collection from key `from` to key `to` (both included), by key. */
  async range(collection: string, from: string, to: string): Promise<Map<string, unknown>> {
    const prefix = `${collection}!`;
    const out = new Map<string, unknown>();
    const iterator = this.db.iterator({ gte: prefix + from, lte: prefix + to });
    try {
      for (;;) {
        const entries = await iterator.nextv(1000);
        if (entries.length === 0) return out;
        for (const [key, value] of entries) out.set(key.slice(prefix.length), decodeRecord(value));
      }
    } finally {
      await iterator.close();
    }
  }

  /** Write or remove records directly (start-up clean-up and imports), waiting until written. */
  async apply(changes: Array<{ collection: string; key: string; value: unknown }>): Promise<void> {
    await this.db.batch(
      changes.map(({ collection, key, value }) =>
        value === undefined ? { type: 'del' as const, key: `${collection}!${key}` } : { type: 'put' as const, key: `${collection}!${key}`, value: encodeRecord(value) },
      ),
    );
  }

  /**
   * The listener the stores tell their changes to (synchronously, as they happen). Each change is
   * written soon without anyone waiting for it: at the latest once the current turn is over
   * (its failure shows at the next durable()).
   */
  readonly change = (collection: string, key: string, read: Read): void => {
    this.dirty.set(`${collection}!${key}`, read);
    this.version++;
    if (!this.closed) this.schedule();
  };

  /** True when a change was told since `version` was read with `mark()`. */
  mark(): number {
    return this.version;
  }

  /** Version the last batch was cut at. */
  private get sealedUpTo(): number {
    return this.sealed.at(-1)?.upTo ?? this.written;
  }

  /** Resolves once every change told so far is written; rejects when writing failed. */
  durable(): Promise<void> {
    if (this.written >= this.version) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ version: this.version, resolve, reject });
      if (this.version <= this.sealedUpTo) return; // in a batch already
      // Of several callers working in step, enough wait: cut now, so that those who wait next go
      // in the next batch and work while this one is written (otherwise all would wait for every
      // batch). A caller alone is served at the end of this moment, with whatever else it changed.
      // At most one batch waits behind the one being written: more would each cost a write.
      if (++this.waitingSinceCut >= this.cutAt && this.cutAt > 1 && this.sealed.length <= 1) this.cut();
      else this.schedule();
    });
  }

  /** Changes told up to this version are written. */
  get writtenUpTo(): number {
    return this.written;
  }

  /** Told after each batch written (without waiting for anything: no batch is written early for it). */
  onWritten(listener: () => void): void {
    this.writtenListeners.push(listener);
  }

  /** False after a write failed until a later write succeeds, and once closed. */
  healthy(): boolean {
    return !this.closed && this.failure === null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.durable().catch(() => {});
    this.closed = true;
    await this.db.close();
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.dirty.size === 0) return;
    this.scheduled = true;
    const cut = () => {
      this.scheduled = false;
      if (!this.writing) this.cut();
    };
    // Someone waits: cut once the operations of this moment have made their changes. Nobody
    // waits: let the whole turn join one batch.
    if (this.waitingSinceCut > 0) queueMicrotask(cut);
    else setImmediate(cut);
  }

  /** Cut a batch of every change not in one yet, and write it in its turn. */
  private cut(): void {
    if (this.dirty.size === 0) return;
    const records = this.dirty;
    this.dirty = new Map();
    const upTo = this.version;
    this.waitingSinceCut = 0;
    let batch: Sealed['batch'];
    try {
      batch = this.encoded(records);
    } catch (e) {
      // a record that cannot be encoded fails the write: told to the waiters like a refused write
      batch = failedBatch(e);
    }
    this.sealed.push({ batch, upTo, records });
    this.pump();
  }

  /** A chained batch of the records' current values (each goes to LevelDB as it is encoded). */
  private encoded(records: Map<string, Read>): Sealed['batch'] {
    if (this.closed) throw new Error(`the data directory ${this.dir} is closed`);
    const batch = this.db.batch();
    try {
      for (const [key, read] of records) {
        const value = read();
        if (value === undefined) batch.del(key);
        else batch.put(key, encodeRecord(value));
      }
    } catch (e) {
      void batch.close().catch(() => {});
      throw e;
    }
    return batch;
  }

  /** Write the oldest batch cut, when none is being written. */
  private pump(): void {
    if (this.writing || this.sealed.length === 0) return;
    this.writing = true;
    const next = this.sealed[0]!;
    next.batch.write().then(
      () => this.settled(next, null),
      (e: unknown) => this.settled(next, e),
    );
  }

  private settled(batch: Sealed, err: unknown): void {
    this.writing = false;
    this.sealed.shift();
    const before = this.waiters.length;
    if (err === null) {
      this.failure = null;
      this.written = batch.upTo;
      for (const listener of this.writtenListeners) listener();
      this.settle(batch.upTo, null);
    } else {
      this.failure = err;
      // Its records and those of the batches cut after it go back, in order (a later change of
      // the same record wins), for the next write; nothing is written past a failed batch.
      const back = new Map(batch.records);
      for (const later of this.sealed) {
        void later.batch.close().catch(() => {});
        for (const [key, read] of later.records) back.set(key, read);
      }
      for (const [key, read] of this.dirty) back.set(key, read);
      this.dirty = back;
      this.sealed = [];
      this.settle(batch.upTo, err);
      this.waitingSinceCut = this.waiters.length;
    }
    // Those who waited, and those waiting still, are about how many work at once: the next cut
    // comes when half of them wait, so that one half works while the other's batch is written.
    this.cutAt = Math.max(1, Math.ceil(before / 2));
    if (this.sealed.length > 0) this.pump();
    // what came meanwhile goes next (after a failure only when someone waits: no busy retrying)
    else if (this.waiters.length > 0 || (this.failure === null && this.dirty.size > 0)) this.schedule();
  }

  /** Tell the waiters for changes up to `upTo`: written, or failed with `err`. */
  private settle(upTo: number, err: unknown): void {
    const rest: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.version > upTo) rest.push(w);
      else if (err === null) w.resolve();
      else w.reject(err);
    }
    this.waiters = rest;
  }
}

function messageOf(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : undefined;
  return (cause?.message ?? (e instanceof Error ? e.message : String(e))).replace(/\s+/g, ' ').trim();
}

function codeOf(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (e as { code?: string } | null)?.code;
}

function openError(dir: string, e: unknown): DataDirError {
  const code = codeOf(e);
  if (code === 'LEVEL_LOCKED') {
    return new DataDirError(`DATA_DIR=${dir} is in use by another Switchboard process; stop it first, or give this one another DATA_DIR`);
  }
  if (code === 'LEVEL_CORRUPTION') {
    return new DataDirError(`DATA_DIR=${dir} is damaged (${messageOf(e)}); Switchboard changed nothing. Restore the directory from a backup.`);
  }
  return new DataDirError(`DATA_DIR=${dir} cannot be opened (${messageOf(e)}); Switchboard changed nothing.`);
}

/** A batch whose write fails with `err` (a record of it could not be encoded, or the directory is closed). */
function failedBatch(err: unknown): Sealed['batch'] {
  return { write: () => Promise.reject(err), close: () => Promise.resolve() };
}
