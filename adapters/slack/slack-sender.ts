import type { webApi } from '@slack/bolt';
import type { Answer, Button, Form, Logger, OutboundMessage, SentRef } from '../../src/core/index.js';
import { formView, type FormOrigin } from './views.js';
import { renderMessage } from './blocks.js';
import { fromSlackText } from './mrkdwn.js';
import { authFailureOf, callWithRetry as callSlack, type RateLimitPolicy, DEFAULT_RATE_LIMIT_POLICY, toChannelError } from './errors.js';

type WebClient = webApi.WebClient;

/** Slack user ids (U…, W…) are sent to through a DM the app opens; everything else is a channel id. */
export function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

const NAME_TTL_MS = 60 * 60 * 1000;
/** Thread links remembered (the oldest goes first). */
const PERMALINKS_KEPT = 10_000;
/** After a failed lookup, the id stands in for the name this long (no lookup per message). */
const FAILED_NAME_TTL_MS = 5 * 60 * 1000;

/** Everything Switchboard posts to Slack goes through here: one place that talks to the Web API. */
export class SlackSender {
  private readonly dms = new Map<string, string>();
  private readonly names = new Map<string, { name: string; until: number }>();
  /** Permalinks never change: one chat.getPermalink per message. */
  private readonly permalinks = new Map<string, string>();

  /** Called with the code when Slack refuses the token (invalid_auth, token_revoked, account_inactive, …). */
  onAuthFailure: ((code: string) => void) | null = null;
  /** Called after any call that Slack answered, so a recovered token clears a failed state. */
  onAnswered: (() => void) | null = null;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly policy: RateLimitPolicy = DEFAULT_RATE_LIMIT_POLICY,
  ) {}

  /** Every Web API call goes through here: bounded retries, and auth failures reported as such. */
  private async callWithRetry<T>(call: () => Promise<T>, policy: RateLimitPolicy): Promise<T> {
    try {
      const result = await callSlack(call, policy);
      this.onAnswered?.();
      return result;
    } catch (error) {
      const code = authFailureOf(error);
      if (code) this.onAuthFailure?.(code);
      throw error;
    }
  }

  async send(message: OutboundMessage): Promise<SentRef[]> {
    const channel = await this.resolveChannel(message.to.chatId);
    const body = renderMessage(await this.withOriginal(message), message.buttons);
    try {
      const result = await this.callWithRetry(
        () =>
          this.client.chat.postMessage({
            channel,
            ...body,
            ...(message.to.threadId ? { thread_ts: message.to.threadId } : {}),
            unfurl_links: false,
            unfurl_media: false,
          }),
        this.policy,
      );
      return [{ chatId: result.channel ?? channel, messageId: String(result.ts) }];
    } catch (error) {
      const failure = toChannelError(error);
      if (failure.failure === 'refused' && channel !== message.to.chatId) this.dms.delete(message.to.chatId);
      throw failure;
    }
  }

  /**
   * Slack files are not re-uploaded. A file a customer shared in a channel is linked (any member
   * of the workspace can open a public channel's message); otherwise the text stands alone, and
   * an empty text (a file without caption) says that a file was sent.
   */
  private async withOriginal(message: OutboundMessage): Promise<string> {
    const copy = message.copyOf;
    if (!copy || copy.platform !== 'slack') return message.text;
    const text = message.text.trim() ? message.text : '[file]';
    if (!copy.chatId.startsWith('C')) return text;
    try {
      const link = await this.callWithRetry(() => this.client.chat.getPermalink({ channel: copy.chatId, message_ts: copy.messageId }), {
        ...this.policy,
        maxAttempts: 1,
      });
      return link.permalink ? `${text}\n${link.permalink}` : text;
    } catch (error) {
      this.logger.debug({ platform: 'slack', failure: toChannelError(error).message }, 'slack permalink lookup failed');
      return text;
    }
  }

  /** An answer only `user` sees, in `channel` (and in `threadTs` when given). */
  async postEphemeral(channel: string, user: string, answer: Answer, threadTs?: string): Promise<void> {
    const body = renderMessage(answer.text, answer.buttons);
    await this.callWithRetry(
      () => this.client.chat.postEphemeral({ channel, user, ...body, ...(threadTs ? { thread_ts: threadTs } : {}) }),
      this.policy,
    );
  }

  /** Change a message the app posted (a pressed notice: its status line and buttons). */
  async update(channel: string, ts: string, text: string, buttons: readonly Button[]): Promise<void> {
    const body = renderMessage(text, buttons);
    // without buttons the blocks go too (an empty list removes them)
    await this.callWithRetry(() => this.client.chat.update({ channel, ts, ...body, blocks: body.blocks ?? [] }), this.policy);
  }

  /** Open a form as a modal with the trigger of a button or shortcut (Slack allows 3 s). */
  async openForm(triggerId: string, form: Form, origin: FormOrigin): Promise<void> {
    await this.callWithRetry(() => this.client.views.open({ trigger_id: triggerId, view: formView(form, origin) as never }), { ...this.policy, maxAttempts: 1 });
  }

  /** Show `view` as `userId`'s App Home tab. */
  async publishHome(userId: string, view: Record<string, unknown>): Promise<void> {
    await this.callWithRetry(() => this.client.views.publish({ user_id: userId, view: view as never }), this.policy);
  }

  /** A link to message `ts` in `channel` (a notice: the root of a conversation's thread), or null when Slack will not say. */
  async permalink(channel: string, ts: string): Promise<string | null> {
    const key = `${channel}:${ts}`;
    const cached = this.permalinks.get(key);
    if (cached) return cached;
    try {
      const result = await this.callWithRetry(() => this.client.chat.getPermalink({ channel, message_ts: ts }), { ...this.policy, maxAttempts: 1 });
      if (!result.permalink) return null;
      if (this.permalinks.size >= PERMALINKS_KEPT) this.permalinks.delete(this.permalinks.keys().next().value!);
      this.permalinks.set(key, result.permalink);
      return result.permalink;
    } catch (error) {
      this.logger.debug({ platform: 'slack', failure: toChannelError(error).message }, 'slack permalink lookup failed');
      return null;
    }
  }

  /** The bot's own identity (auth.test). */
  async identity(): Promise<{ botUserId: string; botId: string; teamId?: string }> {
    const result = await this.callWithRetry(() => this.client.auth.test(), this.policy);
    return { botUserId: String(result.user_id ?? ''), botId: String(result.bot_id ?? ''), teamId: result.team_id };
  }

  /**
   * The text of message `ts` in `channel` when the bot (`botId`) posted it, else null: the root of
   * a thread, read with conversations.replies (one call, asked only for a reply with no stored link).
   */
  async postedText(channel: string, ts: string, botId: string): Promise<string | null> {
    const result = await this.callWithRetry(() => this.client.conversations.replies({ channel, ts, limit: 1, inclusive: true }), { ...this.policy, maxAttempts: 1 });
    const root = result.messages?.find((m) => m.ts === ts);
    if (!root || !botId || root.bot_id !== botId || typeof root.text !== 'string') return null;
    return fromSlackText(root.text);
  }

  /** A person's display name (users.info, cached); falls back to the id when Slack will not say. */
  async displayName(userId: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached && Date.now() < cached.until) return cached.name;
    try {
      const result = await this.callWithRetry(() => this.client.users.info({ user: userId }), { ...this.policy, maxAttempts: 1 });
      const user = result.user;
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || userId;
      this.names.set(userId, { name, until: Date.now() + NAME_TTL_MS });
      return name;
    } catch (error) {
      this.names.set(userId, { name: userId, until: Date.now() + FAILED_NAME_TTL_MS });
      this.logger.warn({ platform: 'slack', user: userId, failure: toChannelError(error).message }, 'slack user name lookup failed');
      return userId;
    }
  }

  private async resolveChannel(chatId: string): Promise<string> {
    if (!isUserId(chatId)) return chatId;
    const cached = this.dms.get(chatId);
    if (cached) return cached;
    const result = await this.callWithRetry(() => this.client.conversations.open({ users: chatId }), this.policy);
    const id = result.channel?.id;
    if (!id) throw toChannelError(new Error('conversations.open returned no channel'));
    this.dms.set(chatId, id);
    return id;
  }
}
