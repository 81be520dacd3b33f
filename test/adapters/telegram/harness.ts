import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { CounterName, InboundEvent, InboundResult, Logger, Metrics, SwitchboardApi } from '../../../src/core/index.js';
import { createTelegramAdapter, type TelegramAdapter } from '../../../adapters/telegram/index.js';
import type { RetryPolicy } from '../../../adapters/telegram/retry.js';
import { startFakeTelegramApi, type FakeTelegramApi, type FakeTelegramApiOptions } from '../../fakes/telegram-api.js';

/** Stands in for the core: records handleInbound calls and answers as the test says. */
export class RecordingCore {
  readonly events: InboundEvent[] = [];
  respond: (event: InboundEvent) => InboundResult | Promise<InboundResult> = () => ({ duplicate: false });

  asApi(): SwitchboardApi {
    return new Proxy({} as SwitchboardApi, {
      get: (_target, name) => {
        if (name === 'handleInbound') return (event: InboundEvent) => this.handleInbound(event);
        return () => {
          throw new Error(`RecordingCore: ${String(name)} is not used by the Telegram adapter`);
        };
      },
    });
  }

  private async handleInbound(event: InboundEvent): Promise<InboundResult> {
    this.events.push(event);
    return this.respond(event);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  info = (fields: Record<string, unknown>, message: string) => void this.lines.push({ level: 'info', fields, message });
  warn = (fields: Record<string, unknown>, message: string) => void this.lines.push({ level: 'warn', fields, message });
  error = (fields: Record<string, unknown>, message: string) => void this.lines.push({ level: 'error', fields, message });
  debug = (fields: Record<string, unknown>, message: string) => void this.lines.push({ level: 'debug', fields, message });
}

export class RecordingMetrics implements Metrics {
  readonly counts: { name: CounterName; labels: Record<string, string> | undefined }[] = [];
  inc(name: CounterName, labels?: Record<string, string>): void {
    this.counts.push({ name, labels });
  }
  observeRouting(): void {}
  count(name: CounterName): number {
    return this.counts.filter((c) => c.name === name).length;
  }
}

export const SECRET = 'webhook-secret_0123456789';

export interface Harness {
  api: FakeTelegramApi;
  core: RecordingCore;
  logger: RecordingLogger;
  metrics: RecordingMetrics;
  adapter: TelegramAdapter;
  /** Base URL of the express app the router is mounted on (webhook mode only). */
  baseUrl: string;
  postUpdate(update: object, secret?: string | null): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  webhook?: boolean;
  publicUrl?: string;
  apiOptions?: FakeTelegramApiOptions;
  apiRoot?: (api: FakeTelegramApi) => string;
  retry?: RetryPolicy;
  requestTimeoutMs?: number;
  start?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const api = await startFakeTelegramApi(options.apiOptions);
  const core = new RecordingCore();
  const logger = new RecordingLogger();
  const metrics = new RecordingMetrics();
  const adapter = createTelegramAdapter({
    token: api.token,
    apiRoot: options.apiRoot ? options.apiRoot(api) : api.apiRoot,
    webhookSecret: options.webhook === false ? undefined : SECRET,
    publicUrl: options.publicUrl,
    core: core.asApi(),
    logger,
    metrics,
    retry: options.retry,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  let server: Server | null = null;
  let baseUrl = '';
  if (adapter.router) {
    const app = express();
    app.use(adapter.router);
    app.use(express.json());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  if (options.start !== false) await adapter.start();
  return {
    api,
    core,
    logger,
    metrics,
    adapter,
    baseUrl,
    postUpdate: (update, secret = SECRET) =>
      fetch(`${baseUrl}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        body: JSON.stringify(update),
      }),
    close: async () => {
      await adapter.stop();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await api.close();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wait until `probe` is truthy (polling every 10 ms), or fail after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined | null | false, timeoutMs = 3_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
