import type { InboxView, ListQuery } from '../api.js';
import type { Inbox, InboxPatch } from '../model/inbox.js';
import { CHANNEL_INBOXES, DEFAULT_MAX_REDIRECTS, DEFAULT_RESPONSE_TIMEOUT_SEC } from '../model/inbox.js';
import { ADMIN_API_ACTOR, type Platform } from '../model/agent.js';
import { err, ok, type Result } from '../errors.js';
import { StoreConflict, type Page, type Store } from '../ports/store.js';
import { notifyChange, type AdminDeps } from './deps.js';
import { agentNotFound } from './agent-errors.js';
import { INBOX_NAME_HINT } from './hints.js';
import { inboxInputSchema, inboxPatchSchema } from './schemas.js';
import { parseBody } from './validate.js';
import { parsePage } from './paging.js';
import { inboxView } from './views.js';

const INBOX_SHAPE =
  'send {"name", "platform"} and optionally slackChannelId, strategy, paused, responseTimeoutSec, maxRedirects, fallbackAgent';
const INBOX_PATCH_SHAPE = 'send any of slackChannelId, strategy, paused, responseTimeoutSec, maxRedirects, fallbackAgent';

export function inboxNotFound(name: string, field = 'name'): Result<never> {
  return err('inbox_not_found', `No inbox "${name}": create it with POST /api/inboxes or list inboxes with GET /api/inboxes.`, field);
}

export async function loadInboxView(store: Store, inbox: Inbox): Promise<InboxView> {
  const members = await store.listMembers(inbox.name);
  return inboxView(inbox, members.map((m) => m.handle));
}

/** A fallback agent must exist and not be removed. */
async function checkFallback(store: Store, handle: string | null | undefined): Promise<Result<void>> {
  if (handle == null) return ok(undefined);
  const agent = await store.getAgent(handle);
  if (!agent) return agentNotFound(handle, 'fallbackAgent');
  if (agent.status === 'removed') {
    return err('conflict', `@${handle} was removed: choose another fallbackAgent, or null for none.`, 'fallbackAgent');
  }
  return ok(undefined);
}

const platformName = (p: Platform): string => p.charAt(0).toUpperCase() + p.slice(1);

/** Customers reach an inbox by platform (and Slack channel): two inboxes on one entry point would never both receive. */
async function checkEntryPoint(store: Store, platform: Inbox['platform'], slackChannelId: string | undefined, except?: string): Promise<Result<void>> {
  const existing = await store.findInboxForPlatform(platform, CHANNEL_INBOXES[platform] ? slackChannelId : undefined);
  if (!existing || existing.name === except) return ok(undefined);
  if (!CHANNEL_INBOXES[platform]) {
    return err('conflict', `Inbox "${existing.name}" already receives the bot's ${platformName(platform)} chats: use it, or change it with PATCH /api/inboxes/${existing.name}.`, 'platform');
  }
  const where = slackChannelId ? `Slack channel ${slackChannelId}` : 'direct messages to the Slack app';
  return err('conflict', `Inbox "${existing.name}" already receives ${where}: send another slackChannelId.`, 'slackChannelId');
}

export async function createInbox(deps: AdminDeps, input: unknown): Promise<Result<InboxView>> {
  const parsed = parseBody(inboxInputSchema, input, { shape: INBOX_SHAPE, hints: { name: INBOX_NAME_HINT } });
  if (!parsed.ok) return parsed;
  const i = parsed.value;
  if (!CHANNEL_INBOXES[i.platform] && i.slackChannelId != null) {
    return err('invalid_argument', `slackChannelId is only for Slack inboxes: leave it out for a ${platformName(i.platform)} inbox.`, 'slackChannelId');
  }
  const fallback = await checkFallback(deps.store, i.fallbackAgent);
  if (!fallback.ok) return fallback;
  if (await deps.store.getInbox(i.name)) {
    return err('conflict', `Inbox "${i.name}" already exists: choose another name.`, 'name');
  }
  const entry = await checkEntryPoint(deps.store, i.platform, i.slackChannelId ?? undefined);
  if (!entry.ok) return entry;
  let inbox: Inbox;
  try {
    inbox = await deps.store.createInbox({
      name: i.name,
      platform: i.platform,
      slackChannelId: i.slackChannelId ?? undefined,
      strategy: i.strategy ?? 'round-robin',
      paused: i.paused ?? false,
      responseTimeoutSec: i.responseTimeoutSec ?? DEFAULT_RESPONSE_TIMEOUT_SEC,
      maxRedirects: i.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
      fallbackAgent: i.fallbackAgent ?? undefined,
      createdAt: deps.clock.now(),
    });
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error;
    return err('conflict', `Inbox "${i.name}" already exists: choose another name.`, 'name');
  }
  deps.logger.info({ inbox: inbox.name, platform: inbox.platform }, 'inbox created');
  return ok(await loadInboxView(deps.store, inbox));
}

export async function getInbox(deps: AdminDeps, name: string): Promise<Result<InboxView>> {
  const inbox = await deps.store.getInbox(name);
  if (!inbox) return inboxNotFound(name);
  return ok(await loadInboxView(deps.store, inbox));
}

export async function listInboxes(deps: AdminDeps, query: ListQuery): Promise<Result<Page<InboxView>>> {
  const page = parsePage(query, 'inbox');
  if (!page.ok) return page;
  const inboxes = await deps.store.listInboxes(page.value);
  const items = await Promise.all(inboxes.items.map((i) => loadInboxView(deps.store, i)));
  return ok({ items, next: inboxes.next });
}

export async function updateInbox(deps: AdminDeps, name: string, input: unknown): Promise<Result<InboxView>> {
  const parsed = parseBody(inboxPatchSchema, input, {
    shape: INBOX_PATCH_SHAPE,
    refused: {
      name: 'name cannot change: create a new inbox with POST /api/inboxes instead.',
      platform: 'platform cannot change: create a new inbox with POST /api/inboxes instead.',
    },
  });
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const current = await deps.store.getInbox(name);
  if (!current) return inboxNotFound(name);
  if (p.slackChannelId !== undefined) {
    if (!CHANNEL_INBOXES[current.platform] && p.slackChannelId !== null) {
      return err('invalid_argument', `slackChannelId is only for Slack inboxes: leave it out for a ${platformName(current.platform)} inbox.`, 'slackChannelId');
    }
    const entry = await checkEntryPoint(deps.store, current.platform, p.slackChannelId ?? undefined, name);
    if (!entry.ok) return entry;
  }
  const fallback = await checkFallback(deps.store, p.fallbackAgent);
  if (!fallback.ok) return fallback;

  const patch: InboxPatch = {};
  for (const [key, value] of Object.entries(p)) {
    if (value === undefined) continue;
    (patch as Record<string, unknown>)[key] = value === null ? undefined : value;
  }
  const updated = await deps.store.updateInbox(name, patch);
  if (!updated) return inboxNotFound(name);
  deps.logger.info({ inbox: name, fields: Object.keys(patch) }, 'inbox updated');
  const resumed = current.paused && !updated.paused;
  if (resumed || current.strategy !== updated.strategy) await notifyChange(deps, 'inbox', name);
  return ok(await loadInboxView(deps.store, updated));
}

/** DELETE /api/inboxes/:name: only an inbox without open conversations; its closed ones and history stay. */
export async function deleteInbox(deps: AdminDeps, name: string): Promise<Result<{ name: string; deleted: true }>> {
  const outcome = await deps.store.deleteInbox(name);
  if (outcome === 'not_found') return err('inbox_not_found', `No inbox "${name}". GET /api/inboxes lists them.`);
  if (outcome === 'has_open') {
    return err(
      'conflict',
      `Inbox "${name}" still has open conversations: close or transfer them first (GET /api/conversations?inbox=${name} lists them).`,
    );
  }
  deps.logger.info({ inbox: name, actor: ADMIN_API_ACTOR }, 'inbox deleted');
  return ok({ name, deleted: true });
}
