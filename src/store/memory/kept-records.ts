import type { Conversation, ConversationUpdate, Customer } from '../../core/index.js';

// How the in-process store keeps conversations in memory (history: see history-log.ts). A Date
// object costs about 100 bytes and every string read back from disk is a copy of its own, so
// conversations keep their times as epoch milliseconds and share the strings that repeat across
// records (inbox names, handles, statuses). Callers, and the data directory's records, only ever
// see the public shape with Dates.

/** One copy of each repeating string (a small set: inboxes, handles, statuses, platforms, reasons). */
export class SharedStrings {
  private readonly seen = new Map<string, string>();
  of<T extends string | null | undefined>(value: T): T {
    if (typeof value !== 'string') return value;
    const known = this.seen.get(value);
    if (known !== undefined) return known as T;
    this.seen.set(value, value);
    return value;
  }
}

export interface KeptConversation {
  number: number;
  inbox: string;
  status: Conversation['status'];
  assignee: string | null;
  customer: Customer;
  createdAt: number;
  updatedAt: number;
  closedAt: number | undefined;
  waitingSince: number | undefined;
  excluded: string[];
  redirects: number;
  queuedNoticeSent: boolean;
  lastMessageText: string | undefined;
}

/** The one empty exclusion list (kept lists are replaced, never changed in place). */
const NOBODY: string[] = [];
Object.freeze(NOBODY);

const ms = (d: Date | undefined): number | undefined => (d === undefined ? undefined : d.getTime());
const date = (n: number | undefined): Date | undefined => (n === undefined ? undefined : new Date(n));

function keepCustomer(c: Customer, shared: SharedStrings): Customer {
  const out: Customer = { platform: shared.of(c.platform), id: c.id, name: c.name, chatId: c.chatId === c.id ? c.id : c.chatId };
  if (c.threadId !== undefined) out.threadId = c.threadId;
  return out;
}

export function keepConversation(c: Conversation, shared: SharedStrings): KeptConversation {
  return {
    number: c.number,
    inbox: shared.of(c.inbox),
    status: shared.of(c.status),
    assignee: shared.of(c.assignee),
    customer: keepCustomer(c.customer, shared),
    createdAt: c.createdAt.getTime(),
    updatedAt: c.updatedAt.getTime(),
    closedAt: ms(c.closedAt),
    waitingSince: ms(c.waitingSince),
    excluded: c.excluded.length === 0 ? NOBODY : c.excluded.map((h) => shared.of(h)),
    redirects: c.redirects,
    queuedNoticeSent: c.queuedNoticeSent,
    lastMessageText: c.lastMessageText,
  };
}

/** The public conversation: a copy the caller may change freely. */
export function conversationOf(k: KeptConversation): Conversation {
  const out: Conversation = {
    number: k.number,
    inbox: k.inbox,
    status: k.status,
    assignee: k.assignee,
    customer: { ...k.customer },
    createdAt: new Date(k.createdAt),
    updatedAt: new Date(k.updatedAt),
    excluded: [...k.excluded],
    redirects: k.redirects,
    queuedNoticeSent: k.queuedNoticeSent,
  };
  if (k.closedAt !== undefined) out.closedAt = date(k.closedAt);
  if (k.waitingSince !== undefined) out.waitingSince = date(k.waitingSince);
  if (k.lastMessageText !== undefined) out.lastMessageText = k.lastMessageText;
  return out;
}

/** Apply an update in place, keeping the compact forms. */
export function applyUpdate(k: KeptConversation, update: ConversationUpdate, shared: SharedStrings): void {
  for (const [field, value] of Object.entries(update) as [keyof ConversationUpdate, unknown][]) {
    switch (field) {
      case 'updatedAt':
      case 'closedAt':
      case 'waitingSince':
        k[field] = ms(value as Date | undefined) as number;
        break;
      case 'excluded':
        k.excluded = (value as string[]).length === 0 ? NOBODY : (value as string[]).map((h) => shared.of(h));
        break;
      case 'status':
      case 'assignee':
        (k as unknown as Record<string, unknown>)[field] = shared.of(value as string | null);
        break;
      default:
        (k as unknown as Record<string, unknown>)[field] = value;
    }
  }
}

/**
 * Conversations by number in an array (numbers are handed out one after the other from 1):
 * 8 bytes an entry instead of about 35 in a Map. Iterates in number order.
 */
export class ConversationTable {
  private readonly slots: (KeptConversation | undefined)[] = [];

  get(number: number): KeptConversation | undefined {
    return Number.isSafeInteger(number) && number >= 0 ? this.slots[number] : undefined;
  }

  set(number: number, conversation: KeptConversation): void {
    if (!Number.isSafeInteger(number) || number < 0) throw new Error(`conversation number ${number} is invalid`);
    if (number > this.slots.length + 10_000_000) throw new Error(`conversation number ${number} is far beyond the last one (${this.slots.length - 1})`);
    // grow one by one: a write far past the end would turn the array into a slow dictionary
    while (this.slots.length <= number) this.slots.push(undefined);
    this.slots[number] = conversation;
  }

  *values(): IterableIterator<KeptConversation> {
    for (const c of this.slots) if (c !== undefined) yield c;
  }
}
