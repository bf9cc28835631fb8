import { mkdirSync, readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoWorkspace, openScreen, rowAccount, screenshot, seriousViolations, type OpenWorkstation, openWorkstation } from './support/workstation.ts';

// A zip of statements dropped on Imports (unpacked in the engine worker), the progress line, the
// dashboard's settlements by status after a run and a submission, and the Sync screen's conflict
// list, in Debian's Chromium on the demo workspace. Screenshots in tmp/artifacts/scale/.

const CAMT = readFileSync('core/importers/fixtures/camt/camt053-v02-bad-entries.xml');
const ZIP_NAME = 'march-statements.zip';
/** The wizard's choices for the orders layout (Date, Order ID, Type, Amount, Currency, ...), in the order the controls appear. */
const ORDERS_MAPPING = [
  ['date-column', 'Date'],
  ['date-format', 'MM/DD/YYYY'],
  ['amount-format', 'en'],
  ['amount-column', 'Amount'],
  ['currency-column', 'Currency'],
  ['kind-mode', 'column'],
  ['kind-column', 'Type'],
  ['id-policy', 'reference'],
  ['reference-column', 'Order ID'],
] as const;

let desk: OpenWorkstation;
let page: Page;

beforeAll(async () => {
  mkdirSync('tmp/artifacts/scale', { recursive: true });
  desk = await openWorkstation();
  page = desk.page;
  await openDemoWorkspace(page, desk.baseUrl);
}, 120_000);

afterAll(async () => {
  await desk?.close();
});

/** Drops files on the drop zone as a drag from the desktop would (a DataTransfer with File objects). */
async function dropFiles(target: string, files: readonly { readonly name: string; readonly bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((file) => ({ name: file.name, bytes: [...file.bytes] }));
  const transfer = await page.evaluateHandle((items) => {
    const data = new DataTransfer();
    for (const item of items) data.items.add(new File([new Uint8Array(item.bytes)], item.name));
    return data;
  }, payload);
  await page.dispatchEvent(target, 'drop', { dataTransfer: transfer });
}

describe('imports of a zip, settlements by status, conflicts (Chromium, demo workspace)', () => {
  it('imports each statement of a dropped zip and refuses the member no importer knows, with its reason', async () => {
    await openScreen(page, 'imports');
    const zip = zipSync({ 'march/bank/camt053-v02-bad-entries.xml': new Uint8Array(CAMT), 'march/readme.pdf': strToU8('%PDF-1.7 this is not a statement') });
    await dropFiles('[data-testid=drop-zone]', [{ name: ZIP_NAME, bytes: zip }]);
    // Hand count of the camt fixture: 9 <Ntry>; 12.34 EUR and -7.25 USD are good, the other 7 are broken.
    expect(await rowAccount(page, `${ZIP_NAME}/march/bank/camt053-v02-bad-entries.xml`)).toEqual(['9', '2', '7', '0', '0']);
    const refused = page.locator(`[data-testid=row-account] tr[data-file="${ZIP_NAME}/march/readme.pdf"]`);
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toMatch(/readme\.pdf was not imported: no importer recognizes this file/);
    // The command line's own hint (--format) is not the desk's to give.
    expect(await refused.textContent()).not.toContain('--format');
    const grid = page.locator('[data-testid=rejected-grid]');
    await expect.poll(() => grid.locator(`.ag-row:has-text("${ZIP_NAME}/march/bank/camt053-v02-bad-entries.xml")`).count(), { timeout: 15_000 }).toBe(7);
    await screenshot(page, 'scale/imports-zip');
    // Every file's account adds up on screen: imported + rejected + duplicates + conflicts = entries
    // (a report row with a fee gives two entries, so entries, not rows read, is what the four add to).
    const accounts = await page.locator('[data-testid=row-account] tbody tr:has(td[data-col=entries])').evaluateAll((rows) =>
      rows.map((row) => ['entries', 'imported', 'rejected', 'duplicates', 'conflicts'].map((col) => Number((row.querySelector(`td[data-col=${col}]`)?.textContent ?? '').replace(/[^0-9]/g, '')))),
    );
    expect(accounts.length).toBeGreaterThan(1);
    for (const [entries, ...parts] of accounts) expect(parts.reduce((sum, part) => sum + part, 0)).toBe(entries);
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('refuses an archive cut inside its first header with a clear error', async () => {
    // The zip bomb's 1 GB limit is tested in renderer/engine/zip.test.ts (inflated bytes counted); here the screen's text for an archive error.
    await dropFiles('[data-testid=drop-zone]', [{ name: 'cut.zip', bytes: new Uint8Array([0x50, 0x4b, 3, 4, 20, 0]) }]);
    const row = page.locator('[data-testid=row-account] tr[data-file="cut.zip"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('td[role=alert]').textContent()).toBe('cut.zip was not imported: the archive is damaged or cut short; the files before the damage were imported.');
  }, 60_000);

  it('shows settlements by status on the dashboard after a run and one submission', async () => {
    await openScreen(page, 'settlements');
    await page.getByTestId('run-settlement').click();
    await expect.poll(() => page.textContent('[data-testid=run-status]'), { timeout: 60_000 }).toMatch(/Run 1 of 2026-03: \d+ statements/);
    const statements = Number(/: (\d+) statements/.exec((await page.textContent('[data-testid=run-status]')) ?? '')?.[1]);
    await page.locator('[data-testid=statements-grid] .ag-row[row-index="0"] [col-id=partner]').first().dblclick();
    await page.getByTestId('statement-preview').waitFor();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => page.textContent('[data-testid=statement-status]'), { timeout: 15_000 }).toBe('Submitted');
    await openScreen(page, 'dashboard');
    const table = page.locator('[data-testid=settlements-by-status]');
    await table.waitFor({ timeout: 15_000 });
    const count = async (status: string) => Number(await table.locator(`tr[data-status=${status}] td[data-col=count]`).textContent());
    await expect.poll(() => count('submitted'), { timeout: 15_000 }).toBe(1);
    expect(await count('approved')).toBe(0);
    expect(await count('rejected')).toBe(0);
    // Every statement the run stored is in exactly one status.
    const total = (await Promise.all(['draft', 'submitted', 'approved', 'rejected', 'blocked'].map(count))).reduce((a, b) => a + b, 0);
    expect(statements).toBeGreaterThanOrEqual(1);
    expect(total).toBe(statements);
    await page.getByTestId('settlements').scrollIntoViewIfNeeded();
    await screenshot(page, 'scale/dashboard-settlements');
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it('lists conflicts on the Sync screen (none on a local demo desk), and shows the screens in Korean', async () => {
    await openScreen(page, 'sync');
    await expect.poll(() => page.textContent('[data-testid=sync-conflict-list]'), { timeout: 15_000 }).toContain('No conflicts');
    await screenshot(page, 'scale/sync');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('header select').selectOption('ko');
    await expect.poll(() => page.textContent('[data-testid=sync-conflict-list]'), { timeout: 15_000 }).toContain('충돌이 없습니다');
    await openScreen(page, 'dashboard');
    await expect.poll(() => page.textContent('[data-testid=settlements-by-status]'), { timeout: 15_000 }).toContain('제출됨');
    await screenshot(page, 'scale/dashboard-settlements-ko');
    expect(desk.pageErrors).toEqual([]);
  }, 60_000);

  it('shows rows, rows/s and bytes while one big CSV is parsed, then its row account: 40,000 rows imported', async () => {
    // 40,000 orders in the fixture's layout, about 3.3 MB: four slices of 1 MiB, each reported as it is parsed.
    const rows = Array.from({ length: 40_000 }, (_, i) => `03/${String((i % 28) + 1).padStart(2, '0')}/2026,B-${String(i).padStart(5, '0')},sale,12.34,USD,acme,widget,order number ${i} of the big export\n`);
    const csv = strToU8(`Date,Order ID,Type,Amount,Currency,Partner,Product,Memo\n${rows.join('')}`);
    // Last in this file: 40,000 more rows make every later analysis and settlement of the month slower.
    await page.locator('header select').selectOption('en');
    await openScreen(page, 'imports');
    await dropFiles('[data-testid=drop-zone]', [{ name: 'big-orders.csv', bytes: csv }]);
    const wizard = page.locator('[data-testid=csv-wizard]');
    await wizard.waitFor({ timeout: 30_000 });
    await expect.poll(() => wizard.locator('[data-testid=wizard-raw] th').count(), { timeout: 30_000 }).toBe(8);
    for (const [control, value] of ORDERS_MAPPING) await wizard.locator(`[data-testid=wizard-${control}]`).selectOption(value);
    // Every text the progress line shows, recorded in the page as it changes (polling could miss a short import).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressTexts: string[] }).progressTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=import-rate]')?.textContent;
        if (text !== undefined && text !== null && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await wizard.locator('[data-testid=wizard-save]').click();
    expect(await rowAccount(page, 'big-orders.csv')).toEqual(['40,000', '40,000', '0', '0', '0']);
    const texts = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(texts.every((text) => /^[\d,]+ rows · [\d,]+ rows\/s · [\d,]+ of [\d,]+ KB read · file 1 of 1$/.test(text))).toBe(true);
    // Within the file: fewer rows than it has, and fewer KB than its size, while it was being parsed.
    expect(texts.some((text) => Number(/^([\d,]+) rows/.exec(text)?.[1]?.replaceAll(',', '')) < 40_000)).toBe(true);
  }, 180_000);
});
