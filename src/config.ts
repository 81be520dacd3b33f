import { z } from 'zod';

/** Every environment variable Switchboard reads, with its default. `.env.example` mirrors this list. */
const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

/** Values the README and .env.example show as examples: never accepted as a real secret. */
export const EXAMPLE_TOKENS: readonly string[] = ['change-me-to-a-long-secret'];

const url = (name: string) =>
  optionalString.refine((s) => s === undefined || /^https?:\/\/[^\s]+$/.test(s), { message: `${name} must be an http(s) URL` });

const schema = z.object({
  PORT: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? '3000' : s.trim()))
    .refine((s) => /^\d+$/.test(s) && Number(s) >= 0 && Number(s) <= 65535, { message: 'PORT must be a port number from 0 to 65535' })
    .transform(Number),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? 'info' : s.trim()))
    .refine((s) => ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(s), {
      message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  SEND_PACING: optionalString.refine((s) => s === undefined || s === 'on' || s === 'off', {
    message: "SEND_PACING must be on or off (unset: on, keeping to the platforms' send rates)",
  }),
  LOG_FORMAT: optionalString.refine((s) => s === undefined || s === 'pretty' || s === 'json', {
    message: 'LOG_FORMAT must be pretty or json (unset: pretty in a terminal, json otherwise)',
  }),
  MONGODB_CONNECT_TIMEOUT_MS: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? '10000' : s.trim()))
    .refine((s) => /^\d+$/.test(s) && Number(s) >= 100 && Number(s) <= 300_000, {
      message: 'MONGODB_CONNECT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 300000',
    })
    .transform(Number),
  ADMIN_TOKEN: optionalString
    .refine((s) => s === undefined || s.length >= 16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
    .refine((s) => s === undefined || !EXAMPLE_TOKENS.includes(s), {
      message: 'ADMIN_TOKEN is the example value from the README; set a secret of your own, e.g. the output of `openssl rand -hex 24`',
    }),
  MONGODB_URI: optionalString.refine((s) => s === undefined || /^mongodb(\+srv)?:\/\//.test(s), {
    message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://',
  }),
  PUBLIC_URL: url('PUBLIC_URL'),
  TELEGRAM_BOT_TOKEN: optionalString.refine((s) => s === undefined || /^\d+:[A-Za-z0-9_-]+$/.test(s), {
    message: 'TELEGRAM_BOT_TOKEN must look like 123456:ABC-DEF… (from BotFather)',
  }),
  // All that stops anyone from posting updates as any Telegram user: long enough not to be guessed.
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((s) => s === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(s), {
    message: 'TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and - (e.g. the output of `openssl rand -hex 24`)',
  }),
  TELEGRAM_API_ROOT: url('TELEGRAM_API_ROOT'),
  SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xoxb-'), { message: 'SLACK_BOT_TOKEN must start with xoxb-' }),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: url('SLACK_API_URL'),
  DATA_DIR: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? './data' : s.trim())),
  AGENDA_PROCESS_EVERY_MS: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? '1000' : s.trim()))
    .refine((s) => /^\d+$/.test(s) && Number(s) >= 50 && Number(s) <= 60_000, { message: 'AGENDA_PROCESS_EVERY_MS must be a whole number of milliseconds from 50 to 60000' })
    .transform(Number),
});

export interface Config {
  port: number;
  logLevel: string;
  /** Unset: pretty when stdout is a terminal, JSON otherwise. */
  logFormat?: 'pretty' | 'json' | undefined;
  /** False with SEND_PACING=off: sends do not wait for the platforms' rates (a Bot API without limits, benchmarks). */
  sendPacing?: boolean | undefined;
  /** How long the start waits for MongoDB (default 10 s). */
  mongodbConnectTimeoutMs?: number | undefined;
  adminToken?: string | undefined;
  mongodbUri?: string | undefined;
  /** Where the embedded store keeps its data (no MONGODB_URI); ':memory:' or unset keeps nothing. */
  dataDir?: string | undefined;
  publicUrl?: string | undefined;
  telegram?: { token: string; webhookSecret?: string | undefined; apiRoot?: string | undefined } | undefined;
  slack?: { botToken: string; signingSecret: string; apiUrl?: string | undefined } | undefined;
  agendaProcessEveryMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Environment → typed config. A bad value throws ConfigError naming the variable and what is allowed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
    throw new ConfigError(
      `Invalid configuration:\n  ${e.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'}: set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn Slack on, or neither`,
    );
  }
  if (e.TELEGRAM_WEBHOOK_SECRET && e.TELEGRAM_BOT_TOKEN && e.PUBLIC_URL && !e.PUBLIC_URL.startsWith('https://')) {
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: Telegram only delivers webhooks to https:// addresses; use an https URL, or unset PUBLIC_URL and register the webhook yourself');
  }
  if (e.TELEGRAM_WEBHOOK_SECRET && !e.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  TELEGRAM_WEBHOOK_SECRET: set TELEGRAM_BOT_TOKEN too, or remove the secret');
  }
  return {
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT as Config['logFormat'],
    sendPacing: e.SEND_PACING !== 'off',
    mongodbConnectTimeoutMs: e.MONGODB_CONNECT_TIMEOUT_MS,
    adminToken: e.ADMIN_TOKEN,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    telegram: e.TELEGRAM_BOT_TOKEN
      ? { token: e.TELEGRAM_BOT_TOKEN, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, apiRoot: e.TELEGRAM_API_ROOT }
      : undefined,
    slack: e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, apiUrl: e.SLACK_API_URL } : undefined,
    agendaProcessEveryMs: e.AGENDA_PROCESS_EVERY_MS,
  };
}
