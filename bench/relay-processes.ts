// The relay measured from outside, as an operator would: Switchboard (`node --import tsx
// src/main.ts`, DATA_DIR=:memory:, outbox and intake in the path, pacing off because the fake Bot
// API has no limits) and a bare telegraf bot each in their own process, the load generator and the
// fake Bot API in this one. Webhook acknowledgement and update → agent sendMessage, p50/p99.
// `npx tsx bench/relay-processes.ts [rate] [seconds]`.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeTelegramApi, type FakeTelegramApi } from '../test/fakes/telegram-api.js';
import { ChildSwitchboard } from '../test/e2e/child-switchboard.js';
import { AGENT_CHATS, SECRET, runLoad, type Target } from './telegram-relay.js';
import { printTable } from './table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function switchboardProcess(api: FakeTelegramApi, dataDir: string): Promise<Target> {
  const sb = await ChildSwitchboard.start({
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
    SEND_PACING: 'off',
  });
  for (const [k, chat] of AGENT_CHATS.entries()) {
    await sb.api('POST', '/api/agents', { handle: `agent${k + 1}`, name: `Agent ${k + 1}`, telegramUserId: Number(chat), availability: 'online', capacity: 1000 });
  }
  await sb.api('PUT', '/api/inboxes/telegram/members', { handles: AGENT_CHATS.map((_, k) => `agent${k + 1}`) });
  return {
    name: `switchboard process (${dataDir === ':memory:' ? 'memory store' : 'data directory'})`,
    webhookUrl: `${sb.base}/telegram/webhook`,
    close: async () => {
      await sb.stop('SIGTERM');
    },
  };
}

async function bareProcess(api: FakeTelegramApi): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-bot.ts', api.apiRoot, api.token, SECRET, AGENT_CHATS[0]!], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout!.setEncoding('utf8').once('data', (line: string) => resolve(line.trim())));
  return {
    name: 'bare telegraf process (1 sendMessage per update)',
    webhookUrl: url,
    close: async () => {
      child.kill('SIGTERM');
    },
  };
}

export async function benchRelayProcesses(rate = 500, seconds = 10, rounds = 3): Promise<Record<string, unknown>[]> {
  const api = await startFakeTelegramApi();
  api.record = false;
  const rows: Record<string, unknown>[] = [];
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-relay-proc-'));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const start of [(a: FakeTelegramApi) => switchboardProcess(a, ':memory:'), (a: FakeTelegramApi) => switchboardProcess(a, join(dir, `r${round}`)), bareProcess]) {
        const target = await start(api);
        try {
          await runLoad(target, api, rate, 1);
          rows.push({ round, ...(await runLoad(target, api, rate, seconds)) });
        } finally {
          await target.close();
        }
      }
    }
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rate, seconds, rounds] = process.argv.slice(2).map(Number);
  printTable('Telegram relay, each bot its own process (webhook ack and update → agent sendMessage)', await benchRelayProcesses(rate || undefined, seconds || undefined, rounds || undefined));
  process.exit(0);
}
