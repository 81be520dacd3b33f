import { DEFAULT_MAX_REDIRECTS, DEFAULT_RESPONSE_TIMEOUT_SEC, StoreConflict, type Clock, type Logger, type Platform, type Store } from './core/index.js';

/**
 * A connected platform needs an inbox for customers to land in. When none exists yet, create one
 * named after the platform (Slack: direct messages to the app) so that a fresh start just works.
 */
export async function ensureDefaultInboxes(store: Store, clock: Clock, platforms: Platform[], logger: Logger): Promise<void> {
  for (const platform of platforms) {
    if (await store.findInboxForPlatform(platform)) continue;
    if (platform === 'slack' && (await anySlackInbox(store))) continue;
    try {
      await store.createInbox({
        name: platform,
        platform,
        strategy: 'round-robin',
        paused: false,
        responseTimeoutSec: DEFAULT_RESPONSE_TIMEOUT_SEC,
        maxRedirects: DEFAULT_MAX_REDIRECTS,
        createdAt: clock.now(),
      });
      logger.info({ inbox: platform, platform }, `created inbox "${platform}" for ${platform} customers; add agents with PUT /api/inboxes/${platform}/members`);
    } catch (e) {
      if (!(e instanceof StoreConflict)) throw e;
    }
  }
}

async function anySlackInbox(store: Store): Promise<boolean> {
  const page = await store.listInboxes({ limit: 1000 });
  return page.items.some((i) => i.platform === 'slack');
}
