import { afterAll, expect, it } from 'vitest';
import { Decimal } from '../../../../core/money/index.ts';
import { openDemoWorkspace, openScreen, openWorkstation, type OpenWorkstation } from '../../../../tests/e2e/support/workstation.ts';

// The Transactions grid in Chromium over the demo month: its rows live in the engine worker's
// row store. After a reload they come back from the desk (IndexedDB) into the store; the period
// and a sort by amount are applied in the worker.

let desk: OpenWorkstation;
afterAll(async () => desk?.close());

const amountsShown = (desk: OpenWorkstation) =>
  desk.page.$$eval('[data-testid=transactions-grid] .ag-row:not(.sd-total-row) .ag-cell[col-id="amount"]', (cells) =>
    cells
      .map((cell) => ({ row: Number(cell.closest('.ag-row')?.getAttribute('row-index') ?? 'NaN'), text: (cell.textContent ?? '').replaceAll(',', '') }))
      .filter((cell) => Number.isInteger(cell.row) && cell.text !== '')
      .sort((a, b) => a.row - b.row)
      .map((cell) => cell.text),
  );

it('after a reload shows the rows the desk read back, filters the period and sorts by amount in the worker', async () => {
  desk = await openWorkstation();
  const { page, baseUrl } = desk;
  await openDemoWorkspace(page, baseUrl);
  await openScreen(page, 'transactions');
  await expect.poll(() => page.textContent('[data-testid=transactions-count]'), { timeout: 60_000 }).toMatch(/^[\d,]+ transactions$/);
  const before = await page.textContent('[data-testid=transactions-count]');
  await page.reload();
  await openScreen(page, 'transactions');
  await expect.poll(() => page.textContent('[data-testid=transactions-count]'), { timeout: 60_000 }).toBe(before);
  // The period's lists, as the keyboard uses them: a month, then a day; the field keeps the ISO date.
  await page.selectOption('[data-testid=period-from-month]', '2026-03');
  await page.focus('[data-testid=period-from-day]');
  for (let day = 1; day < 10; day += 1) await page.keyboard.press('ArrowDown');
  await page.selectOption('[data-testid=period-to-month]', '2026-03');
  await page.selectOption('[data-testid=period-to-day]', '10');
  await expect.poll(() => page.getAttribute('[data-testid=period-from]', 'data-value'), { timeout: 15_000 }).toBe('2026-03-10');
  await expect.poll(() => page.getAttribute('[data-testid=period-to]', 'data-value'), { timeout: 15_000 }).toBe('2026-03-10');
  await expect.poll(() => page.textContent('[data-testid=transactions-count]'), { timeout: 30_000 }).not.toBe(before);
  await page.click('[data-testid=transactions-grid] .ag-header-cell[col-id="amount"] .ag-header-cell-label');
  // Ascending: each amount shown is at most the next one (exact decimal comparison).
  await expect
    .poll(async () => {
      const amounts = await amountsShown(desk);
      return amounts.length > 5 && amounts.every((amount, index) => index === 0 || new Decimal(amounts[index - 1] ?? '0').lte(amount));
    }, { timeout: 30_000 })
    .toBe(true);
  await page.screenshot({ path: 'tmp/artifacts/transactions-after-reload.png' });
  expect(desk.pageErrors).toEqual([]);
}, 240_000);
