import { ClassicLevel } from 'classic-level';

type Batch = (...args: unknown[]) => unknown;

/**
 * Every LevelDB batch write of this process (chained or not) goes through `write`, given the real
 * write and how many records the batch holds: delay it, hold it, or fail it instead. A chained
 * batch whose write fails is closed. Returns the undo.
 */
export function throughDiskWrites(write: (real: () => Promise<void>, records: number) => Promise<void>): () => void {
  const batch = ClassicLevel.prototype.batch as Batch;
  ClassicLevel.prototype.batch = function (this: ClassicLevel<string, Buffer>, ...args: unknown[]) {
    if (args.length > 0) return write(() => batch.apply(this, args) as Promise<void>, (args[0] as unknown[]).length);
    const made = batch.apply(this, args) as { write(): Promise<void>; close(): Promise<void>; length: number };
    const real = made.write.bind(made);
    made.write = () =>
      write(real, made.length).catch(async (e: unknown) => {
        await made.close().catch(() => {});
        throw e;
      });
    return made;
  } as typeof ClassicLevel.prototype.batch;
  return () => {
    ClassicLevel.prototype.batch = batch as typeof ClassicLevel.prototype.batch;
  };
}
