import { describe } from 'vitest';
import { createMemoryAgendaBackend } from '../../src/scheduler/memory-backend.js';
import { schedulerBehaviour } from './scheduler-behaviour.js';

describe('AgendaScheduler with the in-process backend', () => {
  schedulerBehaviour({
    create: async () => createMemoryAgendaBackend(),
    peer: async (first) => first,
  });
});
