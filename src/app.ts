import type { Server } from 'node:http';
import express from 'express';
import {
  Switchboard,
  randomCode,
  systemClock,
  type ChannelAdapter,
  type Clock,
  type Logger,
  type Platform,
  type Store,
  type SwitchboardApi,
} from './core/index.js';
import type { Config } from './config.js';
import { MemoryStore } from './store/memory/memory-store.js';
import { AgendaScheduler } from './scheduler/agenda-scheduler.js';
import { createMemoryAgendaBackend } from './scheduler/memory-backend.js';
import { createMongoAgendaBackend } from './scheduler/mongo-backend.js';
import { IN_MEMORY, openDataDir, type DataDir } from './store/embedded/data-dir.js';
import { createHttpRouter } from './http/router.js';
import { PromMetrics } from './http/metrics.js';
import { createTelegramAdapter, type TelegramAdapter } from '../adapters/telegram/index.js';
import { createSlackAdapter, type SlackAdapter } from '../adapters/slack/index.js';
import { ensureDefaultInboxes } from './default-inboxes.js';

export interface BuildOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Use this store instead of the one the config names (tests). */
  store?: Store;
}

export interface BuiltApp {
  app: express.Express;
  core: SwitchboardApi;
  store: Store;
  scheduler: AgendaScheduler;
  metrics: PromMetrics;
  /** The adapter of a platform, when it is configured. */
  channel(platform: Platform): ChannelAdapter | undefined;
  /** What runs, for the start log. */
  describe(): Record<string, string>;
  /** The embedded store's data directory (null with MongoDB, DATA_DIR=:memory: or a given store). */
  dataDir: Pick<DataDir, 'dir' | 'created' | 'counts'> | null;
  /** Start scheduler and adapters, resume unfinished offboardings, listen; resolves to the base URL. */
  listen(port?: number): Promise<string>;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

const noopLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** The composition root's building block: every implementation is chosen and wired here. */
export async function buildApp(config: Config, overrides: BuildOverrides = {}): Promise<BuiltApp> {
  const logger = overrides.logger ?? noopLogger;
  const clock = overrides.clock ?? systemClock;
  const metrics = new PromMetrics();

  let store: Store;
  let storeLabel: string;
  let agendaBackend;
  let dataDir: DataDir | null = null;
  if (overrides.store) {
    store = overrides.store;
    storeLabel = 'given';
    agendaBackend = createMemoryAgendaBackend();
  } else if (config.mongodbUri) {
    const { connectMongoStore } = await import('./store/mongo/index.js');
    const mongo = await connectMongoStore(config.mongodbUri, { logger });
    store = mongo;
    storeLabel = 'mongodb';
    agendaBackend = createMongoAgendaBackend(mongo.db());
  } else if (config.dataDir && config.dataDir !== IN_MEMORY) {
    dataDir = await openDataDir(config.dataDir);
    store = dataDir.store;
    storeLabel = 'embedded';
    agendaBackend = createMemoryAgendaBackend(dataDir.jobs);
  } else {
    store = new MemoryStore();
    storeLabel = 'memory';
    agendaBackend = createMemoryAgendaBackend();
  }

  const channels = new Map<Platform, ChannelAdapter>();
  let telegram: TelegramAdapter | null = null;
  // eslint-disable-next-line prefer-const
  let core: Switchboard;
  const scheduler = new AgendaScheduler({
    backend: agendaBackend,
    handler: (name, data) => core.runJob(name, data),
    processEveryMs: config.agendaProcessEveryMs,
    logger,
  });
  core = new Switchboard({
    store,
    scheduler,
    clock,
    logger,
    metrics,
    channels,
    newCode: randomCode,
    inviteLink: (code) => telegram?.startLink(code) ?? null,
  });

  if (config.telegram) {
    telegram = createTelegramAdapter({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      webhookSecret: config.telegram.webhookSecret,
      publicUrl: config.publicUrl,
      core,
      logger,
      metrics,
    });
    channels.set('telegram', telegram);
  }
  let slack: SlackAdapter | null = null;
  if (config.slack) {
    slack = createSlackAdapter({ ...config.slack, core, logger, metrics });
    channels.set('slack', slack);
  }

  const app = express();
  app.disable('x-powered-by');
  // Platform routes first: they read the raw body (signatures) before any JSON parser.
  if (slack) app.use(slack.router);
  if (telegram?.router) app.use(telegram.router);
  const ready = async (): Promise<boolean> => scheduler.ready() && (await store.ping());
  app.use(createHttpRouter({ core, adminToken: config.adminToken, ready, metrics, logger }));

  let server: Server | null = null;
  return {
    app,
    core,
    store,
    scheduler,
    metrics,
    dataDir: dataDir && { dir: dataDir.dir, created: dataDir.created, counts: dataDir.counts },
    channel: (platform) => channels.get(platform),
    describe: () => ({
      store: storeLabel,
      telegram: telegram ? (telegram.router ? 'webhook' : 'polling') : 'off',
      slack: slack ? 'on' : 'off',
      adminApi: config.adminToken ? 'on' : 'off',
    }),
    async listen(port = config.port) {
      await ensureDefaultInboxes(store, clock, [...channels.keys()], logger);
      await scheduler.start();
      for (const channel of channels.values()) await channel.start();
      const resumed = await core.resumeOffboardings();
      if (resumed > 0) logger.info({ resumed }, 'resumed unfinished offboardings');
      const repaired = await core.reconcile();
      if (repaired.corrected > 0) logger.info({ ...repaired }, 'start-up reconciliation corrected open-conversation counts');
      await new Promise<void>((resolve, reject) => {
        server = app.listen(port, '0.0.0.0', (e?: Error) => (e ? reject(e) : resolve()));
      });
      const address = server!.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://127.0.0.1:${actual}`;
    },
    ready,
    async close() {
      if (server) {
        const s = server as Server;
        s.closeAllConnections?.();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      for (const channel of channels.values()) await channel.stop().catch((e: unknown) => logger.warn({ err: e }, 'adapter stop failed'));
      await scheduler.stop();
      await store.close();
    },
  };
}
