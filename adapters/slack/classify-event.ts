import type { AttachmentKind, InboundEvent } from '../../src/core/index.js';
import { fromSlackText } from './mrkdwn.js';
import { CHOICE_BLOCK, formOrigin, TEXT_BLOCK, type FormOrigin } from './views.js';

/**
 * Pure classifiers: one Slack delivery (Events API envelope, slash command, block action) → one
 * InboundEvent, or null when Switchboard has nothing to do with it. Who the sender is (customer
 * or agent) is the core's decision, not ours.
 */

/** The parts of an Events API `event_callback` envelope we read. */
export interface SlackEventEnvelope {
  type?: string;
  event_id?: string;
  event?: SlackMessageEvent | { type: string; [key: string]: unknown };
}

export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: { mimetype?: string; name?: string }[];
  user_profile?: { display_name?: string; real_name?: string; name?: string };
  [key: string]: unknown;
}

export interface SlackCommandPayload {
  command: string;
  text?: string;
  trigger_id: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  thread_ts?: string;
  [key: string]: unknown;
}

export interface SlackBlockActionPayload {
  type: string;
  trigger_id?: string;
  user: { id: string; username?: string; name?: string };
  channel?: { id: string; name?: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string; [key: string]: unknown };
  message?: { ts?: string; thread_ts?: string; [key: string]: unknown };
  actions: { action_id?: string; value?: string; action_ts?: string; type?: string }[];
  [key: string]: unknown;
}

/** Message subtypes that are a person writing; every other subtype (edits, deletions, joins, bots) is ignored. */
const PERSON_SUBTYPES = new Set<string | undefined>([undefined, 'file_share', 'thread_broadcast']);

export function classifyMessageEvent(envelope: SlackEventEnvelope, botUserId?: string): InboundEvent | null {
  if (envelope.type !== undefined && envelope.type !== 'event_callback') return null;
  const event = envelope.event as SlackMessageEvent | undefined;
  if (!event || event.type !== 'message' || !envelope.event_id) return null;
  if (!PERSON_SUBTYPES.has(event.subtype)) return null;
  if (event.bot_id !== undefined || !event.user || !event.channel || !event.ts) return null;
  if (botUserId !== undefined && event.user === botUserId) return null;

  const text = fromSlackText(event.text ?? '').trim();
  // Files come with subtype file_share, and also on plain messages (GenericMessageEvent.files).
  const attachment = fileKind(event.files);
  if (!text && !attachment) return null;

  const isDirect = event.channel_type === 'im' || (event.channel_type === undefined && event.channel.startsWith('D'));
  return {
    platform: 'slack',
    deliveryId: `slack:evt:${envelope.event_id}`,
    kind: 'message',
    sender: { id: event.user, name: profileName(event) ?? event.user },
    chat: { id: event.channel, isDirect },
    messageId: event.ts,
    threadId: event.thread_ts !== undefined && event.thread_ts !== event.ts ? event.thread_ts : undefined,
    text,
    attachment,
  };
}

/** The umbrella command: `/sb <command> [args]` runs any command (`/sb away`, `/sb help`). */
export const SB_COMMAND = 'sb';
/** Slack keeps `/help` for itself: the standalone help command is `/sb-help`. */
export const SB_HELP_COMMAND = 'sb-help';

/** `/sb transfer #4 @olga` → transfer with `#4 @olga`; `/sb` alone and `/sb-help` → help. */
function commandAndArgs(command: string, text: string): { command: string; text: string } {
  if (command === SB_HELP_COMMAND) return { command: 'help', text };
  if (command !== SB_COMMAND) return { command, text };
  const first = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return first ? { command: first[1]!.replace(/^\//, '').toLowerCase(), text: first[2]!.trim() } : { command: 'help', text: '' };
}

export function classifySlashCommand(payload: SlackCommandPayload): InboundEvent | null {
  const typed = payload.command.replace(/^\//, '').toLowerCase().trim();
  if (!typed || !payload.trigger_id || !payload.user_id || !payload.channel_id) return null;
  const { command, text } = commandAndArgs(typed, fromSlackText(payload.text ?? '').trim());
  return {
    platform: 'slack',
    deliveryId: `slack:cmd:${payload.trigger_id}`,
    kind: 'command',
    command,
    sender: { id: payload.user_id, name: payload.user_name || payload.user_id },
    chat: { id: payload.channel_id, isDirect: isDirectChannel(payload.channel_id, payload.channel_name) },
    threadId: payload.thread_ts || undefined,
    text,
  };
}

export function classifyBlockAction(payload: SlackBlockActionPayload): InboundEvent | null {
  if (payload.type !== 'block_actions') return null;
  const action = payload.actions[0];
  if (!action?.action_id || !payload.user?.id) return null;
  const key = payload.trigger_id || action.action_ts;
  if (!key) return null;
  const channelId = payload.channel?.id ?? payload.container?.channel_id ?? '';
  const threadId = payload.container?.thread_ts ?? payload.message?.thread_ts;
  const messageId = payload.container?.message_ts ?? payload.message?.ts;
  return {
    platform: 'slack',
    deliveryId: `slack:btn:${key}`,
    kind: 'button',
    button: { action: action.action_id, value: action.value ?? '' },
    sender: { id: payload.user.id, name: payload.user.name || payload.user.username || payload.user.id },
    chat: { id: channelId, isDirect: isDirectChannel(channelId, payload.channel?.name) },
    messageId,
    threadId: threadId !== undefined && threadId !== messageId ? threadId : undefined,
    text: '',
  };
}

/** A display name carried by the event itself, when Slack included one. */
function profileName(event: SlackMessageEvent): string | undefined {
  const p = event.user_profile;
  return p?.display_name || p?.real_name || p?.name || undefined;
}

function fileKind(files: SlackMessageEvent['files']): AttachmentKind | undefined {
  const first = files?.[0];
  if (!first) return undefined;
  return first.mimetype?.startsWith('image/') ? 'photo' : 'document';
}

function isDirectChannel(channelId: string, channelName?: string): boolean {
  return channelName === 'directmessage' || channelId.startsWith('D');
}

/** The parts of a view_submission payload (a form submitted) we read. */
export interface SlackViewSubmissionPayload {
  type: string;
  trigger_id?: string;
  user: { id: string; username?: string; name?: string };
  view: {
    id: string;
    hash?: string;
    callback_id?: string;
    private_metadata?: string;
    state?: { values?: Record<string, Record<string, { selected_option?: { value?: string } | null; value?: string | null }>> };
  };
  [key: string]: unknown;
}

/** A submitted form → the button it presses (the chosen value, the text), and where it was opened from. */
export function classifyViewSubmission(payload: SlackViewSubmissionPayload): { event: InboundEvent; origin: FormOrigin } | null {
  if (payload.type !== 'view_submission' || !payload.user?.id || !payload.view?.id) return null;
  const origin = formOrigin(payload.view.private_metadata);
  if (!origin) return null;
  const values = payload.view.state?.values ?? {};
  const choice = values[CHOICE_BLOCK]?.[CHOICE_BLOCK]?.selected_option?.value ?? '';
  const text = values[TEXT_BLOCK]?.[TEXT_BLOCK]?.value ?? '';
  const channel = origin.channel ?? '';
  return {
    origin,
    event: {
      platform: 'slack',
      deliveryId: `slack:view:${payload.trigger_id ?? `${payload.view.id}:${payload.view.hash ?? ''}`}`,
      kind: 'button',
      button: { action: origin.action, value: choice },
      sender: { id: payload.user.id, name: payload.user.name || payload.user.username || payload.user.id },
      chat: { id: channel, isDirect: isDirectChannel(channel) },
      text: (text ?? '').trim(),
    },
  };
}

/** The parts of a message shortcut payload (message_action) we read. */
export interface SlackMessageShortcutPayload {
  type: string;
  callback_id?: string;
  trigger_id?: string;
  action_ts?: string;
  user: { id: string; username?: string; name?: string };
  channel?: { id: string; name?: string };
  message?: { ts?: string; thread_ts?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The "Switchboard actions" shortcut on a message → the conversation of its thread asks for its buttons. */
export function classifyMessageShortcut(payload: SlackMessageShortcutPayload, action: string): InboundEvent | null {
  if (payload.type !== 'message_action' || !payload.user?.id || !payload.channel?.id || !payload.message?.ts) return null;
  const key = payload.trigger_id || payload.action_ts;
  if (!key) return null;
  return {
    platform: 'slack',
    deliveryId: `slack:shortcut:${key}`,
    kind: 'button',
    button: { action, value: '' },
    sender: { id: payload.user.id, name: payload.user.name || payload.user.username || payload.user.id },
    chat: { id: payload.channel.id, isDirect: isDirectChannel(payload.channel.id, payload.channel.name) },
    messageId: payload.message.ts,
    // the thread's parent is the conversation's notice; a message outside any thread is its own parent
    threadId: payload.message.thread_ts ?? payload.message.ts,
    text: '',
  };
}
