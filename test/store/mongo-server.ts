import { MongoMemoryServer } from 'mongodb-memory-server';

export interface TestServer {
  uri: string;
  /** Where the server comes from, for the log. */
  source: string;
  stop(): Promise<void>;
}

const MEMORY_SERVER_LIMIT_MS = 10_000;

/**
 * A MongoDB server for the store tests: MONGODB_URI when set, else mongodb-memory-server (given
 * about ten seconds to start). Answers the reason instead when neither is available.
 */
export async function findTestServer(): Promise<TestServer | { reason: string }> {
  const uri = process.env['MONGODB_URI'];
  if (uri) return { uri, source: 'MONGODB_URI', stop: async () => {} };
  let timer: NodeJS.Timeout | undefined;
  const starting = MongoMemoryServer.create();
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), MEMORY_SERVER_LIMIT_MS);
  });
  try {
    const server = await Promise.race([starting, limit]);
    if (server === 'timeout') {
      // Stop it should it come up after all.
      starting.then((late) => late.stop(), () => undefined).catch(() => undefined);
      return { reason: `MONGODB_URI is not set and mongodb-memory-server did not start within ${MEMORY_SERVER_LIMIT_MS / 1000} s` };
    }
    return { uri: server.getUri(), source: 'mongodb-memory-server', stop: async () => void (await server.stop()) };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    return { reason: `MONGODB_URI is not set and mongodb-memory-server could not start: ${message}` };
  } finally {
    clearTimeout(timer);
  }
}
