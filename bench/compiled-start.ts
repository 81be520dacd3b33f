/**
 * Start-up of the compiled Switchboard (`npm run build`, then `node dist/src/main.js`, as production
 * runs it) in a child process: time from spawn to the "listening" log line and to `/readyz` 200,
 * and the child's memory once ready (RSS now and at its peak, from /proc; heap from /metrics).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = `${ROOT}dist/src/main.js`;

/**
 * The Node flags a package.json script starts Switchboard with (`start`: through tsx, `start:prod`:
 * compiled), so that what is measured runs as users run it.
 */
export function nodeFlagsOf(script: 'start' | 'start:prod'): string[] {
  const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = scripts[script]!.trim().split(/\s+/);
  return words.slice(1).filter((w) => w.startsWith('--'));
}

/** `npm run build` once per bench run (the compiled output is what is measured). */
let built = false;
export function buildOnce(): void {
  if (built) return;
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0 || !existsSync(MAIN)) throw new Error(`npm run build failed:\n${run.stdout}\n${run.stderr}`);
  built = true;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** CPU time (user + system) a process used so far, in ms (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** VmRSS and VmHWM (peak) of a process, in bytes (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export interface CompiledStart {
  listenMs: number;
  readyMs: number;
  /** CPU time the process used until ready: what the start costs, whatever else runs on the machine. */
  cpuMs: number;
  rss: number;
  peakRss: number;
  heapUsed: number;
  /** The start log's line about the data ("embedded store: … 100000 conversations"). */
  storeLine: string;
}

/** Start `node dist/src/main.js` on DATA_DIR, wait until ready, measure, stop it with SIGTERM. */
export async function startCompiled(dataDir: string, settleMs = 1_000): Promise<CompiledStart> {
  buildOnce();
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlagsOf('start:prod'), MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, PORT: String(port), DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let listenMs = NaN;
  let storeLine = '';
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const line of out.split('\n')) {
      if (Number.isNaN(listenMs) && line.includes('switchboard listening')) listenMs = performance.now() - started;
      if (!storeLine && line.includes('"msg":"store:')) storeLine = String((JSON.parse(line) as { msg: string }).msg);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => void (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    let readyMs = NaN;
    let cpuMs = NaN;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`switchboard exited with ${child.exitCode}:\n${err}\n${out.slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        await res.arrayBuffer();
        if (res.status === 200) {
          readyMs = performance.now() - started;
          cpuMs = cpuMsOf(child.pid!);
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    if (Number.isNaN(readyMs)) throw new Error(`not ready within 120 s:\n${err}\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, settleMs));
    const { rss, peak } = memoryOf(child.pid!);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const heapUsed = Number(/^switchboard_nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    return { listenMs: Math.round(listenMs), readyMs: Math.round(readyMs), cpuMs, rss, peakRss: peak, heapUsed, storeLine };
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
}
