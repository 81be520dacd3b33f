import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MongoMemoryServer } from 'mongodb-memory-server';
import { inject } from 'vitest';

export interface TestServer {
  uri: string;
  /** Where the server comes from, for the log. */
  source: string;
  stop(): Promise<void>;
}

const MEMORY_SERVER_LIMIT_MS = 10_000;
const URI_CHECK_TIMEOUT_MS = 5_000;

declare module 'vitest' {
  export interface ProvidedContext {
    mongo: { uri: string; source: string } | { reason: string };
  }
}

/**
 * The run's MongoDB server (found once by the global setup): its URI, or why there is none. With
 * REQUIRE_MONGODB=1 a missing server throws, so the run fails instead of skipping MongoDB tests.
 */
export async function findTestServer(): Promise<TestServer | { reason: string }> {
  const found = inject('mongo');
  if ('reason' in found) {
    if (process.env['REQUIRE_MONGODB'] === '1') throw new Error(`REQUIRE_MONGODB=1 but no MongoDB server: ${found.reason}`);
    return found;
  }
  return { ...found, stop: async () => {} }; // the global setup stops it after the run
}

/**
 * A MongoDB server for the run: MONGODB_URI when set and answering, else mongodb-memory-server
 * (given about ten seconds to start). Answers why instead when neither is there.
 */
export async function locateServer(): Promise<TestServer | { reason: string }> {
  const reasons: string[] = [];
  const uri = process.env['MONGODB_URI'];
  if (uri) {
    const problem = await checkServer(uri);
    if (problem === null) return { uri, source: 'MONGODB_URI', stop: async () => {} };
    reasons.push(`MONGODB_URI did not answer (${problem})`);
  } else {
    reasons.push('MONGODB_URI is not set');
  }
  const started = await quietly(startMemoryServer);
  if ('uri' in started) return started;
  reasons.push(started.reason);
  return { reason: reasons.join(' and ') };
}

async function checkServer(uri: string): Promise<string | null> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: URI_CHECK_TIMEOUT_MS });
  try {
    await client.connect();
    await client.db().command({ ping: 1 });
    return null;
  } catch (error) {
    return oneLine(error);
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function startMemoryServer(): Promise<TestServer | { reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  // its data directory is ours, removed when it stops or cannot start (left behind otherwise)
  const dbPath = mkdtempSync(join(tmpdir(), 'switchboard-mongo-'));
  const removeDir = () => rmSync(dbPath, { recursive: true, force: true });
  const starting = MongoMemoryServer.create({ instance: { dbPath } });
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), MEMORY_SERVER_LIMIT_MS);
  });
  try {
    const server = await Promise.race([starting, limit]);
    if (server === 'timeout') {
      // Stop it should it come up after all.
      starting.then((late) => late.stop(), () => undefined).catch(() => undefined).finally(removeDir);
      return { reason: `mongodb-memory-server did not start within ${MEMORY_SERVER_LIMIT_MS / 1000} s` };
    }
    return {
      uri: server.getUri(),
      source: 'mongodb-memory-server',
      stop: async () => {
        await server.stop();
        removeDir();
      },
    };
  } catch (error) {
    removeDir();
    return { reason: `mongodb-memory-server could not start: ${oneLine(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

/**
 * mongodb-memory-server prints its own stack trace when a download fails (also after our time
 * limit has passed): the one reason line is enough, so that message is left out.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  for (const level of ['warn', 'error'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('Starting the MongoMemoryServer Instance failed')) return;
      original(...args);
    };
  }
  return fn();
}
