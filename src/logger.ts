import { pino, type Logger as PinoLogger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Unset: pretty when stdout is a terminal, JSON otherwise. */
  format?: 'pretty' | 'json' | undefined;
  /** Whether stdout is a terminal (process.stdout.isTTY). */
  isTTY?: boolean | undefined;
  /** JSON only: write here instead of stdout. */
  destination?: NodeJS.WritableStream | undefined;
}

/** True when the log is for a person at a terminal rather than for a log collector. */
export function wantsPretty(options: Pick<LoggerOptions, 'format' | 'isTTY'>): boolean {
  return options.format === 'pretty' || (options.format === undefined && options.isTTY === true);
}

/**
 * pino with ISO 8601 times: one JSON object a line for collectors, or pino-pretty's readable lines
 * (`LOG_FORMAT=pretty`, or a terminal) with the same fields.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  const base = { level: options.level, base: { service: 'switchboard' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (!wantsPretty(options)) return options.destination ? pino(base, options.destination) : pino(base);
  return pino({
    ...base,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'", ignore: 'pid,hostname,service', singleLine: true },
    },
  });
}
