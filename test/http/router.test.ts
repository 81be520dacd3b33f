import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import { ManualClock, ok, type Logger } from '../../src/core/index.js';
import { AdminService } from '../../src/core/admin/admin-service.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { createHttpRouter, PromMetrics, type AdminCore } from '../../src/http/index.js';
import { client, serve } from './serve.js';

const TOKEN = 'router-test-token-0123456789';

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, lines };
}

/** The store-only admin use cases; the scheduler's and offboarding's are not reached by these tests. */
function adminCore(): AdminCore {
  const unused = async (): Promise<never> => {
    throw new Error('not part of this test');
  };
  const service = new AdminService({
    store: new MemoryStore(),
    clock: new ManualClock(),
    logger: recordingLogger().logger,
    onAgentChanged: async () => {},
    onInboxChanged: async () => {},
    inviteLink: () => null,
  });
  return Object.assign(service, { offboardAgent: unused, confirmOffboarding: unused, getOffboarding: unused, listJobs: unused });
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function start(options: { ready?: () => Promise<boolean>; adminToken?: string; core?: AdminCore } = {}) {
  const metrics = new PromMetrics();
  const { logger, lines } = recordingLogger();
  const app = express();
  app.use(
    createHttpRouter({
      core: options.core ?? adminCore(),
      adminToken: options.adminToken,
      ready: options.ready ?? (async () => true),
      metrics,
      logger,
    }),
  );
  const server = await serve(app);
  stop = server.close;
  return { base: server.base, metrics, lines };
}

describe('probes', () => {
  it('answers /healthz while the process is up', async () => {
    const { base } = await start({ ready: async () => false });
    const res = await client(base)('GET', '/healthz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers /readyz 200 when ready, 503 when not, and 503 when the check throws', async () => {
    let state: boolean | Error = true;
    const { base, lines } = await start({
      ready: async () => {
        if (state instanceof Error) throw state;
        return state;
      },
    });
    const get = client(base);
    expect(await get('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    state = false;
    expect(await get('GET', '/readyz')).toMatchObject({ status: 503, body: { status: 'unavailable' } });
    state = new Error('store unreachable');
    expect(await get('GET', '/readyz')).toMatchObject({ status: 503 });
    expect(lines.some((l) => l.level === 'warn' && l.message === 'readiness check failed')).toBe(true);
    state = true;
    expect((await get('GET', '/readyz')).status).toBe(200);
  });

  it('serves Prometheus text with the switchboard_ metrics', async () => {
    const { base, metrics } = await start();
    metrics.inc('conversations_opened');
    const res = await client(base)('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    for (const name of [
      'switchboard_conversations_opened_total 1',
      'switchboard_conversations_assigned_total',
      'switchboard_conversations_queued_total',
      'switchboard_commands_total',
      'switchboard_deliveries_failed_total',
      'switchboard_redirects_total',
      'switchboard_errors_total',
      'switchboard_routing_duration_seconds',
      'switchboard_process_resident_memory_bytes',
    ]) {
      expect(res.body).toContain(name);
    }
  });
});

describe('the admin API switch and the error handler', () => {
  it('answers 404 on every /api path when no token is configured, whatever the header', async () => {
    const { base } = await start({ adminToken: undefined });
    for (const [method, path] of [
      ['GET', '/api/agents'],
      ['POST', '/api/agents'],
      ['GET', '/api/nothing/here'],
      ['GET', '/api'],
    ] as const) {
      const res = await client(base, 'anything')(method, path, method === 'POST' ? { handle: 'a', name: 'A' } : undefined);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: 'The admin API is off: set ADMIN_TOKEN to turn it on.' } });
    }
    expect((await client(base)('GET', '/healthz')).status).toBe(200);
  });

  it('answers 500 without internals, logs the error and counts it', async () => {
    const core = adminCore();
    core.getAgent = async () => {
      throw new Error('secret connection string mongodb://user:pass@db');
    };
    core.listAgents = async () => ok({ items: [], next: null });
    const { base, lines, metrics } = await start({ adminToken: TOKEN, core });
    const res = await client(base, TOKEN)('GET', '/api/agents/amanda');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(JSON.stringify(res.body)).not.toContain('secret');
    const logged = lines.find((l) => l.level === 'error');
    expect(logged?.fields).toMatchObject({ method: 'GET', path: '/api/agents/amanda' });
    expect(await metrics.text()).toMatch(/^switchboard_errors_total\{source="http"\} 1$/m);
    expect((await client(base, TOKEN)('GET', '/api/agents')).status).toBe(200);
  });
});
