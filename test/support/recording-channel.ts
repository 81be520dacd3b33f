import { TELEGRAM_CAPABILITIES } from '../../adapters/telegram/index.js';
import { SLACK_CAPABILITIES } from '../../adapters/slack/index.js';
import { ChannelError, type ChannelAdapter, type ChannelCapabilities, type OutboundMessage, type Platform, type SentRef } from '../../src/core/index.js';

/** A channel adapter that records what the core sends; chats can be told to fail. */
export class RecordingChannel implements ChannelAdapter {
  readonly sent: OutboundMessage[] = [];
  readonly refs: { message: OutboundMessage; refs: SentRef[] }[] = [];
  private nextId = 1000;
  readonly failing = new Map<string, ChannelError>();

  readonly capabilities: ChannelCapabilities;

  constructor(readonly platform: Platform) {
    this.capabilities = platform === 'slack' ? SLACK_CAPABILITIES : TELEGRAM_CAPABILITIES;
  }

  async send(message: OutboundMessage): Promise<SentRef[]> {
    const failure = this.failing.get(message.to.chatId);
    if (failure) throw failure;
    this.sent.push(message);
    const chatId = this.platform === 'slack' && /^[UW]/.test(message.to.chatId) ? `D${message.to.chatId}` : message.to.chatId;
    const refs: SentRef[] = [];
    if (message.copyOf && message.copyOf.platform === this.platform) refs.push({ chatId, messageId: String(this.nextId++) });
    refs.push({ chatId, messageId: String(this.nextId++) });
    this.refs.push({ message, refs });
    return refs;
  }

  /** Messages sent to one chat (agent user id or customer chat). */
  to(chatId: string): OutboundMessage[] {
    return this.sent.filter((m) => m.to.chatId === chatId);
  }

  texts(chatId: string): string[] {
    return this.to(chatId).map((m) => m.text);
  }

  /** Id of the last message sent to a chat about a conversation (what an agent replies to). */
  lastIdAbout(chatId: string, conversation: number): string {
    for (let i = this.refs.length - 1; i >= 0; i--) {
      const r = this.refs[i]!;
      if (r.message.to.chatId === chatId && r.message.conversation === conversation) return r.refs[r.refs.length - 1]!.messageId;
    }
    throw new Error(`nothing sent to ${chatId} about #${conversation}`);
  }

  clear(): void {
    this.sent.length = 0;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
