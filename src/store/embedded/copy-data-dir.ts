// Copy everything a data directory holds into another store (MongoDB, when moving there) through
// the store port and Agenda's job repository: numbers, rotation order and cursors, loads, history
// order, handled update ids, links, threads, invites, offboardings and scheduled jobs. Refuses a
// target that holds anything, and checks the counts afterwards.
import type { JobParameters, JobRepository } from 'agenda';
import type {
  Agent,
  IntakeRecord,
  OutboxRecord,
  Conversation,
  Inbox,
  Invite,
  Membership,
  Message,
  MessageLink,
  Offboarding,
  Store,
  StoredHistoryEvent,
  ThreadRef,
} from '../../core/index.js';
import type { StoredJob } from '../../scheduler/memory-job-query.js';
import type { DataDir } from './data-dir.js';

export interface CopyCounts {
  agents: number;
  inboxes: number;
  memberships: number;
  conversations: number;
  messages: number;
  history: number;
  offboardings: number;
  jobs: number;
}

export class CopyRefused extends Error {
  override name = 'CopyRefused';
}

type Source = Pick<DataDir, 'records' | 'store' | 'jobs'>;
type Target = { store: Store; jobs: JobRepository };

async function* each<T>(source: Source, collection: string): AsyncGenerator<{ key: string; value: T }> {
  for await (const batch of source.records(collection)) for (const r of batch) yield { key: r.key, value: r.value as T };
}

/** What a store holds, counted through the store port and the job repository. */
export async function countStore(target: Target): Promise<CopyCounts> {
  const counts: CopyCounts = { agents: 0, inboxes: 0, memberships: 0, conversations: 0, messages: 0, history: 0, offboardings: 0, jobs: 0 };
  let after: string | undefined;
  do {
    const page = await target.store.listAgents({ limit: 1000, after });
    counts.agents += page.items.length;
    after = page.next ?? undefined;
  } while (after);
  do {
    const page = await target.store.listInboxes({ limit: 1000, after });
    counts.inboxes += page.items.length;
    for (const inbox of page.items) counts.memberships += await target.store.countMembers(inbox.name);
    after = page.next ?? undefined;
  } while (after);
  do {
    const page = await target.store.listConversations({}, { limit: 1000, after });
    counts.conversations += page.items.length;
    for (const c of page.items) counts.messages += (await target.store.listMessages(c.number)).length;
    after = page.next ?? undefined;
  } while (after);
  do {
    const page = await target.store.listHistory({}, { limit: 1000, after });
    counts.history += page.items.length;
    after = page.next ?? undefined;
  } while (after);
  counts.offboardings = (await target.store.listOffboardings({})).length;
  counts.jobs = (await target.jobs.queryJobs({})).total;
  return counts;
}

const isEmpty = (c: CopyCounts): boolean => Object.values(c).every((n) => n === 0);
const describe = (c: CopyCounts): string => Object.entries(c).map(([k, n]) => `${n} ${k}`).join(', ');

export async function copyDataDir(source: Source, target: Target, progress: (line: string) => void = () => {}): Promise<CopyCounts> {
  const there = await countStore(target);
  if (!isEmpty(there)) throw new CopyRefused(`the target already holds data (${describe(there)}); migrate into an empty database`);
  const expected = await countStore({ store: source.store, jobs: source.jobs });

  // as loaded: the open-conversation count is the one counted from the conversations at open
  for await (const { value } of each<Agent>(source, 'agent')) await target.store.createAgent((await source.store.getAgent(value.handle)) ?? value);
  const inboxes: Inbox[] = [];
  for await (const { value } of each<Inbox>(source, 'inbox')) {
    const { cursor: _cursor, ...fields } = value;
    await target.store.createInbox(fields);
    inboxes.push(value);
  }
  // Rotation order is kept; the target numbers memberships itself, so cursors are translated.
  const seqs = new Map<number, number>();
  for await (const { value } of each<Membership>(source, 'member')) {
    const m = await target.store.addMember(value.inbox, value.handle, value.joinedAt);
    seqs.set(value.seq, m.seq);
  }
  for (const inbox of inboxes) {
    if (inbox.cursor === 0) continue;
    const cursor = seqs.get(inbox.cursor) ?? translateGone(inbox.cursor, seqs);
    if (!(await target.store.moveCursor(inbox.name, 0, cursor))) throw new Error(`inbox ${inbox.name}: its rotation cursor could not be set`);
  }
  progress(`${expected.agents} agents, ${expected.inboxes} inboxes, ${expected.memberships} memberships copied`);

  for await (const { value } of each<Conversation>(source, 'conversation')) {
    const { conversation } = await target.store.openConversation(value.inbox, value.customer, value.createdAt);
    if (conversation.number !== value.number) {
      throw new Error(`conversation #${value.number} became #${conversation.number} in the target; numbers must stay the same, so nothing more was copied`);
    }
    const { number: _n, inbox: _i, customer: _c, createdAt: _a, ...fields } = value;
    await target.store.updateConversation(value.number, {}, fields);
  }
  for await (const { value } of each<Message>(source, 'message')) await target.store.addMessage(value);
  progress(`${expected.conversations} conversations, ${expected.messages} messages copied`);
  for await (const { value } of each<StoredHistoryEvent>(source, 'history')) {
    const { seq, ...event } = value;
    const stored = await target.store.addHistory(event);
    if (stored.seq !== seq) throw new Error(`history event ${seq} became ${stored.seq} in the target`);
  }
  for await (const { key, value } of each<number>(source, 'delivery')) await target.store.recordDelivery(key, new Date(value));
  for await (const { key, value } of each<number>(source, 'link')) {
    const [platform, chatId, messageId] = key.split('|') as [MessageLink['platform'], string, string];
    await target.store.linkMessage({ platform, chatId, messageId, conversation: value });
  }
  for await (const { value } of each<ThreadRef>(source, 'thread')) await target.store.saveThread(value);
  for await (const { value } of each<Invite>(source, 'invite')) await target.store.createInvite(value);
  for await (const { value } of each<Offboarding>(source, 'offboarding')) await target.store.createOffboarding(value);
  // updates acknowledged and not handled yet, and messages still waiting to be sent, go along
  for await (const { value } of each<IntakeRecord>(source, 'intake')) await target.store.saveIntake(value);
  for await (const { value } of each<OutboxRecord>(source, 'outbox')) {
    if (value.state !== 'pending') continue;
    const { seq: _s, state: _st, sentAt: _sa, ...record } = value;
    await target.store.addOutbox(record);
  }
  for await (const { value } of each<StoredJob>(source, 'job')) {
    const { _id, lockedAt: _l, ...job } = value;
    await target.jobs.saveJob(job as JobParameters, undefined);
  }
  progress(`${expected.history} history events, ${expected.offboardings} offboardings, ${expected.jobs} scheduled jobs copied`);

  const copied = await countStore(target);
  if (describe(copied) !== describe(expected)) {
    throw new Error(`counts differ after the copy: data directory ${describe(expected)}; target ${describe(copied)}`);
  }
  return copied;
}

/** A cursor on a membership that no longer exists: the next one in the rotation takes its place. */
function translateGone(cursor: number, seqs: ReadonlyMap<number, number>): number {
  let best = 0;
  for (const [from, to] of seqs) if (from < cursor) best = Math.max(best, to);
  return best;
}
