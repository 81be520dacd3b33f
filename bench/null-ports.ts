import { PLAIN_CAPABILITIES, type ChannelAdapter, type OutboundMessage, type Platform, type Scheduler, type SentRef } from '../src/core/index.js';

/** A channel that accepts every message at once, so benchmarks measure Switchboard, not a platform. */
export class NullChannel implements ChannelAdapter {
  private id = 1;
  readonly capabilities = PLAIN_CAPABILITIES;
  constructor(readonly platform: Platform) {}
  async send(m: OutboundMessage): Promise<SentRef[]> {
    return [{ chatId: m.to.chatId, messageId: String(this.id++) }];
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** A scheduler that keeps nothing (for cases that measure routing alone). */
export const nullScheduler: Scheduler = {
  async schedule() {},
  async cancel() {
    return 0;
  },
  async pending() {
    return [];
  },
};
