// The embedded store with its data directory: the in-process store and the in-process Agenda
// jobs, loaded from DATA_DIR at start and written back change by change.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LRUCache } from 'lru-cache';
import { MemoryStore } from '../memory/memory-store.js';
import { RECORD_COLLECTIONS, orderedKey } from '../memory/record-changes.js';
import type { Message, Store } from '../../core/index.js';
import { MemoryJobRepository } from '../../scheduler/memory-job-repository.js';
import type { StoredJob } from '../../scheduler/memory-job-query.js';
import { DataDirError } from './data-dir-error.js';
import { durableCalls } from './durable-calls.js';
import { Journal, type JournalRecord } from './journal.js';
import { trialOpen } from './trial-open.js';

/** DATA_DIR's value for a store that keeps nothing. */
export const IN_MEMORY = ':memory:';

const DELIVERY_TTL_MS = 24 * 3600_000;

export interface DataDir {
  /** Absolute path of the directory. */
  dir: string;
  /** True when the directory was created by this start. */
  created: boolean;
  store: MemoryStore;
  jobs: MemoryJobRepository;
  /** Records loaded, by collection (`job` for scheduled jobs). */
  counts: Record<string, number>;
  /** The stored records of one collection in key order, as the stores told them (migration). */
  records(collection: string): AsyncGenerator<JournalRecord[]>;
  /** Writes what is pending and closes the directory (the store's close() does this too). */
  close(): Promise<void>;
}

/**
 * Open DATA_DIR: create it when missing; refuse, naming it, a path that is no directory, a
 * directory that holds other files, one that another process has open, and a damaged one (it is
 * left as it is). Then load every record.
 */
export async function openDataDir(path: string, options: { now?: Date; create?: boolean } = {}): Promise<DataDir> {
  const dir = resolve(path);
  if (options.create === false && isNewDir(dir)) throw new DataDirError(`${dir} holds no Switchboard data directory (it is missing or empty); give the DATA_DIR Switchboard ran with`);
  const created = prepare(dir);
  if (!created) await trialOpen(dir);
  const journal = await Journal.open(dir, created);
  try {
    const memory = new DataDirStore(journal);
    const jobs = new MemoryJobRepository();
    const counts = await load(journal, memory, jobs, options.now ?? new Date());
    memory.onRecordChange(journal.change);
    jobs.onRecordChange(journal.change);
    return {
      dir,
      created,
      store: durableCalls(memory, journal, { changeAfterAwait: CHANGE_AFTER_AWAIT }),
      jobs: durableCalls(jobs, journal),
      counts,
      records: (collection) => journal.records(collection),
      close: () => journal.close(),
    };
  } catch (e) {
    await journal.close().catch(() => {});
    throw e;
  }
}

/** The store's methods that change records only after an await inside them (see durableCalls). */
const CHANGE_AFTER_AWAIT: ReadonlySet<PropertyKey> = new Set(['addMessage']);

/** How many messages the cache of recently used conversations holds (about 1 MB). */
const RECENT_MESSAGES = 4000;
/** A message of an update handled again is looked for among this many last messages of its conversation. */
const REPEAT_WINDOW = 50;
/** Message keys remembered for that, at most (about 1 MB: 400 conversations of 50 messages, more of fewer). */
const RECENT_KEYS = 20_000;

const copyMessage = (m: Message): Message => ({ ...m, ...(m.original ? { original: { ...m.original } } : {}) });

/**
 * The in-process store whose lifecycle is the directory's: ping tells whether writes go through.
 * Messages, the bulk of the data, live on disk only: memory holds how many each conversation has,
 * and a message just added until it is written; reading them reads the directory.
 */
class DataDirStore extends MemoryStore {
  /** Messages per conversation, by conversation number (numbers are dense from 1). */
  private readonly messageCounts: number[] = [];
  /** Messages not yet written, by record key; each leaves once the journal has written it. */
  private readonly unwritten = new Map<string, { message: Message; version: number }>();
  /**
   * The complete message lists of the conversations used last (a cache, oldest first, at most
   * RECENT_MESSAGES messages in all): a notice right after a customer wrote reads no disk.
   */
  readonly #recent = new Map<number, Message[]>();
  #recentSize = 0;
  /**
   * The keys of the last REPEAT_WINDOW messages of the conversations written to last (by
   * conversation number; at most RECENT_KEYS keys in all): a message is recognised as one stored
   * already without reading the directory for every message a customer writes.
   */
  readonly #recentKeys = new LRUCache<number, Array<string | undefined>>({ maxSize: RECENT_KEYS, sizeCalculation: (keys) => keys.length + 1 });

  constructor(private readonly journal: Journal) {
    super();
    journal.onWritten(() => {
      const upTo = journal.writtenUpTo;
      for (const [key, { version }] of this.unwritten) {
        if (version > upTo) break; // added in order
        this.unwritten.delete(key);
      }
    });
  }

  // changes after its first await: named in CHANGE_AFTER_AWAIT
  override async addMessage(message: Message): Promise<void> {
    // an update handled again after a failure brings its message again: the last few are enough to
    // know it (a conversation without messages has none to compare with)
    if (message.key !== undefined && this.countOf(message.conversation) > 0 && (await this.#lastKeys(message.conversation)).includes(message.key)) return;
    const n = this.countOf(message.conversation) + 1;
    const keys = n === 1 ? [] : this.#recentKeys.get(message.conversation);
    if (keys) {
      keys.push(message.key);
      if (keys.length > REPEAT_WINDOW) keys.shift();
      this.#recentKeys.set(message.conversation, keys); // counted again, and now the most recently used
    }
    this.setCount(message.conversation, n);
    const key = orderedKey(message.conversation, n);
    const stored = copyMessage(message);
    const cached = this.#recent.get(message.conversation);
    if (cached && cached.length === n - 1) this.#remember(message.conversation, [...cached, stored]);
    else if (n === 1) this.#remember(message.conversation, [stored]);
    else if (cached) this.#forget(message.conversation);
    this.journal.change('message', key, () => stored);
    // leaves once written (see the constructor); a failed write keeps it here (and in the journal's next batch)
    this.unwritten.set(key, { message: stored, version: this.journal.mark() });
  }

  /** The keys of a conversation's last messages: remembered, or read from the directory once. */
  async #lastKeys(conversation: number): Promise<Array<string | undefined>> {
    const known = this.#recentKeys.get(conversation);
    if (known) return known;
    const read = (await this.listMessages(conversation, REPEAT_WINDOW)).map((m) => m.key);
    // another call may have remembered them meanwhile (with its own message): that list is the current one
    const current = this.#recentKeys.get(conversation);
    if (current) return current;
    this.#recentKeys.set(conversation, read);
    return read;
  }

  override async listMessages(conversation: number, last?: number): Promise<Message[]> {
    const count = this.countOf(conversation);
    const from = last === undefined ? 1 : Math.max(1, count - last + 1);
    if (from > count) return [];
    const cached = this.#recent.get(conversation);
    if (cached && cached.length === count) {
      this.#remember(conversation, cached);
      return cached.slice(from - 1).map(copyMessage);
    }
    // What is not written yet is taken before the directory is read: a message that leaves
    // `unwritten` meanwhile was written before this read began, so the read sees it.
    const pending = new Map<number, Message>();
    for (let i = from; i <= count; i++) {
      const m = this.unwritten.get(orderedKey(conversation, i))?.message;
      if (m) pending.set(i, m);
    }
    const onDisk = pending.size === count - from + 1 ? new Map<string, unknown>() : await this.journal.range('message', orderedKey(conversation, from), orderedKey(conversation, count));
    const out: Message[] = [];
    for (let i = from; i <= count; i++) {
      const m = pending.get(i) ?? (onDisk.get(orderedKey(conversation, i)) as Message | undefined);
      if (m) out.push(copyMessage(m));
    }
    if (from === 1 && out.length === count) this.#remember(conversation, out.map(copyMessage));
    return out;
  }

  #remember(conversation: number, messages: Message[]): void {
    this.#forget(conversation);
    if (messages.length > RECENT_MESSAGES / 10) return; // a long conversation would push out many others
    this.#recent.set(conversation, messages); // (re)inserted last: the most recently used
    this.#recentSize += messages.length;
    for (const [oldest, list] of this.#recent) {
      if (this.#recentSize <= RECENT_MESSAGES) break;
      this.#recent.delete(oldest);
      this.#recentSize -= list.length;
    }
  }

  #forget(conversation: number): void {
    const list = this.#recent.get(conversation);
    if (!list) return;
    this.#recent.delete(conversation);
    this.#recentSize -= list.length;
  }

  override async countMessages(conversation: number): Promise<number> {
    return this.countOf(conversation);
  }

  private countOf(conversation: number): number {
    return this.messageCounts[conversation] ?? 0;
  }

  private setCount(conversation: number, n: number): void {
    if (!Number.isSafeInteger(conversation) || conversation < 0) throw new Error(`conversation number ${conversation} is invalid`);
    // grow one by one: a write far past the end would turn the array into a slow dictionary
    while (this.messageCounts.length <= conversation) this.messageCounts.push(0);
    this.messageCounts[conversation] = n;
  }

  /** A message record found at start: only counted (its key is `<conversation>:<index>`). */
  restoreMessageKey(key: string): void {
    const [conversation, index] = key.split(':').map(Number);
    if (!Number.isSafeInteger(conversation) || !Number.isSafeInteger(index)) throw new Error(`message key ${key} is not <conversation>:<index>`);
    if (index! > this.countOf(conversation!)) this.setCount(conversation!, index!);
  }

  // Open-conversation counts are not written as they change (a slot taken per routing would
  // rewrite the agent's record for each conversation): at start each agent's count is set to the
  // conversations assigned to them, which also drops a slot a stopped process had taken for a move
  // it never made. The agent's record is written when anything else of theirs changes.
  protected override countChanged(): void {}

  // the deferred view: this store itself, unwrapped; the journal writes every change soon, in order
  override deferred(): Store {
    return this;
  }

  override flush(): Promise<void> {
    return this.journal.durable();
  }

  override async ping(): Promise<boolean> {
    return this.journal.healthy();
  }

  override async close(): Promise<void> {
    await this.journal.close();
  }
}

function isNewDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return statSync(dir, { throwIfNoEntry: false }) === undefined;
  }
}

/** Make sure `dir` can hold the data; true when it is new (created now, or empty). */
function prepare(dir: string): boolean {
  let entries: string[];
  try {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (!stat) {
      mkdirSync(dir, { recursive: true });
      return true;
    }
    if (!stat.isDirectory()) throw new DataDirError(`DATA_DIR=${dir} is not a directory; give the path of a directory (it is created when missing)`);
    entries = readdirSync(dir);
  } catch (e) {
    if (e instanceof DataDirError) throw e;
    throw new DataDirError(`DATA_DIR=${dir} cannot be used (${(e as Error).message}); give a directory this process may write`);
  }
  if (entries.length === 0) return true;
  if (!entries.includes('CURRENT')) {
    throw new DataDirError(
      `DATA_DIR=${dir} is not empty and holds no Switchboard data (no CURRENT file); Switchboard changed nothing. Give an empty or new directory, or restore the data directory from a backup.`,
    );
  }
  return false;
}

async function load(journal: Journal, memory: DataDirStore, jobs: MemoryJobRepository, now: Date): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const expired: Array<{ collection: string; key: string; value: undefined }> = [];
  const cutoff = now.getTime() - DELIVERY_TTL_MS;
  for (const collection of RECORD_COLLECTIONS) {
    let count = 0;
    if (collection === 'message') {
      // messages stay on disk: their keys are counted, their values read when asked for
      for await (const keys of journal.keys('message')) {
        for (const key of keys) {
          try {
            memory.restoreMessageKey(key);
          } catch (e) {
            throw new DataDirError(`DATA_DIR=${journal.dir} is damaged: message ${key} cannot be restored (${(e as Error).message}); Switchboard changed nothing. Restore the directory from a backup.`);
          }
        }
        count += keys.length;
      }
      counts[collection] = count;
      continue;
    }
    for await (const records of journal.records(collection)) {
      for (const { key, value } of records) {
        if (collection === 'delivery' && typeof value === 'number' && value < cutoff) {
          expired.push({ collection, key, value: undefined });
          continue;
        }
        try {
          memory.restoreRecord(collection, key, value);
        } catch (e) {
          throw new DataDirError(`DATA_DIR=${journal.dir} is damaged: ${collection} ${key} cannot be restored (${(e as Error).message}); Switchboard changed nothing. Restore the directory from a backup.`);
        }
        count++;
      }
    }
    counts[collection] = count;
  }
  let jobCount = 0;
  for await (const records of journal.records('job')) {
    for (const { value } of records) {
      jobs.restoreJob(value as StoredJob);
      jobCount++;
    }
  }
  counts.job = jobCount;
  memory.recountOpen(); // counts are not written as they change (see DataDirStore.countChanged)
  // Handled update ids are kept for a day, like MongoDB's TTL index.
  if (expired.length > 0) await journal.apply(expired);
  return counts;
}
