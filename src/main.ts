import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { buildApp, SHUTDOWN_DEADLINE_MS } from './app.js';
import { DataDirError } from './store/embedded/data-dir-error.js';
import { describeDataDir } from './store/embedded/describe.js';
import { createLogger } from './logger.js';
import { startErrorLine } from './start-errors.js';

/** Composition root: configuration, logging, the app, signals. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, isTTY: process.stdout.isTTY });
  let built;
  try {
    built = await buildApp(config, { logger });
  } catch (e) {
    if (e instanceof DataDirError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const parts = built.describe();
  if (parts.store === 'mongodb') {
    logger.info({ store: 'mongodb' }, 'store: MongoDB (MONGODB_URI); delayed jobs on Agenda in the same database');
  } else if (built.dataDir) {
    const { dir, created, counts } = built.dataDir;
    logger.info(
      { store: 'embedded', dataDir: dir, created, records: counts },
      `store: embedded, data in ${dir} (DATA_DIR; MONGODB_URI not set): ${describeDataDir(created, counts)}; kept across restarts`,
    );
  } else {
    logger.info(
      { store: 'memory' },
      'store: in memory (DATA_DIR=:memory:): data and scheduled jobs live only while this process runs and are lost on restart; unset DATA_DIR or set MONGODB_URI to keep them',
    );
  }
  // Configured platforms connect in the background once HTTP listens; "connected" or "failed" is
  // logged when known (and shown in /readyz and switchboard_platform_state).
  logger.info(
    { platform: 'telegram', state: parts.telegram === 'off' ? 'off' : 'connecting' },
    parts.telegram === 'off' ? 'telegram: off (set TELEGRAM_BOT_TOKEN to turn it on)' : `telegram: connecting (${parts.telegram})…`,
  );
  logger.info(
    { platform: 'slack', state: parts.slack === 'off' ? 'off' : 'connecting' },
    parts.slack === 'off' ? 'slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)' : 'slack: connecting (events at POST /slack/events)…',
  );
  logger.info(
    { adminApi: parts.adminApi },
    parts.adminApi === 'off' ? 'admin API: off (set ADMIN_TOKEN to turn it on; /api/* answers 404)' : 'admin API: on under /api (Authorization: Bearer $ADMIN_TOKEN)',
  );
  const url = await built.listen(config.port);
  logger.info({ port: config.port, url }, `switchboard listening on port ${config.port}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new updates; finishing what is being handled and sent (the rest is kept for the next start), then closing');
    const timer = setTimeout(() => {
      logger.error({}, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS + 5_000);
    timer.unref();
    try {
      await built.close();
      logger.info({}, 'stopped');
      process.exit(0);
    } catch (e) {
      logger.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e: unknown) => {
  // Expected failures (port in use, MongoDB not answering, …) are one line naming what to change.
  process.stderr.write(`Switchboard could not start: ${startErrorLine(e, process.env)}\n`);
  process.exit(1);
});
