import type { Platform } from '../model/agent.js';

/**
 * What a platform can do, declared by its adapter. The core asks these instead of comparing a
 * platform to a name, so a new platform brings its own answers and the core stays as it is.
 */
export interface ChannelCapabilities {
  /**
   * How an agent answers a conversation: `reply-to` a relayed message in the private chat with the
   * bot, or inside the conversation's `thread` (agent-side messages about one conversation are then
   * kept in one thread per conversation and agent).
   */
  replies: 'reply-to' | 'thread';
  /**
   * Customers can also write in a shared channel bound to an inbox; each customer's messages there
   * form a thread that answers go back to. Without it only direct chats with the bot are inboxes.
   */
  channelInboxes: boolean;
  /** A customer's non-text message can be copied into another chat of the same platform. */
  copies: boolean;
  /** Messages can carry buttons, and a pressed button's message can be changed afterwards. */
  buttons: boolean;
  /** A button can open a form (pick an agent, write a note) instead of asking in chat. */
  modals: boolean;
  /** Longest text of one message, in UTF-16 code units. */
  maxMessageLength: number;
  /** Longest value one button can carry (with its action), in bytes. */
  maxButtonDataBytes: number;
  /** Agents link their account with `/start CODE`, the payload of an invite's deep link. */
  startCodes: boolean;
  /**
   * How a command is typed when it is not `/<name>`: the platform keeps that name for itself
   * (Slack's `/away`) or has its own (`/help`).
   */
  commandNames: Readonly<Record<string, string>>;
  /**
   * How fast messages may go out: in all, and into one chat (a bot that sends faster is answered
   * 429). Sends wait for their turn instead of failing. Without it nothing is paced.
   */
  rate?: { perSecond: number; perChatPerSecond: number } | undefined;
}

/** For a platform without an adapter: plain messages, nothing more. */
export const PLAIN_CAPABILITIES: ChannelCapabilities = {
  replies: 'reply-to',
  channelInboxes: false,
  copies: false,
  buttons: false,
  modals: false,
  maxMessageLength: 4096,
  maxButtonDataBytes: 0,
  startCodes: false,
  commandNames: {},
};

/** How a command is typed on a platform with these capabilities. */
export function commandText(caps: ChannelCapabilities, name: string): string {
  return caps.commandNames[name] ?? `/${name}`;
}

export type CapabilitiesOf = (platform: Platform) => ChannelCapabilities;
