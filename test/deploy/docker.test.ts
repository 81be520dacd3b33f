import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHUTDOWN_DEADLINE_MS } from '../../src/app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');
/** The forced exit of the shutdown in src/main.ts: the stop's own deadline and 5 s more. */
const SHUTDOWN_DEADLINE_S = (SHUTDOWN_DEADLINE_MS + 5_000) / 1000;

interface ComposeService {
  build?: unknown;
  profiles?: string[];
  stop_grace_period?: string;
  healthcheck?: { test?: string[] };
}

describe('Docker image and compose file', () => {
  it('the Dockerfile lints clean', () => {
    // every rule of dockerfile-utils (the validator behind the Docker language server) at its default level
    const problems = validate(read('Dockerfile')).map((p) => `line ${p.range.start.line + 1}: ${p.message}`);
    expect(problems).toEqual([]);
  });

  it('the image runs compiled JavaScript with production dependencies only, and checks /healthz', () => {
    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    // what `npm run start:prod` runs, with its Node flags
    expect(pkg.scripts['start:prod']).toMatch(/^node (--\S+ )*dist\/src\/main\.js$/);
    expect(runtime).toMatch(new RegExp(`^CMD ${JSON.stringify(pkg.scripts['start:prod']!.split(' ')).replaceAll('","', '", "').replace(/[[\]]/g, '\\$&')}$`, 'm'));
    expect(runtime).toMatch(/^HEALTHCHECK .*\\\n\s+CMD .*\/healthz/m);
    expect(dockerfile).toContain('npm prune --omit=dev');
    expect(runtime).not.toMatch(/tsx/);
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.devDependencies)).toContain('tsx');
    // `npm install && npm start` on a fresh clone installs dev dependencies, so tsx is there
    expect(pkg.scripts.start).toMatch(/^tsx (--\S+ )*src\/main\.ts$/);
  });

  it('compose starts the bot with `docker compose up --build`, as its header and the README say, and waits for the shutdown', () => {
    const text = read('docker-compose.yml');
    const compose = parse(text) as { services: Record<string, ComposeService> };
    const app = compose.services.switchboard!;
    expect(app.build).toBe('.');
    expect(app.profiles).toBeUndefined();
    expect(text.split('\n')[0]).toContain('docker compose up --build');
    expect(read('README.md')).toContain('docker compose up --build');
    expect(read('README.md')).not.toContain('--profile app');
    const grace = /^(\d+)s$/.exec(app.stop_grace_period ?? '');
    expect(Number(grace?.[1])).toBeGreaterThan(SHUTDOWN_DEADLINE_S);
    expect(app.healthcheck?.test?.join(' ')).toContain('/healthz');
    expect(read('src/main.ts')).toContain('SHUTDOWN_DEADLINE_MS + 5_000');
  });
});
