import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './app.js';

/** The `api …` lines of the README's admin API example, in order, with their comments. */
function readmeCalls() {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('# These work on a bare start');
  expect(start).toBeGreaterThan(0);
  const block = readme.slice(start, readme.indexOf('```', start));
  const calls: { line: string; method: string; path: string; body?: unknown; comment: string }[] = [];
  for (const line of block.split('\n')) {
    if (!line.startsWith('api ')) continue;
    const m = /^api (?:-X (\w+) )?("[^"]+"|\S+)(?: -d '([^']*)')?\s*(?:#\s*(.*))?$/.exec(line);
    if (!m) throw new Error(`cannot read README line: ${line}`);
    const call: (typeof calls)[number] = { line, method: m[1] ?? 'GET', path: m[2]!.replace(/^"|"$/g, '').replace('$SB', ''), comment: m[4] ?? '' };
    if (m[3] !== undefined) call.body = JSON.parse(m[3]);
    calls.push(call);
  }
  return calls;
}

describe("the README's admin API examples", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app.built.close());

  it('work one after the other on a bare start, or say in their comment what must come first', async () => {
    const calls = readmeCalls();
    expect(calls.length).toBeGreaterThan(15);
    let code = '';
    const failed: string[] = [];
    for (const call of calls) {
      const path = call.path.replace('$CODE', code);
      const res = await app.api(call.method, path, call.body);
      if (path.endsWith('/offboard') && res.status === 201) code = res.body.code;
      const expected404 = /404 until/.test(call.comment);
      const ok = expected404 ? res.status === 404 : res.status >= 200 && res.status < 300;
      if (!ok) failed.push(`${call.line} → ${res.status} ${JSON.stringify(res.body?.error ?? '')}`);
    }
    expect(failed).toEqual([]);
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
  });
});
