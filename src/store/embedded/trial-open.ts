// Opening LevelDB changes its directory: it replays the write-ahead log into a new table, writes a
// new manifest and deletes the old files; without paranoid checks (which classic-level does not
// offer) it also drops log records whose checksum fails. So a directory is first opened and read
// through as a scratch copy — the logs, CURRENT and manifest copied, the tables linked (LevelDB
// never changes a table file) — and the real directory is opened only when that went cleanly.
// A damaged directory is refused and left exactly as it was.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { DataDirError } from './data-dir-error.js';

const COPIED = /^(CURRENT|MANIFEST-\d+|\d+\.log)$/;
const LINKED = /^\d+\.(ldb|sst)$/;

const damaged = (dir: string, what: string) =>
  new DataDirError(`DATA_DIR=${dir} is damaged: ${what}; Switchboard changed nothing. Restore the directory from a backup.`);

export async function trialOpen(dir: string): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-trial-'));
  try {
    try {
      for (const name of readdirSync(dir)) {
        if (COPIED.test(name)) copyFileSync(join(dir, name), join(scratch, name));
        else if (LINKED.test(name)) symlinkSync(join(dir, name), join(scratch, name));
      }
    } catch (e) {
      throw new DataDirError(`DATA_DIR=${dir} cannot be read (${messageOf(e)}); Switchboard changed nothing.`);
    }
    const db = new ClassicLevel<string, Buffer>(scratch, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    try {
      await db.open({ createIfMissing: false });
    } catch {
      return; // the real open says why (damaged manifest, missing files, …) before it changes anything
    }
    try {
      const keys = db.keys();
      try {
        while ((await keys.nextv(10_000)).length > 0);
      } finally {
        await keys.close();
      }
    } catch (e) {
      throw damaged(dir, messageOf(e));
    } finally {
      await db.close();
    }
    const info = readFileSync(join(scratch, 'LOG'), 'utf8');
    const dropped = info.split('\n').find((line) => /dropping|corruption/i.test(line));
    if (dropped) throw damaged(dir, `its write-ahead log has records that cannot be read (${(/\d+\.log: .*$/.exec(dropped)?.[0] ?? dropped).trim()})`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function messageOf(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : undefined;
  return (cause?.message ?? (e instanceof Error ? e.message : String(e))).replace(/\s+/g, ' ').trim();
}
