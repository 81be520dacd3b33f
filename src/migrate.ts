// `npm run migrate -- --from-data-dir ./data --to "$MONGODB_URI"`: move the embedded store's data
// directory into an empty MongoDB database. Switchboard must be stopped (the directory is locked
// while it runs). Exit code 0 with the counts when everything was copied and counted again.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDataDir } from './store/embedded/data-dir.js';
import { DataDirError } from './store/embedded/data-dir-error.js';
import { copyDataDir, CopyRefused } from './store/embedded/copy-data-dir.js';
import { createMongoAgendaBackend } from './scheduler/mongo-backend.js';

export const USAGE = 'usage: npm run migrate -- --from-data-dir ./data --to "mongodb://host:27017/switchboard"';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface MigrateArgs {
  from: string;
  to: string;
}

/** The command line → what to copy where; a UsageError says what was wrong and what to type. */
export function parseMigrateArgs(argv: readonly string[]): MigrateArgs {
  let values: { 'from-data-dir'?: string; to?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { 'from-data-dir': { type: 'string' }, to: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}; ${USAGE}`);
  }
  const from = values['from-data-dir']?.trim();
  const to = values.to?.trim();
  if (!from) throw new UsageError(`--from-data-dir is missing: the data directory to copy (DATA_DIR); ${USAGE}`);
  if (from === ':memory:') throw new UsageError(`--from-data-dir :memory: keeps nothing to copy; give the data directory (DATA_DIR); ${USAGE}`);
  if (!to) throw new UsageError(`--to is missing: the MongoDB connection string to copy into (MONGODB_URI); ${USAGE}`);
  if (!/^mongodb(\+srv)?:\/\//.test(to)) throw new UsageError(`--to must start with mongodb:// or mongodb+srv:// (it was ${JSON.stringify(to.replace(/\/\/[^@/]*@/, '//****@'))}); ${USAGE}`);
  return { from, to };
}

export async function migrate(args: MigrateArgs, say: (line: string) => void): Promise<void> {
  const source = await openDataDir(args.from, { create: false });
  try {
    const { connectMongoStore } = await import('./store/mongo/index.js');
    const mongo = await connectMongoStore(args.to);
    try {
      const backend = createMongoAgendaBackend(mongo.db());
      await backend.connect();
      try {
        say(`copying ${source.dir} into MongoDB …`);
        const counts = await copyDataDir(source, { store: mongo, jobs: backend.repository }, say);
        say(`done: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')} — the same in both. Start Switchboard with MONGODB_URI set; keep ${source.dir} as a backup.`);
      } finally {
        await backend.disconnect();
      }
    } finally {
      await mongo.close();
    }
  } finally {
    await source.close();
  }
}

async function main(): Promise<void> {
  try {
    await migrate(parseMigrateArgs(process.argv.slice(2)), (line) => process.stdout.write(`${line}\n`));
  } catch (e) {
    const oneLine = e instanceof UsageError || e instanceof DataDirError || e instanceof CopyRefused;
    process.stderr.write(`migrate: ${oneLine ? (e as Error).message : e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
