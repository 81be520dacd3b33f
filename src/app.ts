import type { Server } from 'node:http';
import express from 'express';
import {
  Intake,
  PLATFORMS,
  Switchboard,
  randomCode,
  systemClock,
  type ChannelAdapter,
  type Clock,
  type Logger,
  type Platform,
  type ReconnectBackoff,
  type Store,
  type SwitchboardApi,
  type Timers,
} from './core/index.js';
import type { Config } from './config.js';
import { MemoryStore } from './store/memory/memory-store.js';
import { AgendaScheduler } from './scheduler/agenda-scheduler.js';
import { createMemoryAgendaBackend } from './scheduler/memory-backend.js';
import { IN_MEMORY, openDataDir, type DataDir } from './store/embedded/data-dir.js';
import { createHttpRouter } from './http/router.js';
import { requireTokenOrBasic } from './http/auth.js';

export const JOBS_DASHBOARD_PATH = '/admin/jobs';
import { PromMetrics } from './http/metrics.js';
// Platforms, MongoDB and the jobs dashboard are loaded only when configured: each SDK costs
// tens of MB of memory in a process that does not use it.
import type { TelegramAdapter } from '../adapters/telegram/index.js';
import type { SlackAdapter } from '../adapters/slack/index.js';
import { ensureDefaultInboxes } from './default-inboxes.js';
import { PlatformStates, type PlatformStateView } from './platform-states.js';

export interface BuildOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Use this store instead of the one the config names (tests). */
  store?: Store;
  /** Deadline of each platform start-up call (default: each adapter's own, 10 s for Telegram). */
  platformStartTimeoutMs?: number;
  /** Wait between a platform's start attempts (default 2 s doubling up to 60 s). */
  platformReconnect?: ReconnectBackoff;
  /** Keep to the platforms' send rates (default true; tests that send many messages in real time turn it off). */
  pacing?: boolean;
  /** How often the intake looks for kept updates nobody handles (default 2 s). */
  intakeSweepMs?: number;
  /** How long a process holds a chat's lane before another may take it, e.g. after a crash (default 30 s). */
  intakeLeaseMs?: number;
  /** Timers of debounced work (App Home refreshes); tests move them on instead of waiting. */
  timers?: Timers;
  /** How long changes gather before home views are refreshed (default 2 s). */
  homeDebounceMs?: number;
}

/** The whole stop (intake, outbox, platforms, scheduler, store) fits in this; main's forced exit comes 5 s later. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

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
  /** Each platform's connection state (also in /readyz and the switchboard_platform_state metric). */
  platforms(): Record<string, PlatformStateView>;
  /**
   * Start the scheduler and listen; resolves to the base URL as soon as HTTP is served. Platforms
   * then start in the background, and unfinished offboardings resume (see `started`).
   */
  listen(port?: number): Promise<string>;
  /** Resolves once every platform's first start attempt has settled and offboardings were resumed. */
  started(): Promise<void>;
  ready(): Promise<boolean>;
  /** The durable intake (updates kept before they are acknowledged). */
  intake: Intake;
  /**
   * Stop within `deadlineMs`: take no new updates (503), let those being handled finish (the rest
   * stay kept for the next start), let sends in flight finish (the rest stay in the outbox), then
   * close HTTP, the platforms, the scheduler and the store.
   */
  close(deadlineMs?: number): Promise<void>;
}

/** Resolves when `work` does or after `ms`, whichever comes first. */
function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([work.then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
}

const noopLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** The composition root's building block: every implementation is chosen and wired here. */
export async function buildApp(config: Config, overrides: BuildOverrides = {}): Promise<BuiltApp> {
  const logger = overrides.logger ?? noopLogger;
  const clock = overrides.clock ?? systemClock;
  const metrics = new PromMetrics();
  const states = new PlatformStates({ logger, onChange: (platform, state) => metrics.setPlatformState(platform, state) });
  for (const platform of PLATFORMS) states.declare(platform, 'off');

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
    const { createMongoAgendaBackend } = await import('./scheduler/mongo-backend.js');
    const timeoutMs = config.mongodbConnectTimeoutMs ?? 10_000;
    logger.info({ store: 'mongodb', timeoutMs }, `connecting to MongoDB (giving up after ${timeoutMs} ms, MONGODB_CONNECT_TIMEOUT_MS)…`);
    const mongo = await connectMongoStore(config.mongodbUri, { logger, serverSelectionTimeoutMS: timeoutMs });
    store = mongo;
    storeLabel = 'mongodb';
    agendaBackend = createMongoAgendaBackend(mongo.db());
  } else if (config.dataDir && config.dataDir !== IN_MEMORY) {
    dataDir = await openDataDir(config.dataDir);
    store = dataDir.store;
    storeLabel = 'embedded';
    agendaBackend = createMemoryAgendaBackend(dataDir.jobs, dataDir.dir);
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
  const intake = new Intake({ store, clock, logger, metrics, sweepMs: overrides.intakeSweepMs, leaseMs: overrides.intakeLeaseMs });
  core = new Switchboard({
    pace: overrides.pacing ?? config.sendPacing ?? true,
    store,
    scheduler,
    clock,
    logger,
    metrics,
    channels,
    newCode: randomCode,
    inviteLink: (code) => telegram?.startLink(code) ?? null,
    timers: overrides.timers,
    homeDebounceMs: overrides.homeDebounceMs,
  });

  if (config.telegram) {
    const { createTelegramAdapter } = await import('../adapters/telegram/index.js');
    telegram = createTelegramAdapter({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      webhookSecret: config.telegram.webhookSecret,
      publicUrl: config.publicUrl,
      core,
      logger,
      metrics,
      startTimeoutMs: overrides.platformStartTimeoutMs,
      reconnect: overrides.platformReconnect,
      onState: states.reporter('telegram'),
      intake,
    });
    channels.set('telegram', telegram);
    states.declare('telegram', 'connecting');
  }
  let slack: SlackAdapter | null = null;
  if (config.slack) {
    const { createSlackAdapter } = await import('../adapters/slack/index.js');
    slack = createSlackAdapter({
      ...config.slack,
      core,
      logger,
      metrics,
      ...(overrides.platformStartTimeoutMs ? { requestTimeoutMs: overrides.platformStartTimeoutMs } : {}),
      reconnect: overrides.platformReconnect,
      onState: states.reporter('slack'),
      intake,
    });
    channels.set('slack', slack);
    states.declare('slack', 'connecting');
  }

  const app = express();
  app.disable('x-powered-by');
  // Platform routes first: they read the raw body (signatures) before any JSON parser.
  if (slack) app.use(slack.router);
  if (telegram?.router) app.use(telegram.router);
  const ready = async (): Promise<boolean> => scheduler.ready() && (await store.ping());
  // The jobs dashboard (Agendash) behind the admin token; without a token it is off like /api.
  if (config.adminToken) {
    // Agendash is loaded on the first visit (about 15 MB of memory a process may never need)
    let dashboard: Promise<express.Router> | null = null;
    app.use(
      JOBS_DASHBOARD_PATH,
      requireTokenOrBasic(config.adminToken),
      // its pages load ./assets/…: they need the trailing slash
      (req, res, next) => (req.originalUrl === JOBS_DASHBOARD_PATH ? res.redirect(301, `${JOBS_DASHBOARD_PATH}/`) : next()),
      (req, res, next) => {
        dashboard ??= import('./scheduler/dashboard.js').then(({ createJobsDashboard }) => createJobsDashboard(scheduler));
        dashboard.then((router) => router(req, res, next), next);
      },
    );
  }
  metrics.gauge('outbox_waiting', 'Messages kept in the outbox that wait to be sent again', () => core.deps.courier.waiting());
  metrics.gauge('intake_waiting', 'Acknowledged updates kept and not handled yet', () => store.countIntake());
  app.use(createHttpRouter({ core, adminToken: config.adminToken, ready, platforms: () => states.snapshot(), metrics, logger }));

  let server: Server | null = null;
  let started: Promise<void> = Promise.resolve();

  /** Each platform on its own: one that hangs or is refused never holds back the other. */
  const startPlatforms = async (): Promise<void> => {
    await Promise.all(
      [...channels.values()].map((channel) =>
        channel.start().catch((e: unknown) => {
          // The adapter has reported (and logged) `failed` with the variable to fix; an adapter that
          // does not report gets it said here.
          if (states.get(channel.platform).state !== 'failed') {
            states.reporter(channel.platform)('failed', e instanceof Error ? e.message : String(e));
          }
        }),
      ),
    );
    const resumed = await core.resumeOffboardings();
    if (resumed > 0) logger.info({ resumed }, 'resumed unfinished offboardings');
  };
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
    platforms: () => states.snapshot(),
    async listen(port = config.port) {
      await ensureDefaultInboxes(store, clock, [...channels.keys()], logger);
      // Counts first: a slot a stopped process had taken for a move it never made would make its
      // agent look busier than they are to every timer, kept update and offboarding resumed below.
      const repaired = await core.reconcile();
      if (repaired.corrected > 0) logger.info({ ...repaired }, 'start-up reconciliation corrected open-conversation counts');
      await scheduler.start();
      // messages and updates left from before the last stop go first, in their order
      await core.deps.courier.start();
      await intake.start();
      await new Promise<void>((resolve, reject) => {
        const s = app.listen(port, '0.0.0.0', (e?: Error) => (e ? reject(e) : resolve()));
        s.once('error', reject);
        server = s;
      });
      started = startPlatforms().catch((e: unknown) => logger.error({ err: e }, 'start of platforms failed'));
      const address = server!.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      return `http://127.0.0.1:${actual}`;
    },
    started: () => started,
    ready,
    intake,
    async close(deadlineMs = SHUTDOWN_DEADLINE_MS) {
      const end = Date.now() + deadlineMs;
      const left = (share: number) => Math.max(0, Math.floor((end - Date.now()) * share));
      // 1. no new updates: the webhook answers 503 and polling stops (Telegram and Slack deliver again later)
      const taking = intake.stop(left(0.4));
      for (const channel of channels.values()) await withDeadline(channel.stop(), left(0.3)).catch((e: unknown) => logger.warn({ err: e }, 'adapter stop failed'));
      // 2. acknowledged updates being handled finish; the others stay kept for the next start
      const kept = await taking;
      if (!kept.finished || kept.left > 0) logger.warn({ left: kept.left }, 'stopping with acknowledged updates kept: they are handled at the next start');
      // 3. sends in flight finish; what waits stays in the outbox
      await core.deps.courier.stop(left(0.5));
      const waiting = await core.deps.courier.waiting().catch(() => -1);
      if (waiting > 0) logger.info({ waiting }, 'messages waiting in the outbox are sent after the next start');
      // 4. connections, the scheduler, the store
      if (server) {
        const s = server as Server;
        s.closeAllConnections?.();
        await withDeadline(new Promise<void>((resolve) => s.close(() => resolve())), left(0.5));
      }
      core.dispose();
      await withDeadline(scheduler.stop(), left(0.7)).catch((e: unknown) => logger.warn({ err: e }, 'scheduler stop failed'));
      await store.close();
    },
  };
}
