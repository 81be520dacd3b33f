// `npm run bench`: every benchmark case, each printed as a table. Bounded: stops by itself.
import { benchPickCost, benchThroughput } from './routing.js';
import { benchMongoPickCost } from './mongo-routing.js';
import { benchTelegramRelay } from './telegram-relay.js';
import { benchOffboarding } from './offboarding.js';
import { benchNotices } from './notices.js';
import { printTable } from './table.js';
import { benchDataDir } from './data-dir.js';
import { benchDrain } from './drain.js';
import { benchDedupe } from './dedupe.js';
import { parseRelayArgs, printRelayProcesses } from './relay-processes.js';

// `npm run bench -- <case> [part…]` runs one case (routing, telegram, notices, offboarding, data-dir)
const only = process.argv[2];
const parts = process.argv.slice(3);
const CASES = ['routing', 'telegram', 'relay-processes', 'dedupe', 'drain', 'notices', 'offboarding', 'data-dir'];
if (only && !CASES.includes(only)) {
  console.error(`unknown bench case ${only}: choose from ${CASES.join(', ')}`);
  process.exit(2);
}

if (!only || only === 'routing') {
  printTable('Routing throughput (embedded store, 50 agents)', await benchThroughput());
  printTable('Cost of one routing pick by inbox size (embedded store)', await benchPickCost());
  const mongoUri = process.env['MONGODB_URI'];
  const mongoTitle = 'Cost of one routing pick by inbox size (MongoDB at MONGODB_URI)';
  const mongoRows = mongoUri ? await benchMongoPickCost(mongoUri).catch((e: unknown) => (e instanceof Error ? e.message : String(e))) : 'MONGODB_URI is not set';
  if (typeof mongoRows === 'string') console.log(`\n${mongoTitle}\nskipped: no MongoDB (${mongoRows})`);
  else printTable(mongoTitle, mongoRows);
}
if (!only || only === 'telegram') {
  const rows = await benchTelegramRelay();
  printTable('Telegram relay: customer update on the webhook → agent sendMessage at the fake Bot API', rows);
}
if (!only || only === 'relay-processes') {
  // `npm run bench -- relay-processes [rate] [seconds] [rounds] [--warmup=S] [--tsx] [--cases=…] [--prof=DIR] [--node-arg=A]`
  await printRelayProcesses(parseRelayArgs(only === 'relay-processes' ? parts : []));
}
if (!only || only === 'dedupe') {
  printTable('Handled-update check and mark on the embedded store (lru-cache, at most 500,000 keys)', await benchDedupe());
}
if (!only || only === 'drain') {
  printTable('Drain of 1,000 queued conversations to 10 agents coming online, paced to Telegram limits (digests)', await benchDrain());
}
if (!only || only === 'notices') {
  printTable('Hand-over notice of a 45-message conversation (latest 20 and the "25 more" line), Telegram\'s limit', await benchNotices());
}
if (!only || only === 'offboarding') {
  printTable('Offboarding an agent with 10,000 open conversations (embedded store)', await benchOffboarding());
}
if (!only || only === 'data-dir') {
  await benchDataDir(parts);
}
process.exit(0);
