// The embedded Agenda backend: Agenda's own scheduling and locking over jobs kept in process
// memory, and in the data directory when the repository is the one DATA_DIR loaded.
import type { AgendaBackend } from 'agenda';
import { MemoryJobRepository } from './memory-job-repository.js';

export class MemoryAgendaBackend implements AgendaBackend {
  readonly name = 'in-process memory';
  constructor(readonly repository: MemoryJobRepository = new MemoryJobRepository()) {}
  readonly notificationChannel = undefined;
  /** Agenda's stop() must not tear down storage that other Agenda instances may share. */
  readonly ownsConnection = false;

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
}

export function createMemoryAgendaBackend(repository?: MemoryJobRepository): MemoryAgendaBackend {
  return new MemoryAgendaBackend(repository);
}
