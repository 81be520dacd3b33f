// Finds the MongoDB server for the whole run once (MONGODB_URI, else mongodb-memory-server), so
// test files neither start a server each nor each retry a download that cannot work.
import type { TestProject } from 'vitest/node';
import { locateServer } from './mongo-server.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const found = await locateServer();
  if ('reason' in found) {
    project.provide('mongo', { reason: found.reason });
    const required = process.env['REQUIRE_MONGODB'] === '1';
    process.stderr.write(`${required ? 'MongoDB REQUIRED but missing' : 'MongoDB tests skipped'}: ${found.reason}\n`);
    return async () => {};
  }
  project.provide('mongo', { uri: found.uri, source: found.source });
  return () => found.stop();
}
