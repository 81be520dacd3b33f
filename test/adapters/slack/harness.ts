import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Answer, CounterName, InboundEvent, InboundResult, Logger, Metrics } from '../../../src/core/index.js';
import { BoltSlackAdapter, type SlackAdapterOptions } from '../../../adapters/slack/slack-adapter.js';
import { FakeSlackApi } from '../../fakes/slack-api.js';
import { ResponseUrlServer, type SignOptions } from '../../fakes/slack-requests.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const BOT_TOKEN = 'xoxb-1234-5678-switchboardtest';

/**
 * Stands in for the core in the adapter's own tests: records every delivery the adapter hands over
 * and answers with what the test says. It drops no duplicate: telling a redelivery apart is the
 * real core's work, tested through the whole app (app-relay.test.ts).
 */
export class RecordingCore {
  readonly events: InboundEvent[] = [];
  answer: (event: InboundEvent) => Answer | undefined = () => undefined;
  delayMs = 0;
  failWith: Error | undefined;

  async handleInbound(event: InboundEvent): Promise<InboundResult> {
    this.events.push(structuredClone(event));
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith) throw this.failWith;
    return { duplicate: false, answer: this.answer(event) };
  }
}

export interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export interface SlackHarness {
  api: FakeSlackApi;
  responses: ResponseUrlServer;
  core: RecordingCore;
  adapter: BoltSlackAdapter;
  logs: LogLine[];
  counted: { name: CounterName; labels: Record<string, string> | undefined }[];
  eventsUrl: string;
  sign: SignOptions;
  close(): Promise<void>;
}

/** The adapter on its own express app (router first, then express.json as the real app does), against the fake Web API. */
export async function startSlackHarness(overrides: Partial<SlackAdapterOptions> = {}): Promise<SlackHarness> {
  const api = await new FakeSlackApi().start();
  const responses = await new ResponseUrlServer().start();
  const core = new RecordingCore();
  const logs: LogLine[] = [];
  const counted: SlackHarness['counted'] = [];
  const metrics: Metrics = { inc: (name, labels) => void counted.push({ name, labels }), observeRouting() {} };
  const adapter = new BoltSlackAdapter({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: api.url,
    core,
    logger: recordingLogger(logs),
    metrics,
    ...overrides,
  });
  const app = express();
  app.use(adapter.router);
  app.use(express.json());
  app.post('/api/echo', (req, res) => void res.json(req.body));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    api,
    responses,
    core,
    adapter,
    logs,
    counted,
    eventsUrl: `${base}/slack/events`,
    sign: { secret: SIGNING_SECRET },
    async close() {
      await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await responses.close();
      await api.close();
    },
  };
}

export async function eventually(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
