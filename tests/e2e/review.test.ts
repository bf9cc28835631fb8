import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoWorkstation } from './support/demo-workstation.ts';
import { headerProblems, openScreen, screenshot, seriousViolations, type OpenWorkstation } from './support/workstation.ts';

// The review screens in Debian's Chromium against `npm run web`, on the demo workspace: resolve an
// exception in the grid (a reason is required), run a settlement, drill into a line, submit it;
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
    // The drill-down lists exactly as many transactions as the line says it counted.
    expect(await drill.locator('tbody tr').count()).toBe(Math.min(lineCount, 200));
    expect(await drill.locator('h3').textContent()).toContain(`(${lineCount})`);
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
});
