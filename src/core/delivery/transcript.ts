import { capabilitiesOf, type CoreDeps } from '../deps.js';
import type { Platform } from '../model/agent.js';
import type { Conversation, Message } from '../model/conversation.js';
import type { Address, OutboundMessage } from '../ports/outbound.js';
import type { Button } from '../ports/inbound.js';
import { packBlocks } from './split-text.js';

/** Messages a hand-over notice carries, and what /history shows. */
export const RECENT_MESSAGES = 20;
/** Below this a declared limit is taken for a mistake: a notice's fixed lines must fit. */
const SMALLEST_LIMIT = 200;

/** How long one text may be on a platform, as its adapter declares it. */
export function textLimit(deps: Pick<CoreDeps, 'channels'>, platform: Platform): number {
  return Math.max(SMALLEST_LIMIT, capabilitiesOf(deps, platform).maxMessageLength);
}

/** Who wrote a message, as an agent reads it. */
export function author(conv: Conversation, m: Message): string {
  return m.from === 'customer' ? conv.customer.name : `@${m.handle ?? 'agent'}`;
}

/** `14:05` today, `12-01 14:05` this year, else `2025-12-01 14:05` (UTC). */
export function shortTime(at: Date, now: Date): string {
  const iso = at.toISOString();
  const time = iso.slice(11, 16);
  if (iso.slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  if (iso.slice(0, 4) === now.toISOString().slice(0, 4)) return `${iso.slice(5, 10)} ${time}`;
  return `${iso.slice(0, 10)} ${time}`;
}

/** One message as a line of a transcript: `Alice: text`, with its time when `now` is given. */
export function messageLine(conv: Conversation, m: Message, now?: Date): string {
  const when = now ? `[${shortTime(m.at, now)}] ` : '';
  return `${when}${author(conv, m)}: ${m.text}`;
}

export interface Unseen {
  messages: Message[];
  /** Older messages left out (a hand-over shows the latest RECENT_MESSAGES). */
  older: number;
}

/**
 * What an agent who gets a conversation has not seen: on a first assignment every message so far
 * (the customer's, however many); on a hand-over the latest RECENT_MESSAGES of both sides.
 */
export async function unseenMessages(deps: CoreDeps, conv: Conversation, handOver: boolean): Promise<Unseen> {
  if (!handOver) return { messages: await deps.store.listMessages(conv.number), older: 0 };
  const [messages, total] = await Promise.all([deps.store.listMessages(conv.number, RECENT_MESSAGES), deps.store.countMessages(conv.number)]);
  return { messages, older: Math.max(0, total - messages.length) };
}

/** The line that stands for the messages a hand-over leaves out. */
export function olderLine(conv: Conversation, older: number): string {
  const what = older === 1 ? '1 more earlier message is' : `${older} more earlier messages are`;
  return `… ${what} not shown here (/history #${conv.number} lists the latest; the admin API has them all).`;
}

export interface PostsOptions {
  to: Address;
  handle: string;
  conv: Conversation;
  /** Text blocks in order; the first must start with (or contain first) the `#N` mark. */
  blocks: readonly string[];
  limit: number;
  buttons?: Button[] | undefined;
  /** Messages whose originals are copied after the text (only those on the agent's platform). */
  originals?: readonly Message[] | undefined;
}

/**
 * The conversation a message the bot sent about one conversation names in its opening: relays,
 * copies and continuations start with `#N `, notices with `… conversation #N in <inbox>`. Anything
 * else (answers to commands, digests, other text) names none, also when it mentions a `#N` later:
 * what follows the opening may be a customer's own words.
 */
export function markedConversation(text: string): number | null {
  const m = /^(?:#(\d{1,9})[ \n]|(?:New conversation|Conversation|You claimed conversation) #(\d{1,9}) in )/.exec(text);
  return m ? Number(m[1] ?? m[2]) : null;
}

/** The `#N` line that opens every further message of a conversation's notice. */
export function continuedLine(conv: Conversation): string {
  return `#${conv.number} (continued)`;
}

/**
 * Blocks of a conversation's notice as platform messages: packed into as few texts as fit the
 * platform's limit, every text after the first opened by `#N (continued)`, each linked to the
 * conversation (a reply to any of them answers the customer). Originals that the platform can copy
 * follow, each with its `#N Name: [kind] caption` marker; buttons go on the last text.
 */
export function conversationPosts(opts: PostsOptions): OutboundMessage[] {
  const { to, handle, conv } = opts;
  const texts = packBlocks(opts.blocks, opts.limit, continuedLine(conv));
  const out: OutboundMessage[] = texts.map((text) => ({ to, text, conversation: conv.number, handle }));
  const last = out.at(-1);
  if (last && opts.buttons) last.buttons = opts.buttons;
  for (const m of opts.originals ?? []) {
    if (!m.original || m.original.platform !== to.platform) continue;
    for (const [i, text] of packBlocks([`#${conv.number} ${author(conv, m)}: ${m.text}`], opts.limit, continuedLine(conv)).entries()) {
      out.push({ to, text, conversation: conv.number, handle, ...(i === 0 ? { copyOf: m.original } : {}) });
    }
  }
  return out;
}
