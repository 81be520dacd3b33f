import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/core/index.js';

/** Bolt and the Web API client log through our Logger (pino-compatible), tagged platform=slack. */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let name = 'bolt';
  const fields = () => ({ platform: 'slack', component: name });
  const line = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : safeJson(m))).join(' ');
  return {
    // Bolt's debug output contains request bodies (message text): keep it at debug.
    debug: (...msg: unknown[]) => logger.debug(fields(), line(msg)),
    info: (...msg: unknown[]) => logger.info(fields(), line(msg)),
    warn: (...msg: unknown[]) => logger.warn(fields(), line(msg)),
    error: (...msg: unknown[]) => logger.error(fields(), line(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
