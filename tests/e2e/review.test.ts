import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoWorkstation } from './support/demo-workstation.ts';
import { headerProblems, openScreen, screenshot, seriousViolations, type OpenWorkstation } from './support/workstation.ts';

// The review screens in Debian's Chromium against `npm run web`, on the demo workspace: resolve an
// exception in the grid (a reason is required), run a settlement, drill into a line, submit it;
// match a PSP and a bank line by hand and see the Dashboard's unmatched card leave them out;
// a screenshot and an axe-core check of each review screen.

let desk: OpenWorkstation;
let page: Page;

beforeAll(async () => {
  desk = await openDemoWorkstation();
  page = desk.page;
}, 120_000);

afterAll(async () => {
  await desk?.close();
});

const rowCount = async () => Number((/^(\d+) of/.exec((await page.textContent('[data-testid=exceptions-screen] .sd-review-header .sd-hint')) ?? '') ?? [])[1]);

/** The Dashboard's unmatched card as its rows read: currency, bank lines not explained, PSP lines not at the bank. */
const unmatchedCard = () => page.locator('[data-testid=unmatched] tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));

describe('the review screens in Chromium', () => {
  it('resolves an exception in the grid, refusing it without a reason', async () => {
    await openScreen(page, 'exceptions');
    const firstCell = page.locator('[data-testid=exceptions-grid] .ag-row[row-index="0"] [col-id=type]').first();
    await firstCell.waitFor({ timeout: 60_000 });
    const before = await rowCount();
    expect(before).toBeGreaterThan(0);
    await firstCell.click();
    await expect.poll(() => page.textContent('[data-testid=exceptions-screen] .sd-toolbar'), { timeout: 10_000 }).toContain('1 selected');
    expect(await headerProblems(page, 'exceptions-grid')).toEqual([]);
    await page.getByRole('button', { name: 'Resolve…' }).click();
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('A reason is required.');
    await page.getByLabel('Reason *').fill('bank fee booked under JE-2026-0042');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.textContent('[data-testid=exceptions-screen] .sd-status'), { timeout: 15_000 }).toContain('1 updated');
    await expect.poll(rowCount, { timeout: 15_000 }).toBe(before - 1);
    // Opening one shows its evidence and suggested actions.
    await page.locator('[data-testid=exceptions-grid] .ag-row[row-index="0"] [col-id=type]').first().dblclick();
    await page.getByTestId('exception-detail').waitFor();
    expect(await page.textContent('[data-testid=exception-detail]')).toContain('Suggested actions');
    await screenshot(page, 'review-exceptions');
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('runs a settlement, drills into a line to the transactions it counted, and submits the statement', async () => {
    await openScreen(page, 'settlements');
    // Before the first run the empty grid says what to do, not AG Grid's 'No Rows To Show'.
    await expect.poll(() => page.textContent('[data-testid=statements-grid]'), { timeout: 10_000 }).toContain('No run of 2026-03 on this desk yet: press Run settlement');
    await page.getByTestId('run-settlement').click();
    await expect.poll(() => page.textContent('[data-testid=run-status]'), { timeout: 30_000 }).toMatch(/Run 1 of 2026-03: \d+ statements/);
    await page.locator('[data-testid=statements-grid] .ag-row[row-index="0"] [col-id=partner]').first().dblclick();
    await page.getByTestId('statement-preview').waitFor();
    expect(await headerProblems(page, 'statements-grid')).toEqual([]);
    expect(await page.textContent('[data-testid=statement-preview]')).toContain('Not submitted yet');
    // The first run of a period has no run to compare with: no '—' where a revision number would be.
    expect(await page.textContent('#statement-diff')).toBe('Changes against the previous run');
    const lineCount = Number(await page.locator('[data-testid=statement-lines-grid] .ag-row[row-index="0"] [col-id=count]').first().textContent());
    await page.locator('[data-testid=statement-lines-grid] .ag-row[row-index="0"] [col-id=product]').first().dblclick();
    const drill = page.getByTestId('statement-drill');
    await drill.waitFor();
    // The drill-down lists exactly as many transactions as the line says it counted, once its rows came (it shows busy, no rows, first).
    await expect.poll(() => drill.locator('tbody tr').count(), { timeout: 15_000 }).toBe(Math.min(lineCount, 200));
    await expect.poll(() => drill.locator('h3').textContent(), { timeout: 15_000 }).toContain(`(${lineCount})`);
    expect(await page.textContent('[data-testid=statement-preview]')).toContain('Signing is not available in the browser');
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => page.textContent('[data-testid=statement-status]'), { timeout: 15_000 }).toBe('Submitted');
    // The maker cannot approve their own statement.
    expect(await page.getByRole('button', { name: 'Approve…' }).isDisabled()).toBe(true);
    await screenshot(page, 'review-settlements');
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('shows reconciliation and a verified audit chain', async () => {
    await openScreen(page, 'reconciliation');
    await page.locator('[data-testid=groups-grid] .ag-row').first().waitFor({ timeout: 30_000 });
    // Rules in words ('Reference'), not their codes ('reference'). The groups come a block at a time from the engine worker: rows show before their block.
    const rulesShown = () => page.locator('[data-testid=groups-grid] .ag-row [col-id=rule]').allTextContents();
    await expect.poll(rulesShown, { timeout: 30_000 }).toContain('Reference');
    const rules = await rulesShown();
    expect(rules).not.toContain('reference');
    // A group reads as the PSP's and the bank's records find it (the demo's first group: a Stripe payout and its MT940 credit a day later); core's id is in its detail.
    const firstGroup = 'stripe 2026-03-16 po_PlFGgzEQpXWskvB6Mri4tUmk ↔ mt940 2026-03-17 USD202603000015';
    const foundAs = () => page.locator('[data-testid=groups-grid] .ag-row:not(.sd-total-row) [col-id=group]').allTextContents();
    await expect.poll(async () => (await foundAs())[0], { timeout: 15_000 }).toBe(firstGroup);
    // The groups' quick filter, reached by its name, asks the worker: one group holds the bank's reference.
    await page.getByRole('searchbox', { name: 'Quick filter: Matched groups' }).fill('USD202603000015');
    await expect.poll(foundAs, { timeout: 15_000 }).toEqual([firstGroup]);
    expect(await page.locator('[data-testid=reconciliation-screen] h2').first().textContent()).toBe('Matched groups (1)');
    await page.locator('[data-testid=groups-grid] .ag-row:not(.sd-total-row) [col-id=group]').first().dblclick();
    expect(await page.getByTestId('group-internal-id').textContent()).toBe('psp-bank:tx#02185baa971d54b36b994b374c57f121');
    // Its members as the files hold them: the payout leaves Stripe's balance (-159.82), the bank credits it; dates in the desk's style (ISO here).
    await expect.poll(() => page.locator('[data-testid=group-members] li').allTextContents(), { timeout: 15_000 }).toEqual([
      'PSP · 2026-03-16 · -159.82 USDpo_PlFGgzEQpXWskvB6Mri4tUmkpsp/stripe-balance-transactions-2026-03.csv:703',
      'Bank · 2026-03-17 · 159.82 USDUSD202603000015bank/mt940-USD-2026-03.sta:121',
    ]);
    await page.getByRole('searchbox', { name: 'Quick filter: Matched groups' }).fill('');
    await expect.poll(async () => (await foundAs()).length, { timeout: 15_000 }).toBeGreaterThan(1);
    await screenshot(page, 'review-reconciliation');
    expect(await seriousViolations(page)).toEqual([]);
    await openScreen(page, 'audit');
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.textContent('[data-testid=verify-result]'), { timeout: 15_000 }).toMatch(/^Chain verified: \d+ events/);
    // Times are the audit chain's UTC instants to the second, said to be UTC.
    expect(await page.locator('[data-testid=audit-grid] .ag-row[row-index="0"] [col-id=at]').first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    // The demo month's first event is its first import: the action in words, the code kept as the filter's value.
    expect(await page.locator('[data-testid=audit-grid] .ag-row[row-index="0"] [col-id=action]').first().textContent()).toBe('Import stored');
    expect(await page.locator('#audit-action option[value="import.stored"]').textContent()).toBe('Import stored');
    await screenshot(page, 'review-audit');
    expect(await seriousViolations(page)).toEqual([]);
    expect(desk.pageErrors).toEqual([]);
  }, 60_000);

  it('pages the unmatched items from the engine worker, sorts them there, matches a PSP and a bank line by hand, and the Dashboard leaves them out', async () => {
    // The demo month's unmatched money before any hand match (scripts/demo-data, seed 42, 2026-03, small): the bank's debits
    // nothing explains are last month's revenue shares and the account fees: EUR 1,066.87 + 284.96 + 783.61 + 45.00 = 2,180.44
    // in 4 lines; GBP fee 35.00; JPY revenue share 901,110 + fee 5,000 = 906,110 in 2; KRW fee 50,000; USD fee 50.00. The PSP's
    // only payout the bank does not show is PayPal's 59.28 USD (K3AEAYYSLYM92A3LJ).
    const othersBefore = [
      ['EUR', '-2,180.44 (4)', '—'],
      ['GBP', '-35.00 (1)', '—'],
      ['JPY', '-906,110 (2)', '—'],
      ['KRW', '-50,000 (1)', '—'],
    ];
    await openScreen(page, 'dashboard');
    await expect.poll(unmatchedCard, { timeout: 15_000 }).toEqual([...othersBefore, ['USD', '-50.00 (1)', '-59.28 (1)']]);
    await openScreen(page, 'reconciliation');
    const psp = page.getByTestId('psp-unmatched-grid');
    const bank = page.getByTestId('bank-unmatched-grid');
    const heads = () => page.locator('[data-testid=reconciliation-screen] .sd-grid-box h3').allTextContents();
    // The demo month leaves one PSP payout the bank does not show (-59.28 USD) and nine bank lines nothing explains.
    await expect.poll(heads, { timeout: 30_000 }).toEqual(['PSP lines not at the bank (1)', 'Bank lines not explained (9)']);
    await expect.poll(() => psp.locator('.ag-row:not(.sd-total-row) [col-id=amount]').allTextContents(), { timeout: 15_000 }).toEqual(['-59.28']);
    const bankAmounts = () => bank.locator('.ag-row:not(.sd-total-row) [col-id=amount]').allTextContents();
    await expect.poll(async () => (await bankAmounts()).length, { timeout: 15_000 }).toBe(9);
    // Sorted by amount in the worker, as decimals: JPY -901,110 is the smallest; the totals stay exact per currency.
    await bank.locator('.ag-header-cell[col-id=amount] .ag-header-cell-label').click();
    await expect.poll(async () => (await bankAmounts())[0], { timeout: 15_000 }).toBe('-901,110');
    expect(await bank.locator('.sd-total-row').allTextContents()).toContain('Total USD (1)-50.00');
    // Select all: the one PSP line; the bank's USD line by a click on its row, then Space off and on again.
    await page.getByRole('button', { name: 'Select all 1' }).click();
    const usd = bank.locator('.ag-row', { has: page.locator('[col-id=currency]', { hasText: 'USD' }) }).first();
    await usd.locator('[col-id=description]').click();
    await expect.poll(() => usd.getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    await page.keyboard.press('Space');
    await expect.poll(() => usd.getAttribute('aria-selected'), { timeout: 15_000 }).toBe('false');
    await page.keyboard.press('Space');
    await expect.poll(() => usd.getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    // Selection is by row id: sorted the other way (the grid asks its blocks again; GBP -35.00 is the largest), the USD line is still selected.
    await bank.locator('.ag-header-cell[col-id=amount] .ag-header-cell-label').click();
    await expect.poll(async () => (await bankAmounts())[0], { timeout: 15_000 }).toBe('-35.00');
    await expect.poll(() => usd.getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    // Nine bank lines are more than none and no more than a match holds: "select all" is offered.
    expect(await page.getByRole('button', { name: 'Select all 9' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Match selected by hand…' }).click();
    // The PSP payout of 59.28 against the bank's -50.00: a difference of -109.28 USD, said before confirming.
    await expect.poll(() => page.locator('dialog').textContent(), { timeout: 15_000 }).toContain('-109.28');
    expect(await page.locator('dialog h2, dialog h3, dialog [id$=-title]').first().textContent()).toBe('Match 1 PSP and 1 bank items');
    await page.locator('dialog textarea').fill('fee booked against the payout');
    await page.locator('dialog button[type=submit]').click();
    // The worker leaves the hand-matched rows out: counts, rows and totals.
    await expect.poll(heads, { timeout: 15_000 }).toEqual(['PSP lines not at the bank (0)', 'Bank lines not explained (8)']);
    await expect.poll(() => bank.locator('.sd-total-row').allTextContents(), { timeout: 15_000 }).not.toContain('Total USD (1)-50.00');
    expect(await page.locator('#manual-title').textContent()).toBe('Matched by hand');
    expect(await seriousViolations(page)).toEqual([]);
    // The Dashboard agrees: USD bank -50.00 (1) less the matched -50.00 is 0.00 in 0 lines, PSP -59.28 (1) less the matched
    // -59.28 is 0.00 in 0 lines, so no USD row is left; the other currencies are as before, to the cent.
    await openScreen(page, 'dashboard');
    await expect.poll(unmatchedCard, { timeout: 15_000 }).toEqual(othersBefore);
    expect(desk.pageErrors).toEqual([]);
  }, 90_000);
});
