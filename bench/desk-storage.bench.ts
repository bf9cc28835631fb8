// The desk's storage in Debian's Chromium with real IndexedDB (RxDB 17, Dexie storage): persist a
// month of 1,000,000 transactions as batch documents (target <= 30 s), load the month back for a
// settlement run (target <= 3 s), and the IndexedDB folder's size on disk per million rows; then
// one RxDB document per transaction on a small sample, for comparison (docs/desk-storage.md).
// The rows come as ten files of 100,000 (a month of PSP reports), generated outside the timing.
// DESK_BENCH_ROWS / DESK_BENCH_SAMPLE change the sizes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { callModuleInPage, chromiumPath, startRendererServer } from '../tests/e2e/browser.ts';
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

function mib(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MiB`;
}

async function main(): Promise<number> {
  const { server, baseUrl } = await startRendererServer({ cacheDir: 'node_modules/.vite-desk-bench' });
  const profiles = [mkdtempSync(path.join(tmpdir(), 'desk-bench-batches-')), mkdtempSync(path.join(tmpdir(), 'desk-bench-perdoc-'))] as const;
  let failed = false;
  try {
    console.log(`load average before: ${loadavg().map((load) => load.toFixed(1)).join(' ')} on 2 cores`);
    const context = await openContext(profiles[0]);
    const page = await context.newPage();
    await page.goto(`${baseUrl}desk/test-page.html`);
    const persisted = await callModuleInPage<PersistResult>(page, SCENARIO, `persistMonth('bench_month', ${ROWS}, ${ROWS_PER_IMPORT})`);
    const perMillion = 1_000_000 / ROWS;
    console.log(`persist ${persisted.rows} rows (${persisted.imports} imports of up to ${Math.min(ROWS, ROWS_PER_IMPORT)}): ${(persisted.persistMs / 1000).toFixed(1)} s = ${Math.round(persisted.rows / (persisted.persistMs / 1000))} rows/s (packing one import alone: ${(persisted.packOneFileMs / 1000).toFixed(2)} s)`);
    await page.reload();
    const loaded = await callModuleInPage<LoadResult>(page, SCENARIO, "loadMonth('bench_month')");
    console.log(`load the month back: ${loaded.rows} rows in ${(loaded.loadMs / 1000).toFixed(2)} s (reading the ${Math.ceil(loaded.rows / 10_000)} batch documents alone, a second time: ${(loaded.readMs / 1000).toFixed(2)} s)`);
    await context.close();
    const batchBytes = indexedDbBytes(profiles[0]);
    console.log(`IndexedDB on disk: ${mib(batchBytes)} for ${ROWS} rows = ${mib(batchBytes * perMillion)} per million (${Math.round(batchBytes / ROWS)} bytes/row)`);

    const expectedSum = expectedAmountMinorSum(ROWS, ROWS_PER_IMPORT);
    if (loaded.rows !== ROWS || loaded.amountMinorSum !== expectedSum) {
      console.log(`WRONG: loaded ${loaded.rows} rows summing ${loaded.amountMinorSum} minor units, expected ${ROWS} summing ${expectedSum}`);
      failed = true;
    }
    if (ROWS === 1_000_000 && persisted.persistMs > PERSIST_MS_MAX) {
      console.log(`MISSED: persist took ${(persisted.persistMs / 1000).toFixed(1)} s, target ${PERSIST_MS_MAX / 1000} s`);
      failed = true;
    }
    if (ROWS === 1_000_000 && loaded.loadMs > LOAD_MS_MAX) {
      console.log(`MISSED: load took ${(loaded.loadMs / 1000).toFixed(2)} s, target ${LOAD_MS_MAX / 1000} s`);
      failed = true;
    }

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
