import type { Page, Store } from '../ports/store.js';
import { JOB_NAMES, type JobName, type PendingJob, type Scheduler } from '../ports/scheduler.js';
import { err, ok, type Result } from '../errors.js';
import type { ListQuery } from '../api.js';
import { parsePage } from './paging.js';
import { positiveInt, queryText } from './validate.js';
import { agentFilter } from './conversations.js';

/** A scheduled job as the admin API shows it. */
export interface JobView {
  name: JobName;
  /** When it runs, ISO. */
  runAt: string;
  /** The conversation it is about (response timers). */
  conversation: number | null;
  /** The agent it is about: the assignee a timer waits on, the agent a reinstatement brings back. */
  agent: string | null;
  data: Record<string, unknown>;
}

export type JobQuery = ListQuery & { name?: unknown; conversation?: unknown; agent?: unknown };

function view(job: PendingJob): JobView {
  const data = job.data as unknown as Record<string, unknown>;
  return {
    name: job.name,
    runAt: job.runAt.toISOString(),
    conversation: typeof data.conversation === 'number' ? data.conversation : null,
    agent: typeof data.assignee === 'string' ? data.assignee : typeof data.handle === 'string' ? data.handle : null,
    data,
  };
}

/** GET /api/jobs?name=&conversation=&agent=: pending jobs, soonest first; `after` is the `next` of the previous page. */
export async function listJobs(deps: { scheduler: Scheduler; store: Pick<Store, 'getAgent'> }, query: JobQuery): Promise<Result<Page<JobView>>> {
  const { scheduler } = deps;
  const page = parsePage(query, 'number');
  if (!page.ok) return page;
  const name = queryText(query.name, 'name', `one of ${JOB_NAMES.join(', ')}`);
  if (!name.ok) return name;
  if (name.value !== undefined && !(JOB_NAMES as readonly string[]).includes(name.value)) {
    return err('invalid_argument', `name is invalid: one of ${JOB_NAMES.join(', ')}.`, 'name');
  }
  const convText = queryText(query.conversation, 'conversation', 'a conversation number such as 12');
  if (!convText.ok) return convText;
  const conversation = convText.value === undefined ? undefined : positiveInt(convText.value.replace(/^#/, ''));
  if (conversation === null) return err('invalid_argument', 'conversation is invalid: a conversation number such as 12.', 'conversation');
  const agentFound = await agentFilter(deps.store, query.agent, 'agent');
  if (!agentFound.ok) return agentFound;
  const agent = agentFound.value;

  const names = (name.value ? [name.value] : [...JOB_NAMES]) as JobName[];
  const jobs: PendingJob[] = [];
  for (const n of names) {
    if (n === 'response-timeout') {
      jobs.push(...(await scheduler.pending('response-timeout', { ...(conversation ? { conversation } : {}), ...(agent ? { assignee: agent } : {}) })));
    } else if (n === 'reinstate-agent') {
      if (conversation === undefined) jobs.push(...(await scheduler.pending('reinstate-agent', agent ? { handle: agent } : {})));
    } else if (conversation === undefined && agent === undefined) {
      jobs.push(...(await scheduler.pending(n, {})));
    }
  }
  jobs.sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  const start = page.value.after === undefined ? 0 : Number(page.value.after);
  const items = jobs.slice(start, start + page.value.limit).map(view);
  const next = start + page.value.limit < jobs.length ? String(start + page.value.limit) : null;
  return ok({ items, next });
}
