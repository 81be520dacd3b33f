import { PLATFORMS, type Agent, type Platform } from '../model/agent.js';
import type { ChannelCapabilities } from '../ports/capabilities.js';
import type { Conversation } from '../model/conversation.js';
import type { Address, OutboundMessage } from '../ports/outbound.js';
import type { Button } from '../ports/inbound.js';
import { noticeButtons } from '../conversations/notice-buttons.js';
import type { AttachmentKind } from '../ports/inbound.js';
import { conversationPosts, messageLine, olderLine, type Unseen } from './transcript.js';

/** Where an agent gets notices: the home platform when linked there, else any linked platform. */
export function agentAddress(agent: Agent): Address | null {
  const linked = agentIdentities(agent);
  const home = linked.find((a) => a.platform === agent.homePlatform);
  return home ?? linked[0] ?? null;
}

/** The agent's linked platform accounts, in the order of PLATFORMS. */
export function agentIdentities(agent: Agent): Address[] {
  const ids: Record<Platform, string | undefined> = { telegram: agent.telegramUserId, slack: agent.slackUserId };
  return PLATFORMS.flatMap((platform) => (ids[platform] !== undefined ? [{ platform, chatId: ids[platform]! }] : []));
}

export function replyHint(caps: Pick<ChannelCapabilities, 'replies'>): string {
  return caps.replies === 'thread' ? 'Reply in this thread to answer.' : 'Reply to this message to answer.';
}

export function attachmentLabel(kind: AttachmentKind): string {
  return `[${kind}]`;
}

/** The first `at` code units of `text`, one fewer when that would cut an emoji (a surrogate pair) in half. */
export function cutText(text: string, at: number): string {
  if (at <= 0) return '';
  if (at >= text.length) return text;
  const last = text.charCodeAt(at - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? at - 1 : at);
}

/** Text for one line of a list: line breaks and runs of spaces become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A short quote for one line of a list (the full text is in the notice and /history). */
export function quote(text: string, max: number): string {
  const t = text.length > max ? `${cutText(text, max - 1)}…` : text;
  return t;
}

export interface NoticeOptions {
  headline: string;
  note?: string | undefined;
  /** What the agent has not seen (see unseenMessages). */
  unseen: Unseen;
  /** Show each message's time (hand-overs, where messages of both sides span a while). */
  withTimes: boolean;
  now: Date;
  limit: number;
  buttons?: Button[] | undefined;
}

/**
 * The messages that tell an agent a conversation is now theirs: headline, note, every message
 * they have not seen in full, and how to answer; split at the platform's limit, originals copied.
 */
export function assignmentNotice(agent: Agent, address: Address, caps: ChannelCapabilities, c: Conversation, opts: NoticeOptions): OutboundMessage[] {
  const blocks = [opts.headline];
  if (opts.note) blocks.push(`Note: ${opts.note}`);
  if (opts.unseen.older > 0) blocks.push(olderLine(c, opts.unseen.older));
  for (const m of opts.unseen.messages) blocks.push(messageLine(c, m, opts.withTimes ? opts.now : undefined));
  blocks.push(`${replyHint(caps)} /close #${c.number} when done, /transfer #${c.number} @agent to hand over.`);
  return conversationPosts({
    to: address,
    handle: agent.handle,
    conv: c,
    blocks,
    limit: opts.limit,
    buttons: opts.buttons ?? noticeButtons(c, agent),
    originals: opts.unseen.messages,
  });
}

/** Telegram's limit; answers are cut to fit on every platform. */
export const MAX_ANSWER_LENGTH = 4096;

export function fitAnswer(text: string): string {
  if (text.length <= MAX_ANSWER_LENGTH) return text;
  const cut = cutText(text, MAX_ANSWER_LENGTH - 20);
  const lastBreak = cut.lastIndexOf('\n');
  return `${lastBreak > 0 ? cut.slice(0, lastBreak) : cut}\n… (list cut)`;
}

/** Status lines that a pressed button put under a message start with this. */
export const STATUS_MARK = '\n\n» ';

/**
 * A pressed button's message with its status line replaced by `status` (the text before any
 * earlier status line stays), within `max` characters. Adapters use it to change the message.
 */
export function withStatusLine(original: string, status: string, max: number): string {
  const cut = original.indexOf(STATUS_MARK);
  const base = cut < 0 ? original : original.slice(0, cut);
  const line = `${STATUS_MARK}${status}`;
  const room = Math.max(0, max - line.length);
  return `${base.length <= room ? base : `${cutText(base, room - 1)}…`}${line}`;
}
