import { splitText, withStatusLine, type Button } from '../../src/core/index.js';

/** Telegram's limit for one text message, in UTF-16 code units (what the Bot API counts). */
export const MAX_MESSAGE_LENGTH = 4096;
/** Telegram's limit for an inline button's callback_data, in bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;

const ELLIPSIS = '…';

/** Cut at `at` code units without splitting a surrogate pair. */
function cutAt(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** The text, shortened to at most `max` code units with an ellipsis when it was longer. */
export function truncate(text: string, max = MAX_MESSAGE_LENGTH): string {
  if (text.length <= max) return text;
  return text.slice(0, cutAt(text, max - ELLIPSIS.length)).trimEnd() + ELLIPSIS;
}

/** The text in pieces of at most `max` code units (see the core's splitText): nothing is cut off. */
export function split(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  return splitText(text, max);
}

/** `action:value`; a button that a text reply also presses is marked (see classify-update). */
export function callbackData(button: Button): string {
  return `${button.withText ? '+' : ''}${button.action}:${button.value}`;
}

/** The message's text with its status line replaced by `status` (kept within Telegram's limit). */
export function withStatus(original: string, status: string): string {
  return withStatusLine(original, status, MAX_MESSAGE_LENGTH);
}

export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/**
 * Buttons as an inline keyboard, one row. Buttons whose callback data would exceed Telegram's
 * 64 bytes are left out (the Bot API would refuse the whole message); `dropped` counts them.
 */
export function inlineKeyboard(buttons: readonly Button[] | undefined): { markup?: InlineKeyboard; dropped: number } {
  if (!buttons || buttons.length === 0) return { dropped: 0 };
  const keys = buttons
    .map((button) => ({ text: truncate(button.label, 64), callback_data: callbackData(button) }))
    .filter((button) => Buffer.byteLength(button.callback_data, 'utf8') <= MAX_CALLBACK_DATA_BYTES);
  const dropped = buttons.length - keys.length;
  // short labels share a row (up to three); long ones (an agent with their load) get a row each
  const rows: InlineKeyboard['inline_keyboard'] = [];
  for (const key of keys) {
    const last = rows[rows.length - 1];
    if (last && last.length < KEYS_PER_ROW && key.text.length <= SHORT_LABEL && last.every((k) => k.text.length <= SHORT_LABEL)) last.push(key);
    else rows.push([key]);
  }
  return rows.length > 0 ? { markup: { inline_keyboard: rows }, dropped } : { dropped };
}

const KEYS_PER_ROW = 3;
const SHORT_LABEL = 12;
