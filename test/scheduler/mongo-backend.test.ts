// The scheduler over Agenda's MongoDB backend, on a server from MONGODB_URI or
// mongodb-memory-server. Without either, the suite is skipped and says why.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { createMongoAgendaBackend } from '../../src/scheduler/mongo-backend.js';
import { AgendaScheduler } from '../../src/scheduler/agenda-scheduler.js';
import { inMs, recordingHandler, timeout, waitFor } from './helpers.js';
import { schedulerBehaviour } from './scheduler-behaviour.js';
import { findTestServer } from '../store/mongo-server.js';

const server = await findTestServer();
const skipReason = 'reason' in server ? server.reason : undefined;

describe.skipIf(skipReason !== undefined)(
  `AgendaScheduler with the MongoDB backend${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const uri = 'uri' in server ? server.uri : '';
    let client: MongoClient;
    let db: Db;
    let collections = 0;
    beforeAll(async () => {
      client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
      // A throwaway database per run, so runs never see each other's jobs.
      db = client.db(`switchboard_scheduler_test_${randomUUID().slice(0, 8)}`);
    });
    afterAll(async () => {
      await db?.dropDatabase().catch(() => {});
      await client?.close();
      if ('stop' in server) await server.stop();
    });

    describe('given the application database', () => {
      const collectionOf = new WeakMap<object, string>();
      schedulerBehaviour({
        create: async () => {
          const collection = `jobs_${++collections}`;
          const backend = createMongoAgendaBackend(db, { collection });
          collectionOf.set(backend, collection);
          return backend;
        },
        peer: async (first) => createMongoAgendaBackend(db, { collection: collectionOf.get(first) }),
      });
    });

    it('indexes jobs for finding the next one and for selecting by conversation, assignee and handle', async () => {
      const collection = `jobs_${++collections}`;
      const s = new AgendaScheduler({ backend: createMongoAgendaBackend(db, { collection }), handler: async () => {} });
      await s.start();
      await s.stop();
      const names = (await db.collection(collection).listIndexes().toArray()).map((i) => String(i.name));
      expect(names).toEqual(
        expect.arrayContaining([
          'findAndLockNextJobIndex',
          'switchboard_name_data_conversation',
          'switchboard_name_data_assignee',
          'switchboard_name_data_handle',
        ]),
      );
    });

    it('stores a job so that a cancel by conversation finds it with a data.<field> query', async () => {
      const collection = `jobs_${++collections}`;
      const s = new AgendaScheduler({ backend: createMongoAgendaBackend(db, { collection }), handler: async () => {} });
      await s.schedule('response-timeout', inMs(60_000), timeout(42, 'amanda'));
      expect(await db.collection(collection).countDocuments({ 'data.conversation': 42, name: 'response-timeout' })).toBe(1);
      expect(await s.cancel('response-timeout', { conversation: 42 })).toBe(1);
      expect(await db.collection(collection).countDocuments({})).toBe(0);
    });

    it('connects by itself from a connection string, and closes that connection on stop', async () => {
      const { runs, handler } = recordingHandler();
      const dbName = `${db.databaseName}_own`;
      const url = new URL(uri);
      url.pathname = `/${dbName}`;
      const s = new AgendaScheduler({ backend: createMongoAgendaBackend(url.toString()), handler, processEveryMs: 100 });
      await s.start();
      await s.schedule('reinstate-agent', inMs(150), { handle: 'bob', offboarding: 'off-9' });
      await waitFor('the job to run', () => runs.length === 1);
      await s.stop();
      expect(s.ready()).toBe(false);
      await client.db(dbName).dropDatabase();
    });
  },
);
