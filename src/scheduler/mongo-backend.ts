// Agenda's MongoDB backend on the application's database. The database handle comes from the
// Mongo store (typed loosely here: only src/store/mongo knows the driver), or a connection string.
import { MongoBackend, type MongoBackendConfig } from '@agendajs/mongo-backend';
import { JOB_KEYS } from '../core/index.js';

export const DEFAULT_JOBS_COLLECTION = 'agendaJobs';

export interface MongoAgendaBackendOptions {
  /** Collection for jobs; default `agendaJobs`. */
  collection?: string;
}

type MongoDb = Extract<MongoBackendConfig, { mongo: unknown }>['mongo'];

/** Job data fields that cancel and pending select on (see the core's Scheduler port). */
const DATA_INDEXES = ['conversation', 'assignee', 'handle'] as const;

function isDb(value: unknown): value is MongoDb {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { collection?: unknown }).collection === 'function' &&
    typeof (value as { databaseName?: unknown }).databaseName === 'string'
  );
}

/**
 * Agenda's own MongoDB backend plus indexes for selecting jobs by data field. Besides the index
 * Agenda creates for finding and locking the next job, it indexes `{name, data.<field>}` for the
 * fields the core cancels and lists jobs by.
 */
class IndexedMongoBackend extends MongoBackend {
  constructor(
    config: MongoBackendConfig,
    private readonly collectionName: string,
  ) {
    super(config);
  }

  override async connect(): Promise<void> {
    await super.connect();
    const repository = this.repository as unknown as { getDb(): MongoDb };
    const jobs = repository.getDb().collection(this.collectionName);
    await Promise.all(
      DATA_INDEXES.map((field) =>
        jobs.createIndex({ name: 1, [`data.${field}`]: 1 }, { name: `switchboard_name_data_${field}` }),
      ),
    );
    // One pending job per key (JOB_KEYS): the scheduler replaces it with one upsert, and this index
    // makes two upserts racing on a missing job end as one (the loser retries and replaces it).
    for (const [name, field] of Object.entries(JOB_KEYS)) {
      await removeDuplicatePending(jobs, name, field);
      await jobs.createIndex(
        { [`data.${field}`]: 1, name: 1 },
        { name: `switchboard_one_pending_${name}`, unique: true, partialFilterExpression: { name, nextRunAt: { $type: 'date' } } },
      );
    }
  }
}

type JobsCollection = ReturnType<MongoDb['collection']>;

/** Older versions could leave two pending timers for one key: keep the one due first. */
async function removeDuplicatePending(jobs: JobsCollection, name: string, field: string): Promise<void> {
  const groups = await jobs
    .aggregate<{ ids: unknown[] }>([
      { $match: { name, nextRunAt: { $type: 'date' } } },
      { $sort: { nextRunAt: 1 } },
      { $group: { _id: `$data.${field}`, ids: { $push: '$_id' }, n: { $sum: 1 } } },
      { $match: { n: { $gt: 1 } } },
    ])
    .toArray();
  const extra = groups.flatMap((g) => g.ids.slice(1));
  if (extra.length > 0) await jobs.deleteMany({ _id: { $in: extra } } as never);
}

/**
 * `db` is a connected MongoDB `Db` (for example `mongoose.connection.db`), which the backend
 * never closes, or a connection string, whose client the backend opens and closes itself.
 */
export function createMongoAgendaBackend(db: unknown, options: MongoAgendaBackendOptions = {}): MongoBackend {
  const collection = options.collection ?? DEFAULT_JOBS_COLLECTION;
  if (typeof db === 'string') {
    if (!/^mongodb(\+srv)?:\/\//.test(db)) throw new TypeError('expected a mongodb:// or mongodb+srv:// connection string');
    return new IndexedMongoBackend({ address: db, collection }, collection);
  }
  if (!isDb(db)) throw new TypeError('expected a MongoDB Db object (e.g. mongoose.connection.db) or a connection string');
  return new IndexedMongoBackend({ mongo: db, collection }, collection);
}
