import type { Telegram } from 'telegraf';
import { ChannelError } from '../../src/core/index.js';
import type { Answer, Logger, NoticeUpdate, OutboundMessage, SentRef } from '../../src/core/index.js';
import { TelegramChannelError, toChannelError } from './errors.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { withTimeout } from './deadline.js';

type Signal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];
import { inlineKeyboard, split, truncate, withStatus, type InlineKeyboard } from './text.js';

interface SendExtra {
  reply_markup?: InlineKeyboard;
  reply_parameters?: { message_id: number; allow_sending_without_reply: true };
}

function replyTo(messageId: string | number | undefined): SendExtra['reply_parameters'] {
  const id = Number(messageId);
  return messageId !== undefined && Number.isSafeInteger(id) && id > 0
    ? { message_id: id, allow_sending_without_reply: true }
    : undefined;
}

/**
 * How long one Bot API call may take. telegraf's own limit is 500 s, during which a hung connection
 * would hold the chat's updates; a call cut off here is reported as unreachable and not retried.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** The one place that sends messages through the Bot API. */
export class TelegramSender {
  constructor(
    private readonly telegram: Telegram,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly requestTimeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {}

  /** One Bot API call cut off after the request timeout. A native AbortSignal: node-fetch (under telegraf) accepts it, telegraf's types name a polyfill. */
  private withDeadline<T>(call: (signal: Signal) => Promise<T>): Promise<T> {
    return withTimeout(this.requestTimeoutMs, (signal) => call(signal as unknown as Signal));
  }

  private sendText(chatId: string, text: string, extra: SendExtra) {
    return this.withDeadline((signal) => this.telegram.callApi('sendMessage', { chat_id: chatId, text, ...extra }, { signal }));
  }

  /**
   * Deliver a message from the core. A Telegram original (`copyOf`) is copied, and the text (the
   * `#N` marker) is sent as a reply to the copy; an original that cannot be copied leaves the text
   * alone, or, without text, a refused delivery. Long texts are split into several messages.
   * Throws ChannelError after bounded retries.
   */
  async send(message: OutboundMessage): Promise<SentRef[]> {
    if (message.to.platform !== 'telegram') {
      throw new ChannelError('refused', `not a Telegram address: ${message.to.platform}`);
    }
    const chatId = message.to.chatId;
    const fields = { chat: chatId, conversation: message.conversation, agent: message.handle };
    const refs: SentRef[] = [];
    let copyFailure: TelegramChannelError | undefined;
    if (message.copyOf?.platform === 'telegram') {
      const { chatId: fromChat, messageId } = message.copyOf;
      try {
        const copied = await callWithRetry(
          'copyMessage',
          () =>
            this.withDeadline((signal) =>
              this.telegram.callApi('copyMessage', { chat_id: chatId, from_chat_id: fromChat, message_id: Number(messageId) }, { signal }),
            ),
          this.logger,
          this.policy,
          fields,
        );
        refs.push({ chatId, messageId: String(copied.message_id) });
      } catch (error) {
        // 400: the original cannot be copied (deleted, protected): the marker text still goes out,
        // and says what it was. Anything else (blocked, rate limit, network) is the chat's fate.
        if (!(error instanceof TelegramChannelError && error.apiCode === 400)) throw error;
        copyFailure = error;
        this.logger.warn({ ...fields, platform: 'telegram', method: 'copyMessage' }, 'original not copied, sending text only');
      }
    }
    const { markup, dropped } = inlineKeyboard(message.buttons);
    if (dropped > 0) this.logger.warn({ ...fields, platform: 'telegram', dropped }, 'buttons left out: callback data too long');
    const parts = message.text.trim() ? split(message.text) : [];
    if (parts.length === 0 && markup) parts.push('…');
    // Nothing copied and no text to send instead: the message did not go out.
    if (parts.length === 0 && copyFailure) throw copyFailure;
    for (const [i, part] of parts.entries()) {
      const extra: SendExtra = {};
      if (i === 0 && refs[0]) extra.reply_parameters = replyTo(refs[0].messageId);
      if (i === parts.length - 1 && markup) extra.reply_markup = markup;
      const sent = await callWithRetry(
        'sendMessage',
        () => this.sendText(chatId, part, extra),
        this.logger,
        this.policy,
        fields,
      );
      refs.push({ chatId, messageId: String(sent.message_id) });
    }
    return refs;
  }

  /** The core's answer to a command or button, in the sender's chat, replying to their message. */
  async answer(chatId: string, answer: Answer, replyToMessageId?: string): Promise<SentRef> {
    const { markup } = inlineKeyboard(answer.buttons);
    const extra: SendExtra = {};
    const reply = replyTo(replyToMessageId);
    if (reply) extra.reply_parameters = reply;
    if (markup) extra.reply_markup = markup;
    const text = truncate(answer.text.trim() || '…');
    const sent = await callWithRetry('sendMessage', () => this.sendText(chatId, text, extra), this.logger, this.policy, {
      chat: chatId,
    });
    return { chatId, messageId: String(sent.message_id) };
  }

  /**
   * A pressed button's message gets its new status line and buttons (none left: the keyboard goes),
   * so that a stale button cannot act twice. "Not modified" (pressed twice) is no failure.
   */
  async updateNotice(chatId: string, messageId: string, original: string, notice: NoticeUpdate): Promise<void> {
    const { markup } = inlineKeyboard(notice.buttons);
    const params = { chat_id: chatId, message_id: Number(messageId), text: withStatus(original, notice.status), reply_markup: markup ?? { inline_keyboard: [] } };
    try {
      await callWithRetry('editMessageText', () => this.withDeadline((signal) => this.telegram.callApi('editMessageText', params, { signal })), this.logger, this.policy, { chat: chatId });
    } catch (error) {
      if (error instanceof TelegramChannelError && error.apiCode === 400 && /not modified/i.test(error.message)) return;
      throw error;
    }
  }

  /** Stop the button's loading indicator. Failures (e.g. a query older than 15 minutes) are logged only. */
  async answerButton(callbackQueryId: string): Promise<void> {
    try {
      await this.telegram.answerCbQuery(callbackQueryId);
    } catch (error) {
      const failure = toChannelError(error);
      this.logger.warn({ platform: 'telegram', method: 'answerCallbackQuery', failure: failure.failure }, 'button not acknowledged');
    }
  }
}
