import type { Platform } from '../model/agent.js';

export type AttachmentKind = 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'sticker' | 'animation' | 'other';

/**
 * One platform delivery, as an adapter's pure classifier sees it. The core decides whether a
 * message is a customer message or an agent reply: that depends on who the sender is.
 */
export interface InboundEvent {
  platform: Platform;
  /** Idempotency key, unique per platform delivery (Telegram update_id, Slack event_id / trigger_id). */
  deliveryId: string;
  kind: 'message' | 'command' | 'button';
  sender: {
    /** Platform user id (Telegram from.id, Slack user id). */
    id: string;
    /** Telegram username without '@'. */
    username?: string | undefined;
    /** Display name. */
    name: string;
  };
  chat: {
    /** Telegram chat id; Slack channel id (DM channels included). */
    id: string;
    /** A private chat with the bot / a DM to the app. */
    isDirect: boolean;
  };
  /** The message's own id (Telegram message_id, Slack ts). */
  messageId?: string | undefined;
  /** Slack: thread_ts when the message is inside a thread. */
  threadId?: string | undefined;
  /** Telegram: message_id of the message this one replies to. */
  replyTo?: string | undefined;
  /**
   * The replied-to message as the platform showed it, when the delivery carries it (Telegram):
   * its text, and whether this bot sent it. When the reply is not linked to a conversation (yet),
   * the `#N` mark at the start of a bot's message names it.
   */
  quoted?: { text: string; fromBot: boolean } | undefined;
  /** Message text or caption; for commands the arguments after the command name. */
  text: string;
  /** For kind=command: the command name without '/' and without '@botname', lower case. */
  command?: string | undefined;
  /** For kind=button: what was pressed. */
  button?: { action: string; value: string } | undefined;
  /** A non-text message (copied where the platform allows). */
  attachment?: AttachmentKind | undefined;
}

export interface Button {
  label: string;
  /** Stable action id, e.g. 'claim', 'unassign', 'offboard-confirm', 'offboard-cancel'. */
  action: string;
  value: string;
  style?: 'primary' | 'danger' | undefined;
  /**
   * Answering the button's message with text presses this button with that text (a note for a
   * transfer): on platforms without forms the agent replies to the message instead of typing in one.
   */
  withText?: boolean | undefined;
}

/**
 * A small form: pick one of `choices`, optionally write a text, submit. Platforms with forms
 * (`modals`) show it as one; submitting it presses the button `action` with the chosen value and
 * the text, like any button (the one answer, refusals included, comes back as for a button).
 */
export interface Form {
  title: string;
  submit: string;
  action: string;
  choiceLabel: string;
  choices: { label: string; value: string }[];
  textLabel?: string | undefined;
}

/** What a pressed button's message should show now: a status line and the buttons still useful. */
export interface NoticeUpdate {
  status: string;
  buttons: Button[];
}

/** The one answer to the caller of a command (or a button press). */
export interface Answer {
  text: string;
  buttons?: Button[] | undefined;
  /** Open this form (platforms with `modals`); `text` stands for it elsewhere. */
  form?: Form | undefined;
}

export interface InboundResult {
  /** True when this delivery was seen before and nothing was done. */
  duplicate: boolean;
  /** The answer for the sender, delivered by the adapter that received the event (ephemeral on Slack). */
  answer?: Answer | undefined;
  /** For a button: nothing changed (refused, stale, not allowed); a form shows the answer as its error. */
  refused?: boolean | undefined;
  /** For a button on a conversation's message: that message's new status and buttons. */
  notice?: NoticeUpdate | undefined;
}
