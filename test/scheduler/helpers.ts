import type { JobDataMap, JobName, Logger } from '../../src/core/index.js';
import type { JobHandler, JobRunInfo } from '../../src/scheduler/agenda-scheduler.js';

export interface JobRun {
  name: JobName;
  data: JobDataMap[JobName];
  id: string;
  at: number;
}

/**
 * A handler that records every run; `fail` decides whether a run throws, `workMs` is how long
 * a run takes (the core's handler waits for its store).
 */
export function recordingHandler(fail: (run: JobRun) => boolean = () => false, workMs = 0) {
  const runs: JobRun[] = [];
  const handler: JobHandler = async (name, data, job: JobRunInfo) => {
    const run = { name, data, id: job.id, at: Date.now() };
    runs.push(run);
    if (workMs > 0) await sleep(workMs);
    if (fail(run)) throw new Error(`handler failed for job ${job.id}`);
  };
  return { runs, handler };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  fields: Record<string, unknown>;
  message: string;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function inMs(ms: number): Date {
  return new Date(Date.now() + ms);
}

export function timeout(conversation: number, assignee = 'amanda'): JobDataMap['response-timeout'] {
  return { conversation, assignee, waitingSince: '2025-01-01T10:00:00.000Z' };
}
