// The embedded Agenda backend: Agenda's own scheduling and locking over jobs kept in process
// memory, and in the data directory when the repository is the one DATA_DIR loaded.
import type { AgendaBackend } from 'agenda';
import { MemoryJobRepository } from './memory-job-repository.js';

export class MemoryAgendaBackend implements AgendaBackend {
  /** Shown in the scheduler's start log: it tells whether the jobs outlive the process. */
  readonly name: string;
  constructor(
    readonly repository: MemoryJobRepository = new MemoryJobRepository(),
    keptIn?: string,
  ) {
    this.name = keptIn ? `in-process, jobs kept in ${keptIn}` : 'in-process memory (jobs end with the process)';
  }
  readonly notificationChannel = undefined;
  /** Agenda's stop() must not tear down storage that other Agenda instances may share. */
  readonly ownsConnection = false;

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
}

/** `keptIn`: where the repository writes its jobs (the data directory), for the start log. */
export function createMemoryAgendaBackend(repository?: MemoryJobRepository, keptIn?: string): MemoryAgendaBackend {
  return new MemoryAgendaBackend(repository, keptIn);
}
