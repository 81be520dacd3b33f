import type { Connection } from 'mongoose';

export const PING_TIMEOUT_MS = 2_000;

/**
 * Sends `{ping: 1}` to the server. False when the server refuses, is unreachable, or does not answer
 * within `timeoutMs` (the driver would otherwise wait for the whole server selection timeout).
 */
export async function pingDatabase(conn: Connection, timeoutMs: number = PING_TIMEOUT_MS): Promise<boolean> {
  const db = conn.db;
  if (!db) return false;
  const answer = db.command({ ping: 1 }).then(
    (reply) => Number(reply.ok) === 1,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
