// Child of bench/data-dir.ts: start Switchboard on the data directory given as argument, print
// how long buildApp + listen took and the process's memory afterwards, as one JSON line.
import { buildApp } from '../src/app.js';

const dataDir = process.argv[2] ?? ':memory:';
const started = performance.now();
const built = await buildApp({ port: 0, logLevel: 'silent', dataDir, agendaProcessEveryMs: 1_000 });
await built.listen(0);
const startMs = Math.round(performance.now() - started);
(globalThis as { gc?: () => void }).gc?.();
const { rss, heapUsed } = process.memoryUsage();
await built.close();
console.log(JSON.stringify({ startMs, rss, heapUsed }));
process.exit(0);
