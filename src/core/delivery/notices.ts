import { PLATFORMS, type Agent, type Platform } from '../model/agent.js';
import type { ChannelCapabilities } from '../ports/capabilities.js';
import type { Conversation } from '../model/conversation.js';
import type { Address, OutboundMessage } from '../ports/outbound.js';
import type { Button } from '../ports/inbound.js';
import type { AttachmentKind } from '../ports/inbound.js';

/** Where an agent gets notices: the home platform when linked there, else any linked platform. */
export function agentAddress(agent: Agent): Address | null {
  const linked = agentIdentities(agent);
  const home = linked.find((a) => a.platform === agent.homePlatform);
  return home ?? linked[0] ?? null;
}

/** The agent's linked platform accounts, in the order of PLATFORMS. */
function agentIdentities(agent: Agent): Address[] {
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

export function quote(text: string, max = 500): string {
  const t = text.length > max ? `${cutText(text, max - 1)}…` : text;
  return t;
}

export interface NoticeOptions {
  headline: string;
  latest?: string | undefined;
  note?: string | undefined;
  copyOf?: OutboundMessage['copyOf'];
  buttons?: Button[] | undefined;
}

/** The message that tells an agent a conversation is now theirs. */
export function assignmentNotice(agent: Agent, address: Address, caps: ChannelCapabilities, c: Conversation, opts: NoticeOptions): OutboundMessage {
  const lines = [opts.headline];
  if (opts.note) lines.push(`Note: ${quote(opts.note)}`);
  if (opts.latest !== undefined) lines.push(`${c.customer.name}: ${quote(opts.latest)}`);
  lines.push(`${replyHint(caps)} /close #${c.number} when done, /transfer #${c.number} @agent to hand over.`);
  return {
    to: address,
    text: lines.join('\n'),
    conversation: c.number,
    handle: agent.handle,
    copyOf: opts.copyOf,
    buttons: opts.buttons ?? [{ label: 'Unassign', action: 'unassign', value: String(c.number) }],
  };
}

/** Telegram's limit; answers are cut to fit on every platform. */
export const MAX_ANSWER_LENGTH = 4096;

export function fitAnswer(text: string): string {
  if (text.length <= MAX_ANSWER_LENGTH) return text;
  const cut = cutText(text, MAX_ANSWER_LENGTH - 20);
  const lastBreak = cut.lastIndexOf('\n');
  return `${lastBreak > 0 ? cut.slice(0, lastBreak) : cut}\n… (list cut)`;
}
