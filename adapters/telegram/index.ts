import { TelegramChannel, type TelegramAdapter, type TelegramAdapterOptions } from './telegram-adapter.js';

export type { TelegramAdapter, TelegramAdapterOptions } from './telegram-adapter.js';
export { classifyUpdate } from './classify-update.js';
export { WEBHOOK_PATH } from './webhook-router.js';

/**
 * The Telegram channel: webhook router (when a webhook secret is set) or long polling, sending
 * through the Bot API with classified errors. Register it as the core's 'telegram' channel, mount
 * `router` (if not null) at the app root before express.json(), then call start().
 */
export function createTelegramAdapter(opts: TelegramAdapterOptions): TelegramAdapter {
  return new TelegramChannel(opts);
}
export { TELEGRAM_CAPABILITIES } from './capabilities.js';
