import type { Agent } from '../model/agent.js';
import type { Conversation } from '../model/conversation.js';
import type { Address, OutboundMessage } from '../ports/outbound.js';
import type { Button } from '../ports/inbound.js';
import type { AttachmentKind } from '../ports/inbound.js';

/** Where an agent gets notices: the home platform when linked there, else any linked platform. */
export function agentAddress(agent: Agent): Address | null {
  const telegram = agent.telegramUserId !== undefined ? ({ platform: 'telegram', chatId: agent.telegramUserId } as const) : null;
  const slack = agent.slackUserId !== undefined ? ({ platform: 'slack', chatId: agent.slackUserId } as const) : null;
  if (agent.homePlatform === 'slack') return slack ?? telegram;
  return telegram ?? slack;
}

export function replyHint(address: Address): string {
  return address.platform === 'slack' ? 'Reply in this thread to answer.' : 'Reply to this message to answer.';
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
export function assignmentNotice(agent: Agent, address: Address, c: Conversation, opts: NoticeOptions): OutboundMessage {
  const lines = [opts.headline];
  if (opts.note) lines.push(`Note: ${quote(opts.note)}`);
  if (opts.latest !== undefined) lines.push(`${c.customer.name}: ${quote(opts.latest)}`);
  lines.push(`${replyHint(address)} /close #${c.number} when done, /transfer #${c.number} @agent to hand over.`);
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
