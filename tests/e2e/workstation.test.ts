import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoWorkstation } from './support/demo-workstation.ts';
import { headerProblems, openScreen, pickFiles, rowAccount, screenshot, seriousViolations, type OpenWorkstation } from './support/workstation.ts';

// The workstation in Debian's Chromium against `npm run web`: the demo workspace, imports of a
// camt.053 and of an unknown CSV through the mapping wizard, the Korean switch, a screenshot
// and an axe-core check of each of the shell's screens.

const FIXTURES = 'core/importers/fixtures';

let desk: OpenWorkstation;
let page: Page;

beforeAll(async () => {
  desk = await openDemoWorkstation({ start: 'first-start' });
  page = desk.page;
}, 60_000);

afterAll(async () => {
  await desk?.close();
});

describe('the workstation in Chromium', () => {
  it('opens the demo workspace from the first start, marked DEMO', async () => {
    await screenshot(page, 'first-start');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid=open-demo]');
    await expect.poll(() => page.textContent('[data-testid=workspace-name]'), { timeout: 30_000 }).toBe('Demo 2026-03');
    expect(await page.textContent('[data-testid=demo-badge]')).toBe('DEMO');
    // The engine worker builds the month (about 5,000 rows through the real importers) off the main thread.
    await page.locator('[data-testid=dashboard-ready]').waitFor({ timeout: 80_000 });
    // The unmatched card asks the worker once the desk's hand-matched set is told to it: 'Loading…' until then.
    await expect.poll(() => page.locator('[data-testid=unmatched] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=forecast-chart] canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'dashboard');
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('imports a camt.053: 9 entries, 2 imported, 7 rejected, each rejected row with its line and element', async () => {
    await openScreen(page, 'imports');
    await pickFiles(page, '[data-testid=pick-files]', [`${FIXTURES}/camt/camt053-v02-bad-entries.xml`]);
    // Hand count of the fixture: 9 <Ntry>; 12.34 EUR and -7.25 USD are good, the other 7 are broken.
    expect(await rowAccount(page, 'camt053-v02-bad-entries.xml')).toEqual(['9', '2', '7', '0', '0']);
    const grid = page.locator('[data-testid=rejected-grid]');
    await expect.poll(() => grid.locator('.ag-row:has-text("camt053-v02-bad-entries.xml")').count(), { timeout: 30_000 }).toBe(7);
    await expect.poll(() => grid.locator('.ag-row:has-text("Stmt/Ntry/Amt@Ccy")').count(), { timeout: 30_000 }).toBe(1);
  });

  it('maps an unknown CSV in the wizard, with a live preview, and imports it: 9 rows, 3 imported, 6 rejected', async () => {
    await pickFiles(page, '[data-testid=pick-files]', [`${FIXTURES}/csv/orders-us-utf8-bom.csv`]);
    const wizard = page.locator('[data-testid=csv-wizard]');
    await wizard.waitFor();
    // The engine may still be analysing the camt.053 import: the preview waits its turn in the worker.
    await expect.poll(() => wizard.locator('[data-testid=wizard-raw] th').allTextContents(), { timeout: 20_000 }).toEqual(['Date', 'Order ID', 'Type', 'Amount', 'Currency', 'Partner', 'Product', 'Memo']);
    await wizard.locator('[data-testid=wizard-date-column]').selectOption('Date');
    await wizard.locator('[data-testid=wizard-date-format]').selectOption('MM/DD/YYYY');
    await wizard.locator('[data-testid=wizard-amount-format]').selectOption('en');
    await wizard.locator('[data-testid=wizard-amount-column]').selectOption('Amount');
    await wizard.locator('[data-testid=wizard-currency-column]').selectOption('Currency');
    await wizard.locator('[data-testid=wizard-kind-mode]').selectOption('column');
    await wizard.locator('[data-testid=wizard-kind-column]').selectOption('Type');
    await wizard.locator('[data-testid=wizard-id-policy]').selectOption('reference');
    await wizard.locator('[data-testid=wizard-reference-column]').selectOption('Order ID');
    // The preview reads the first rows as the importer will: "1,234.56" in the en format is 1234.56.
    const firstParsed = wizard.locator('[data-testid=wizard-parsed] tbody tr').first();
    await expect.poll(() => firstParsed.locator('td').allTextContents(), { timeout: 10_000 }).toEqual(['2', 'OK', '2026-03-01', 'Sale', '1234.56', 'USD', 'A-1', '']);
    await screenshot(page, 'imports-wizard');
    await wizard.locator('[data-testid=wizard-save]').click();
    // Hand count: A-1, A-2 (quoted newline), A-9 import; 12.3.4, 6 cells, giftcard, XYZ, 0.015 USD and the missing order id are rejected.
    expect(await rowAccount(page, 'orders-us-utf8-bom.csv')).toEqual(['9', '3', '6', '0', '0']);
    await expect.poll(() => page.locator('[data-testid=rejected-grid] .ag-row:has-text("orders-us-utf8-bom.csv")').count(), { timeout: 30_000 }).toBe(6);
    await screenshot(page, 'imports');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the imported orders in Transactions with an exact pinned total: 1,234.56 - 20.00 - 7.50 = 1,207.06 USD', async () => {
    await openScreen(page, 'transactions');
    await page.fill('[data-testid=transactions-search]', 'orders-us-utf8-bom');
    await expect.poll(() => page.textContent('[data-testid=transactions-count]'), { timeout: 30_000 }).toBe('3 transactions');
    // The pinned total row (one per currency; AG Grid draws a row's pinned and centre parts separately).
    const totals = page.locator('[data-testid=transactions-grid] .sd-total-row');
    await expect.poll(async () => (await totals.allTextContents()).join(' '), { timeout: 30_000 }).toContain('1,207.06');
    const totalText = (await totals.allTextContents()).join(' ');
    expect(totalText).toContain('USD');
    expect(totalText).not.toContain('EUR');
    await page.fill('[data-testid=transactions-search]', '');
    // Every header whole at 1440 px, the amount's filter button right of its label like the others'.
    expect(await headerProblems(page, 'transactions-grid')).toEqual([]);
    await screenshot(page, 'transactions');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('keeps the imports in the desk database: after a reload the row account is read back from IndexedDB', async () => {
    await page.reload();
    await openScreen(page, 'imports');
    expect(await rowAccount(page, 'orders-us-utf8-bom.csv')).toEqual(['9', '3', '6', '0', '0']);
    expect(await rowAccount(page, 'camt053-v02-bad-entries.xml')).toEqual(['9', '2', '7', '0', '0']);
    await expect.poll(() => page.locator('[data-testid=rejected-grid] .ag-row:has-text("orders-us-utf8-bom.csv")').count(), { timeout: 30_000 }).toBe(6);
  }, 60_000);

  it('shows Settings and Sync, each without serious accessibility problems', async () => {
    for (const route of ['settings', 'sync']) {
      await openScreen(page, route);
      // The browser host holds no keys: Settings says where statements are signed instead of offering an import.
      if (route === 'settings') await expect.poll(() => page.textContent('[data-testid=signing-settings]'), { timeout: 30_000 }).toContain('Statements are signed in the desktop app');
      await screenshot(page, route);
      expect(await seriousViolations(page), route).toEqual([]);
    }
  });

  it('switches to Korean: navigation, headings and money, drawn with a Hangul font', async () => {
    await page.locator('header select').selectOption('ko');
    await openScreen(page, 'dashboard');
    // The switch waits for the Hangul font (served cold on a first run): more than poll's 1 s default.
    await expect.poll(() => page.textContent('main h1'), { timeout: 30_000 }).toBe('대시보드');
    expect(await page.locator('nav a[data-route=imports] span').textContent()).toBe('가져오기');
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans KR"', '대시보드'))).toBe(true);
    await screenshot(page, 'dashboard-ko');
    await openScreen(page, 'imports');
    expect(await page.locator('[data-testid=row-account] caption').textContent()).toBe('행 집계');
    await screenshot(page, 'imports-ko');
    await openScreen(page, 'transactions');
    await expect.poll(async () => (await page.textContent('[data-testid=transactions-grid] .ag-header-cell[col-id=amount]'))?.trim(), { timeout: 10_000 }).toBe('금액');
    expect(await headerProblems(page, 'transactions-grid')).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('has no page errors', () => {
    expect(desk.pageErrors).toEqual([]);
  });
});
