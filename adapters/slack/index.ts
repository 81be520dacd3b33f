import type { Router } from 'express';
import type { ChannelAdapter, ChannelStateReporter, Intake, Logger, Metrics, ReconnectBackoff, SwitchboardApi } from '../../src/core/index.js';
import { BoltSlackAdapter } from './slack-adapter.js';

/** The Slack channel adapter; `router` handles POST /slack/events and must be mounted before express.json(). */
export interface SlackAdapter extends ChannelAdapter {
  readonly router: Router;
}

export interface CreateSlackAdapterOptions {
  botToken: string;
  signingSecret: string;
  /** SLACK_API_URL: Web API base URL (default https://slack.com/api/). */
  apiUrl?: string | undefined;
  core: Pick<SwitchboardApi, 'handleInbound'>;
  logger: Logger;
  metrics: Metrics;
  /** Timeout of one Web API request, auth.test at start included (default 3 s). */
  requestTimeoutMs?: number;
  reconnect?: ReconnectBackoff | undefined;
  /** Told the connection's state; see SlackAdapterOptions.onState. */
  onState?: ChannelStateReporter | undefined;
  /** Durable intake for message events; see SlackAdapterOptions.intake. */
  intake?: Intake | undefined;
}

/** Builds the adapter without touching the network; start() asks Slack who the bot is (auth.test). */
export function createSlackAdapter(opts: CreateSlackAdapterOptions): SlackAdapter {
  return new BoltSlackAdapter(opts);
}

export { ACTIONS_SHORTCUT_ID, HOME_OPENED_EVENT, BoltSlackAdapter, SLACK_BODY_LIMIT_BYTES, SLACK_EVENTS_PATH, type SlackAdapterOptions } from './slack-adapter.js';
export { classifyBlockAction, classifyMessageEvent, classifySlashCommand } from './classify-event.js';
export { toChannelError } from './errors.js';
export { SLACK_CAPABILITIES } from './capabilities.js';
