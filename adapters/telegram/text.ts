import { splitText, type Button } from '../../src/core/index.js';

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

export function callbackData(button: Button): string {
  return `${button.action}:${button.value}`;
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
  const row = buttons
    .map((button) => ({ text: truncate(button.label, 64), callback_data: callbackData(button) }))
    .filter((button) => Buffer.byteLength(button.callback_data, 'utf8') <= MAX_CALLBACK_DATA_BYTES);
  const dropped = buttons.length - row.length;
  return row.length > 0 ? { markup: { inline_keyboard: [row] }, dropped } : { dropped };
}
