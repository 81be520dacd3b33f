// Agenda's MongoDB backend on the application's database. The database handle comes from the
// Mongo store (typed loosely here: only src/store/mongo knows the driver), or a connection string.
import { MongoBackend, type MongoBackendConfig } from '@agendajs/mongo-backend';

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
  }
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
