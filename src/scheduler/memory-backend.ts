// The embedded Agenda backend: Agenda's own scheduling and locking over jobs kept in process
// memory. Jobs survive an Agenda stop/start in the same process, not a process restart.
import type { AgendaBackend } from 'agenda';
import { MemoryJobRepository } from './memory-job-repository.js';

export class MemoryAgendaBackend implements AgendaBackend {
  readonly name = 'in-process memory';
  readonly repository = new MemoryJobRepository();
  readonly notificationChannel = undefined;
  /** Agenda's stop() must not tear down storage that other Agenda instances may share. */
  readonly ownsConnection = false;

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
}

export function createMemoryAgendaBackend(): MemoryAgendaBackend {
  return new MemoryAgendaBackend();
}
