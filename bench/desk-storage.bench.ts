// The desk's storage in Debian's Chromium with real IndexedDB (RxDB 17, Dexie storage): persist a
// month of 1,000,000 transactions as batch documents (target <= 30 s), load the month back for a
// settlement run (target <= 3 s), and the IndexedDB folder's size on disk per million rows; then
// one RxDB document per transaction on a small sample, for comparison (docs/desk-storage.md).
// The rows come as ten files of 100,000 (a month of PSP reports), generated outside the timing.
// DESK_BENCH_ROWS / DESK_BENCH_SAMPLE change the sizes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { callModuleInPage, chromiumPath } from '../tests/e2e/browser.ts';
import { startStillServer } from './desk-storage-server.ts';
import type { LoadResult, PerDocResult, PersistResult } from './desk-storage-scenario.ts';
import { expectedAmountMinorSum } from './desk-storage-scenario.ts';

const ROWS = Number(process.env.DESK_BENCH_ROWS ?? 1_000_000);
const ROWS_PER_IMPORT = 100_000;
const PER_DOC_SAMPLE = Number(process.env.DESK_BENCH_SAMPLE ?? 20_000);
const PERSIST_MS_MAX = 30_000;
const LOAD_MS_MAX = 3_000;
const SCENARIO = path.resolve('bench/desk-storage-scenario.ts');

function openContext(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--js-flags=--max-old-space-size=6144'],
  });
}

function indexedDbBytes(profile: string): number {
  const folder = path.join(profile, 'Default', 'IndexedDB');
  return Number(execFileSync('du', ['-sb', folder], { encoding: 'utf8' }).split('\t')[0]);
}

/**
 * CPU seconds (user + system) used so far by this process and every descendant (Chromium's
 * browser, renderer, GPU and utility processes, Vite's esbuild): page timings are wall time, and on
 * a shared machine the wall time says as much about the other sessions as about this code.
 * Parents come from /proc/PID/stat, as any thread of a process may have started a child.
 */
function treeCpuSeconds(): number {
  const stats = new Map<number, { parent: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // After the command name's ')': state, ppid, ..., utime (14th field of the line) and stime (15th).
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      stats.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let ticks = 0;
  for (const [pid, stat] of stats) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = stats.get(at)?.parent) {
      if (at === process.pid) {
        ticks += stat.ticks;
        break;
      }
    }
  }
  return ticks / 100;
}

function loadNow(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}

async function main(): Promise<number> {
  const { server, baseUrl } = await startStillServer();
  const profiles = [mkdtempSync(path.join(tmpdir(), 'desk-bench-batches-')), mkdtempSync(path.join(tmpdir(), 'desk-bench-perdoc-'))] as const;
  let failed = false;
  try {
    console.log(`load average before: ${loadavg().map((load) => load.toFixed(1)).join(' ')} on 2 cores`);
    const context = await openContext(profiles[0]);
    const page = await context.newPage();
    await page.goto(`${baseUrl}desk/test-page.html`);
    const persistCpu = treeCpuSeconds();
    const persisted = await callModuleInPage<PersistResult>(page, SCENARIO, `persistMonth('bench_month', ${ROWS}, ${ROWS_PER_IMPORT})`);
    const perMillion = 1_000_000 / ROWS;
    console.log(`persist ${persisted.rows} rows (${persisted.imports} imports of up to ${Math.min(ROWS, ROWS_PER_IMPORT)}): ${(persisted.persistMs / 1000).toFixed(1)} s = ${Math.round(persisted.rows / (persisted.persistMs / 1000))} rows/s (packing one import alone: ${(persisted.packOneFileMs / 1000).toFixed(2)} s)`);
    console.log(`  CPU of Chromium + this process over the call (row generation ${(persisted.generateMs / 1000).toFixed(1)} s wall and the pack probe included): ${(treeCpuSeconds() - persistCpu).toFixed(1)} s; load average ${loadNow()}`);
    const load = async (shape: 'objects' | 'columns'): Promise<LoadResult> => {
      await page.reload();
      const cpu = treeCpuSeconds();
      const result = await callModuleInPage<LoadResult>(page, SCENARIO, `loadMonth('bench_month', '${shape}')`);
      const what = shape === 'objects' ? 'loadTransactions, every row built' : `loadTransactionColumns, rows chosen not built; then building each row one at a time and reading its amount: ${(result.streamMs / 1000).toFixed(2)} s`;
      console.log(`load the month back (${what}): ${result.rows} rows in ${(result.loadMs / 1000).toFixed(2)} s (reading the ${Math.ceil(result.rows / 10_000)} batch documents alone, a second time: ${(result.readMs / 1000).toFixed(2)} s)`);
      console.log(`  CPU of Chromium + this process over the call (opening the desk, the load, the second read and the exact sum included): ${(treeCpuSeconds() - cpu).toFixed(1)} s; load average ${loadNow()}`);
      return result;
    };
    const loaded = await load('objects');
    const columns = await load('columns');
    await context.close();
    const batchBytes = indexedDbBytes(profiles[0]);
    console.log(`IndexedDB on disk: ${mib(batchBytes)} for ${ROWS} rows = ${mib(batchBytes * perMillion)} per million (${Math.round(batchBytes / ROWS)} bytes/row)`);

    const expectedSum = expectedAmountMinorSum(ROWS, ROWS_PER_IMPORT);
    for (const result of [loaded, columns]) {
      if (result.rows !== ROWS || result.amountMinorSum !== expectedSum) {
        console.log(`WRONG: loaded ${result.rows} rows summing ${result.amountMinorSum} minor units, expected ${ROWS} summing ${expectedSum}`);
        failed = true;
      }
    }
    if (ROWS === 1_000_000 && persisted.persistMs > PERSIST_MS_MAX) {
      console.log(`MISSED: persist took ${(persisted.persistMs / 1000).toFixed(1)} s, target ${PERSIST_MS_MAX / 1000} s`);
      failed = true;
    }
    if (ROWS === 1_000_000 && columns.loadMs + columns.streamMs > LOAD_MS_MAX) {
      console.log(`MISSED: loading the month as columns and streaming its rows took ${((columns.loadMs + columns.streamMs) / 1000).toFixed(2)} s, target ${LOAD_MS_MAX / 1000} s`);
      failed = true;
    }
    if (ROWS === 1_000_000 && loaded.loadMs > LOAD_MS_MAX) console.log(`(loadTransactions, every row built at once, took ${(loaded.loadMs / 1000).toFixed(2)} s: over the ${LOAD_MS_MAX / 1000} s target)`);

    const perDocContext = await openContext(profiles[1]);
    const perDocPage = await perDocContext.newPage();
    await perDocPage.goto(`${baseUrl}desk/test-page.html`);
    const perDoc = await callModuleInPage<PerDocResult>(perDocPage, SCENARIO, `perDocumentSample('bench_per_doc', ${PER_DOC_SAMPLE})`);
    await perDocContext.close();
    const perDocBytes = indexedDbBytes(profiles[1]);
    const perDocScale = 1_000_000 / perDoc.rows;
    console.log(
      `one document per transaction, ${perDoc.rows} rows: write ${(perDoc.writeMs / 1000).toFixed(1)} s = ${Math.round(perDoc.rows / (perDoc.writeMs / 1000))} rows/s (a million: ~${((perDoc.writeMs * perDocScale) / 1000).toFixed(0)} s), ` +
        `load ${(perDoc.loadMs / 1000).toFixed(2)} s (a million: ~${((perDoc.loadMs * perDocScale) / 1000).toFixed(0)} s), on disk ${mib(perDocBytes)} (~${mib(perDocBytes * perDocScale)} per million), read back exact: ${perDoc.hashMatches}`,
    );
    if (!perDoc.hashMatches) failed = true;
    console.log(`load average after: ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  } finally {
    await server.close();
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
