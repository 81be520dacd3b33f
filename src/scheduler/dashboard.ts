import { createExpressMiddleware } from 'agendash';
import type { Router } from 'express';
import type { AgendaScheduler } from './agenda-scheduler.js';

/**
 * Agendash, the Agenda project's dashboard, over the scheduler's own Agenda instance. It speaks
 * to Agenda's backend interface, so it shows the MongoDB backend and the in-process one alike.
 * Mount it behind the admin token.
 */
export function createJobsDashboard(scheduler: AgendaScheduler): Router {
  return createExpressMiddleware(scheduler.agendaForDashboard) as unknown as Router;
}
