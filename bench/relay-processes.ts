// The relay measured from outside, as an operator would: Switchboard (DATA_DIR=:memory: or a data
// directory, outbox and intake in the path, pacing off because the fake Bot API has no limits) and
// a bare telegraf bot each in their own process, the load generator and the fake Bot API in this
// one. Webhook acknowledgement and update → agent sendMessage, p50/p99, and the CPU time each bot
// process used per update (from /proc, so whether a bot is CPU-bound shows).
//
// Each process is warmed up (JIT, connections) with `--warmup` seconds of the same load before the
// measured run; rounds rotate the order of the cases so none is always first or last; the table
// has every round, then the median of each figure over the rounds and the ratio to the bare bot.
//
// `npx tsx bench/relay-processes.ts [rate] [seconds] [rounds] [--warmup=S] [--tsx] [--cases=memory,dir,bare] [--prof=DIR] [--node-arg=ARG…]`
//   Switchboard runs compiled, as `npm run start:prod` does (`npm run build` first, then
//   `node dist/src/main.js`): what production runs, and without tsx's per-closure naming.
//   --tsx        Switchboard as `npm start` runs it instead: `node --import tsx src/main.ts`
//   --prof=DIR   Switchboard runs with --cpu-prof, profiles written to DIR when it stops
//   --node-arg=A one more node argument for Switchboard (repeatable), e.g. --node-arg=--import=./tracer.mjs
//   --entry=PATH another Switchboard entry (main.js, or main.ts with --tsx)
//   --base=PATH  an older build's entry too: its cases `memory@base` and `dir@base` run in the same rounds
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeTelegramApi, type FakeTelegramApi } from '../test/fakes/telegram-api.js';
import { ChildSwitchboard } from '../test/e2e/child-switchboard.js';
import { buildOnce, nodeFlagsOf } from './compiled-start.js';
import { AGENT_CHATS, SECRET, runLoad, type Target } from './telegram-relay.js';
import { printTable } from './table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RelayProcessesOptions {
  rate: number;
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  /** Switchboard compiled (node dist/src/main.js, the default) or through tsx (false). */
  compiled: boolean;
  cases: CaseName[];
  /** Directory for Switchboard's CPU profiles (--cpu-prof), or null. */
  profDir: string | null;
  /** More node arguments for the Switchboard process (--node-arg=…, e.g. --import of a tracer). */
  nodeArgs: string[];
  /** Another Switchboard entry to run (--entry=…), or null. */
  entry: string | null;
  /** An older build's entry (--base=…): its memory and data directory cases run too, named `… @base`. */
  base: string | null;
}

type CaseName = 'memory' | 'dir' | 'bare' | 'memory@base' | 'dir@base';
const CASE_NAMES: CaseName[] = ['memory', 'dir', 'bare'];
const ALL_CASES: CaseName[] = ['memory', 'dir', 'bare', 'memory@base', 'dir@base'];

export const DEFAULT_OPTIONS: RelayProcessesOptions = { rate: 500, seconds: 10, rounds: 5, warmupSeconds: 3, compiled: true, cases: CASE_NAMES, profDir: null, nodeArgs: [], entry: null, base: null };

/** `[rate] [seconds] [rounds] [--warmup=S] [--tsx] [--cases=a,b] [--prof=DIR] [--node-arg=A]` → options. */
export function parseRelayArgs(args: string[]): RelayProcessesOptions {
  const o = { ...DEFAULT_OPTIONS, nodeArgs: [] as string[] };
  const numbers = args.filter((a) => !a.startsWith('--')).map(Number);
  if (numbers[0]) o.rate = numbers[0];
  if (numbers[1]) o.seconds = numbers[1];
  if (numbers[2]) o.rounds = numbers[2];
  for (const a of args.filter((x) => x.startsWith('--'))) {
    const [flag, value = ''] = a.slice(2).split('=');
    if (flag === 'warmup') o.warmupSeconds = Number(value);
    else if (flag === 'tsx') o.compiled = false;
    else if (flag === 'compiled') o.compiled = true;
    else if (flag === 'prof') o.profDir = value || join(ROOT, 'prof');
    else if (flag === 'entry') o.entry = value;
    else if (flag === 'base') o.base = value;
    else if (flag === 'node-arg') o.nodeArgs.push(a.slice('--node-arg='.length));
    else if (flag === 'cases') o.cases = value.split(',').filter((c): c is CaseName => (ALL_CASES as string[]).includes(c));
    else throw new Error(`unknown option ${a}`);
  }
  if (o.base && !args.some((a) => a.startsWith('--cases='))) o.cases = [...o.cases, 'memory@base', 'dir@base'];
  return o;
}

interface ProcessTarget extends Target {
  pid: number;
}

/** CPU time (user + system) a process used so far, in ms (Linux clock ticks, 100 a second). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function switchboardProcess(api: FakeTelegramApi, dataDir: string, o: RelayProcessesOptions, base = false): Promise<ProcessTarget> {
  const prof = [...(o.profDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profDir}`] : []), ...o.nodeArgs];
  const entry = base ? o.base : o.entry;
  const argv = o.compiled ? [...prof, ...nodeFlagsOf('start:prod'), entry ?? 'dist/src/main.js'] : [...prof, ...nodeFlagsOf('start'), '--import', 'tsx', entry ?? 'src/main.ts'];
  const sb = await ChildSwitchboard.start(
    { DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.apiRoot, SEND_PACING: 'off' },
    60_000,
    argv,
  );
  for (const [k, chat] of AGENT_CHATS.entries()) {
    await sb.api('POST', '/api/agents', { handle: `agent${k + 1}`, name: `Agent ${k + 1}`, telegramUserId: Number(chat), availability: 'online', capacity: 1000 });
  }
  await sb.api('PUT', '/api/inboxes/telegram/members', { handles: AGENT_CHATS.map((_, k) => `agent${k + 1}`) });
  return {
    name: `switchboard (${dataDir === ':memory:' ? 'memory store' : 'data directory'})${base ? ' @base' : ''}`,
    webhookUrl: `${sb.base}/telegram/webhook`,
    pid: sb.process.pid!,
    close: async () => {
      await sb.stop('SIGTERM');
    },
  };
}

async function bareProcess(api: FakeTelegramApi): Promise<ProcessTarget> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-bot.ts', api.apiRoot, api.token, SECRET, AGENT_CHATS[0]!], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout!.setEncoding('utf8').once('data', (line: string) => resolve(line.trim())));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: 'bare telegraf (1 sendMessage/update)',
    webhookUrl: url,
    pid: child.pid!,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const NUMERIC = ['ack p50 ms', 'ack p99 ms', 'p50 ms', 'p99 ms', 'max ms', 'throughput/s', 'cpu ms/update', 'cpu % of a core'] as const;

function median(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function benchRelayProcesses(options: Partial<RelayProcessesOptions> = {}): Promise<{ rounds: Record<string, unknown>[]; medians: Record<string, unknown>[]; note: string }> {
  const o = { ...DEFAULT_OPTIONS, ...options };
  if (o.compiled && !o.entry) buildOnce();
  const api = await startFakeTelegramApi();
  api.record = false;
  const rows: Record<string, unknown>[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-relay-proc-'));
  const starters: Record<CaseName, (round: number) => Promise<ProcessTarget>> = {
    memory: () => switchboardProcess(api, ':memory:', o),
    dir: (round) => switchboardProcess(api, join(dir, `r${round}`), o),
    bare: () => bareProcess(api),
    'memory@base': () => switchboardProcess(api, ':memory:', o, true),
    'dir@base': (round) => switchboardProcess(api, join(dir, `b${round}`), o, true),
  };
  try {
    for (let round = 1; round <= o.rounds; round++) {
      // rotate the order: each case is first in some rounds and last in others
      const order = o.cases.map((_, i) => o.cases[(i + round - 1) % o.cases.length]!);
      for (const [position, name] of order.entries()) {
        const target = await starters[name](round);
        try {
          if (o.warmupSeconds > 0) await runLoad(target, api, o.rate, o.warmupSeconds);
          const cpuBefore = cpuMsOf(target.pid);
          const wallBefore = Date.now();
          const row = await runLoad(target, api, o.rate, o.seconds);
          const cpuMs = cpuMsOf(target.pid) - cpuBefore;
          const wallMs = Date.now() - wallBefore;
          const { case: caseName, ...figures } = row;
          rows.push({
            round,
            order: position + 1,
            case: caseName,
            ...figures,
            'cpu ms/update': round2(cpuMs / Number(row.posted)),
            'cpu % of a core': Math.round((cpuMs / wallMs) * 100),
            // other processes on the machine move the latencies (not the cpu per update): shown per round
            'load 1m': Math.round(loadavg()[0]! * 10) / 10,
          });
        } finally {
          await target.close();
        }
      }
    }
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const cases = [...new Set(rows.map((r) => String(r.case)))];
  const medians = cases.map((name) => {
    const mine = rows.filter((r) => r.case === name);
    const out: Record<string, unknown> = { case: name, rounds: mine.length, 'undelivered at end': mine.reduce((n, r) => n + Number(r['undelivered at end']), 0) };
    for (const key of NUMERIC) out[key] = round2(median(mine.map((r) => Number(r[key]))));
    return out;
  });
  const bare = medians.find((m) => String(m.case).startsWith('bare'));
  if (bare) {
    for (const m of medians) {
      m['p50 ÷ bare'] = round2(Number(m['p50 ms']) / Number(bare['p50 ms']));
      m['p99 ÷ bare'] = round2(Number(m['p99 ms']) / Number(bare['p99 ms']));
    }
  }
  const note =
    `${o.rate} updates/s for ${o.seconds} s after ${o.warmupSeconds} s of warm-up load, ${o.rounds} rounds (order rotated). ` +
    `Switchboard runs as ${o.compiled ? `\`node ${[...nodeFlagsOf('start:prod'), o.entry ?? 'dist/src/main.js'].join(' ')}\` (compiled, npm run start:prod)` : `\`node ${[...nodeFlagsOf('start'), '--import tsx', o.entry ?? 'src/main.ts'].join(' ')}\` (npm start)`}; the bare bot through tsx. ` +
    'cpu: the bot process only (user + system, /proc), over the measured run and its drain; the steadier figure when the machine is shared (load 1m: its load average after each run).';
  return { rounds: rows, medians, note };
}

export async function printRelayProcesses(options: Partial<RelayProcessesOptions> = {}): Promise<void> {
  const { rounds, medians, note } = await benchRelayProcesses(options);
  printTable('Telegram relay, each bot its own process (webhook ack and update → agent sendMessage), per round', rounds);
  printTable('Medians over the rounds, and the ratio to the bare bot', medians);
  console.log(note);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await printRelayProcesses(parseRelayArgs(process.argv.slice(2)));
  process.exit(0);
}
