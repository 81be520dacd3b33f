/**
 * The one line an operator reads when the start fails for an expected reason: what went wrong and
 * which variable to change. Anything unexpected keeps its stack.
 */
export function startErrorLine(error: unknown, env: Record<string, string | undefined>): string {
  const code = (error as { code?: unknown } | null)?.code;
  const port = env.PORT?.trim() || '3000';
  if (code === 'EADDRINUSE') return `PORT ${port} is already in use by another program: stop it, or set PORT to a free port.`;
  if (code === 'EACCES') return `PORT ${port} may not be opened by this user: set PORT to a number above 1023.`;
  if (error instanceof Error && error.name === 'MongoStoreStartError') {
    const timedOut = /timed out|Server selection/i.test(error.message);
    const wait = env.MONGODB_CONNECT_TIMEOUT_MS?.trim() || '10000';
    return timedOut
      ? `${error.message.split(': ')[0]}: no answer within ${wait} ms (MONGODB_CONNECT_TIMEOUT_MS). Check that MongoDB runs and MONGODB_URI points to it.`
      : error.message;
  }
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
