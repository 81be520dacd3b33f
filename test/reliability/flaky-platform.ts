import { TELEGRAM_CAPABILITIES } from '../../adapters/telegram/index.js';
import { ChannelError, type ChannelAdapter, type ChannelCapabilities, type OutboundMessage, type Platform, type SentRef } from '../../src/core/index.js';

/** How a platform can fail one send, before it took the message. */
export type SendFault = '500' | '502' | 'timeout' | 'reset' | '429' | 'refused';

export function faultError(fault: SendFault, retryAfterSec = 1): ChannelError {
  switch (fault) {
    case '500':
      return new ChannelError('unreachable', 'Bot API 500: Internal Server Error');
    case '502':
      return new ChannelError('unreachable', 'Bot API 502: Bad Gateway');
    case 'timeout':
      return new ChannelError('unreachable', 'TimeoutError: the operation was aborted due to timeout');
    case 'reset':
      return new ChannelError('unreachable', 'FetchError: request failed, reason: socket hang up (ECONNRESET)');
    case '429':
      return new ChannelError('rate-limited', `Bot API 429: Too Many Requests: retry after ${retryAfterSec}`, retryAfterSec);
    case 'refused':
      return new ChannelError('refused', 'Bot API 403: Forbidden: bot was blocked by the user');
  }
}

/**
 * A platform whose sends fail as `decide` says (a fault, or null to take the message). What it took
 * is recorded in order, per chat; a failed send took nothing.
 */
export class FlakyPlatform implements ChannelAdapter {
  readonly delivered: OutboundMessage[] = [];
  readonly attempts: { at: number; chatId: string; fault: SendFault | null }[] = [];
  readonly capabilities: ChannelCapabilities;
  private nextId = 1;

  constructor(
    readonly platform: Platform,
    private readonly decide: (message: OutboundMessage) => { fault: SendFault; retryAfterSec?: number } | null,
    capabilities: ChannelCapabilities = TELEGRAM_CAPABILITIES,
  ) {
    this.capabilities = capabilities;
  }

  async send(message: OutboundMessage): Promise<SentRef[]> {
    const verdict = this.decide(message);
    this.attempts.push({ at: Date.now(), chatId: message.to.chatId, fault: verdict?.fault ?? null });
    if (verdict) throw faultError(verdict.fault, verdict.retryAfterSec);
    this.delivered.push(message);
    return [{ chatId: message.to.chatId, messageId: String(this.nextId++) }];
  }

  texts(chatId: string): string[] {
    return this.delivered.filter((m) => m.to.chatId === chatId).map((m) => m.text);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
