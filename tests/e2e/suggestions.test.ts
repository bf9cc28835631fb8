import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoWorkstation } from './support/demo-workstation.ts';
import { ARTIFACTS_DIR, openScreen, pickFiles, rowAccount, screenshot, seriousViolations, type OpenWorkstation } from './support/workstation.ts';

// Reconciliation's suggestions in Debian's Chromium against `npm run web`, on the demo workspace: a
// late bank credit of 59.30 USD on the day of PayPal's payout of 59.28 (the demo month's one PSP
// payout the bank does not show) is imported; the suggestions grid, paged from the engine worker,
// offers the pair; Enter on it opens the match dialog with the difference; once matched the
// suggestion and both items are gone.

let desk: OpenWorkstation;
let page: Page;
const FILE = path.resolve(ARTIFACTS_DIR, 'e2e-suggestions', 'late-paypal-credit.xml');

beforeAll(async () => {
  mkdirSync(path.dirname(FILE), { recursive: true });
  writeFileSync(
    FILE,
    `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>LATE-1</MsgId></GrpHdr>
    <Stmt>
      <Id>S-LATE</Id>
      <Acct><Id><Othr><Id>ACC-USD</Id></Othr></Id><Ccy>USD</Ccy></Acct>
      <Ntry>
        <Amt Ccy="USD">59.30</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-20</Dt></BookgDt><AcctSvcrRef>LATE-PAYPAL</AcctSvcrRef>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
`,
  );
  desk = await openDemoWorkstation();
  page = desk.page;
}, 120_000);

afterAll(async () => {
  await desk?.close();
});

describe('the suggestions grid in Chromium', () => {
  it('offers a late bank credit for the PSP payout, accepts it with Enter, and then offers nothing', async () => {
    await openScreen(page, 'imports');
    await pickFiles(page, '[data-testid=pick-files]', [FILE]);
    expect(await rowAccount(page, 'late-paypal-credit.xml')).toEqual(['1', '1', '0', '0', '0']);
    await openScreen(page, 'reconciliation');
    const grid = page.getByTestId('suggestions-grid');
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 30_000 }).toBe('Suggestions (1)');
    const reasons = grid.locator('.ag-row[row-index="0"] [col-id=reasons]').first();
    // Core's reasons in the screen's words: 59.30 - 59.28 = 0.02 USD apart, on the same day.
    await expect.poll(() => reasons.textContent(), { timeout: 15_000 }).toBe('difference 0.02 USD · 0 day(s) apart · counterparty similarity 0');
    expect(await grid.locator('.ag-row[row-index="0"] [col-id=psp]').first().textContent()).toBe('1');
    expect(await page.getByRole('button', { name: 'Accept selected suggestion…' }).isDisabled()).toBe(true);
    await grid.scrollIntoViewIfNeeded();
    await screenshot(page, 'review-suggestions');
    expect(await seriousViolations(page)).toEqual([]);
    // In Korean: the heading and each reason in Korean words, the facts as they are.
    await page.locator('header select').selectOption('ko');
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 15_000 }).toBe('제안 (1)');
    await expect.poll(() => reasons.textContent(), { timeout: 15_000 }).toBe('차액 0.02 USD · 0일 차이 · 거래 상대방 유사도 0');
    // The worker filters on those Korean words: the quick filter finds the suggestion by them, not by core's English.
    const quick = page.getByRole('searchbox', { name: '빠른 필터: 제안' });
    await quick.fill('0일 차이');
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 15_000 }).toBe('제안 (1)');
    await quick.fill('day(s) apart');
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 15_000 }).toBe('제안 (0)');
    await quick.fill('');
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 15_000 }).toBe('제안 (1)');
    await page.locator('header select').selectOption('en');
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 15_000 }).toBe('Suggestions (1)');
    // Keyboard: focus the row's cell, Enter accepts it.
    await reasons.click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('dialog').textContent(), { timeout: 15_000 }).toContain('0.02');
    expect(await page.locator('dialog h2, dialog h3, dialog [id$=-title]').first().textContent()).toBe('Match 1 PSP and 1 bank items');
    // The reason holds what an audit event may: 2,000 characters, counted near the limit; typing past it adds nothing.
    const field = page.locator('dialog textarea');
    await field.fill('x'.repeat(1_900));
    await expect.poll(() => page.getByTestId('reason-count').textContent(), { timeout: 15_000 }).toBe('1,900 of 2,000 characters');
    await field.press('End');
    await page.keyboard.type('y'.repeat(120));
    expect((await field.inputValue()).length).toBe(2_000);
    expect(await page.getByTestId('reason-count').textContent()).toBe('2,000 of 2,000 characters');
    await field.fill('late credit of the PayPal payout');
    expect(await page.getByTestId('reason-count').count()).toBe(0);
    await page.locator('dialog button[type=submit]').click();
    // Both items matched by hand: the worker leaves the suggestion out, and the items.
    await expect.poll(() => page.locator('#suggestions-title').textContent(), { timeout: 15_000 }).toBe('Suggestions (0)');
    const heads = () => page.locator('[data-testid=reconciliation-screen] .sd-grid-box h3').allTextContents();
    await expect.poll(heads, { timeout: 15_000 }).toEqual(['PSP lines not at the bank (0)', 'Bank lines not explained (9)']);
    expect(desk.pageErrors).toEqual([]);
  }, 120_000);
});
