import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
// tsx's loader in this process itself: the `tsx` command would run src/main.ts in a child of its
// own, which a SIGKILL of the command leaves running
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/**
 * `npm start` as a child process: src/main.ts under tsx's loader, with only `env`, in an empty directory
 * (no .env) or one holding `files` (name → content).
 */
export class MainProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(env: Record<string, string>, files: Record<string, string> = {}) {
    const cwd = mkdtempSync(join(tmpdir(), 'switchboard-main-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
    this.child = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'src', 'main.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = (into: string[]) => {
      let rest = '';
      return (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        const parts = rest.split('\n');
        rest = parts.pop() ?? '';
        into.push(...parts.filter((l) => l.trim() !== ''));
      };
    };
    this.child.stdout!.on('data', lines(this.stdout));
    this.child.stderr!.on('data', lines(this.stderr));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** The first stdout line that matches, waiting for it. */
  async line(match: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.stdout.find((l) => match.test(l));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no line ${match} within ${timeoutMs} ms; stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Messages (`msg`) of the JSON log lines. */
  messages(): string[] {
    return this.stdout.flatMap((l) => {
      try {
        return [String((JSON.parse(l) as { msg?: unknown }).msg)];
      } catch {
        return [];
      }
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
