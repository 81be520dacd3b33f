// Switchboard as its own process (`node --import tsx src/main.ts`), for tests that stop or kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN = 'restart-admin-token-0123456789';
const DEFAULT_ARGV = ['--import', 'tsx', 'src/main.ts'];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export class ChildSwitchboard {
  private constructor(
    readonly process: ChildProcess,
    readonly base: string,
    readonly logs: Array<Record<string, unknown>>,
    readonly exited: Promise<Exit>,
  ) {}

  /**
   * Start Switchboard with `env` on top of a clean environment; resolves once it listens. `argv`
   * replaces the node arguments (default `--import tsx src/main.ts`; e.g. `dist/src/main.js`).
   */
  static async start(env: Record<string, string>, timeoutMs = 60_000, argv: string[] = DEFAULT_ARGV): Promise<ChildSwitchboard> {
    const { child, logs, exited, listening } = ChildSwitchboard.spawn(env, argv);
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`Switchboard did not listen within ${timeoutMs} ms`)), timeoutMs).unref());
    const early = exited.then((e) => {
      throw new Error(`Switchboard exited before listening (code ${e.code}, signal ${e.signal}): ${e.stderr}`);
    });
    try {
      const base = await Promise.race([listening, early, timer]);
      return new ChildSwitchboard(child, base, logs, exited);
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }

  /** Start Switchboard expecting it to refuse to start; resolves to how it exited. */
  static async refused(env: Record<string, string>, timeoutMs = 60_000): Promise<Exit> {
    const { child, exited, listening } = ChildSwitchboard.spawn(env);
    listening.then(() => child.kill('SIGKILL'), () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private static spawn(env: Record<string, string>, argv: string[] = DEFAULT_ARGV) {
    const child = spawn(process.execPath, argv, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', ADMIN_TOKEN: ADMIN, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: Array<Record<string, unknown>> = [];
    let stderr = '';
    let resolveListening: (url: string) => void = () => {};
    const listening = new Promise<string>((resolve) => (resolveListening = resolve));
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (typeof entry.url === 'string' && String(entry.msg).startsWith('switchboard listening')) resolveListening(entry.url);
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
    return { child, logs, exited, listening };
  }

  /** Admin API call; the parsed JSON answer. */
  async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  async stop(signal: NodeJS.Signals): Promise<Exit> {
    this.process.kill(signal);
    return this.exited;
  }
}
