// The embedded store's handled-update check and mark (isHandled, then recordDelivery after the
// effects), per update, with 10,000 and 500,000 updates already handled: it must stay flat (the
// keys live in an lru-cache bounded at 500,000, the oldest leaving first).
import { pathToFileURL } from 'node:url';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { printTable } from './table.js';

export async function benchDedupe(sizes = [10_000, 500_000], measured = 50_000): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const store = new MemoryStore();
    const at = new Date();
    for (let i = 0; i < size; i++) await store.recordDelivery(`telegram:${i}`, at);
    const started = process.hrtime.bigint();
    let duplicates = 0;
    for (let i = 0; i < measured; i++) {
      // half new updates, half redeliveries of handled ones
      const key = i % 2 === 0 ? `telegram:${size + i}` : `telegram:${Math.floor(Math.random() * size)}`;
      if (await store.isHandled(key)) duplicates++;
      else await store.recordDelivery(key, at);
    }
    const ns = Number(process.hrtime.bigint() - started) / measured;
    rows.push({ 'handled already': size.toLocaleString('en'), 'updates measured': measured.toLocaleString('en'), 'µs per update': Math.round(ns / 10) / 100, duplicates });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable('Handled-update check and mark on the embedded store', await benchDedupe());
  process.exit(0);
}
