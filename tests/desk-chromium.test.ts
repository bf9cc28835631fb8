import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHash } from '../core/canonical/json.ts';
import { sampleTransactions } from '../renderer/desk/fixtures.test-support.ts';
import { callModuleInPage, launchChromium, startRendererServer } from './e2e/browser.ts';

/**
 * The desk on Chromium's real IndexedDB (Debian's Chromium, Dexie storage): an import of 4,000
 * rows is stored, the page is reloaded, and a fresh desk reads every transaction back exactly
 * (same canonical hash as the rows built in Node). The page is renderer/desk/test-page.html, an
 * empty page on the renderer's dev server, so the app's own desk does not run beside it.
 */
let server: ViteDevServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  // Its own dependency cache: another browser test's dev server may be optimizing at the same time.
  ({ server, baseUrl } = await startRendererServer({ cacheDir: 'node_modules/.vite-desk-chromium' }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const SCENARIO = path.resolve('renderer/desk/browser-scenario.test-support.ts');

describe('desk storage in Chromium', () => {
  it('stores an import of 4,000 rows in IndexedDB and reads it back exactly after a reload', async () => {
    const rows = 4_000;
    const expected = sampleTransactions(rows, { fileName: 'psp-2026-03.csv' });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}desk/test-page.html`);
    const name = `desk_chromium_${Date.now()}`;
    const stored = await callModuleInPage<{ count: number; hash: string }>(page, SCENARIO, `storeSampleImport(${JSON.stringify(name)}, ${rows})`);
    expect(stored).toMatchObject({ count: rows, hash: canonicalHash(expected) });

    await page.reload();
    const read = await callModuleInPage<{ count: number; hash: string; firstId: string; lastAmount: string; imports: number; rejected: number }>(page, SCENARIO, `readBackMonth(${JSON.stringify(name)})`);
    expect(read).toEqual({ count: rows, hash: canonicalHash(expected), firstId: 'csv:bench:R00000000', lastAmount: expected[rows - 1]?.amount, imports: 1, rejected: 1 });
    expect(errors).toEqual([]);
    await page.close();
    // Vite optimizes rxdb and dexie on the first import: on a busy machine that alone can take half a minute.
  }, 120_000);
});
