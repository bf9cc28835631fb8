import { spawnSync } from 'node:child_process';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/types.ts';
import { testDatabases } from '../../server/test-support.ts';
import { createDevCertificate } from '../../node/statements/dev-cert.ts';
import { writeStatementFiles } from '../../node/statements/files.ts';
import { createJwsSigner } from '../../node/statements/jws.ts';
import { loadOrganizationSigner } from '../../node/statements/sign.ts';
import type { Statement } from '../../core/settlement/index.ts';
import { openDesk } from '../../renderer/desk/desk.ts';
import { WebhookReceiver } from '../../server/partner/webhook-receiver.test-support.ts';
import { verifyWebhookSignature } from '../../server/partner/webhook-signature.ts';
import { DELIVERY_POLICY_DEFAULT, deliverDue, scanWebhookEvents } from '../../server/partner/webhooks.ts';
import { partnerWorld, RUNS, type PartnerWorld } from '../partner-fixtures.test-support.ts';
import { launchChromium } from './browser.ts';
import { buildPortalOnly } from './support/partner-flow.ts';
import { screenshot, seriousViolations } from './support/workstation.ts';

/**
 * The partner portal end to end in Debian's Chromium, against the real server (listening on a free
 * port, PostgreSQL when it is there, else PGlite) serving a build of the portal page only (the
 * renderer's vite config with the portal as its one input, ~20 s instead of the whole desk).
 *
 * Partner A's January statement (hand-worked in partner-fixtures: 70 % of 100.00 + 50.00 = 105.00)
 * is submitted by the analyst and approved by the approver through the server's HTTP approval
 * route; its signed PDF and JWS (a development certificate) are stored as an admin does. Alice of
 * partner A signs in, sees it with the very hash the server holds, verifies it in the page,
 * downloads the PDF and `settledesk verify` (the real CLI) accepts it, and raises a query. The
 * analyst's desk (renderer/desk, the code the desk app runs, here over fake-indexeddb in Node and
 * replicating with the server over HTTP) pulls it as a partner-query exception assigned to her and
 * answers it as the Exceptions screen's "Answer partner" control does (resolved, the answer as the
 * reason); the query.answered webhook reaches a receiver on 127.0.0.1 signed, and Alice sees the answer.
 */
const ARTIFACTS = 'tmp/artifacts/portal';
const BUILD_DIR = path.resolve('tmp/portal-e2e-build');

const targets = await testDatabases();
const target = targets.find((each) => each.kind === 'pg' && each.skip === null) ?? targets.find((each) => each.kind === 'pglite');
if (target === undefined) throw new Error('no test database');

describe('partner portal in Chromium', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let w: PartnerWorld;
  let browser: Browser;
  let origin: string;
  let page: Page;
  const pageErrors: string[] = [];
  const statement = RUNS.a1();
  const receiver = new WebhookReceiver(() => 204);
  const received = receiver.received;
  let webhookSecret = '';

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    const started = Date.now();
    await buildPortalOnly(BUILD_DIR);
    console.log(`portal built in ${Date.now() - started} ms`);
    ({ db, drop } = await target.open());
    w = await partnerWorld(db, { portalDir: BUILD_DIR, partner: { webhookWorker: false, webhookTargets: { allowPrivate: true } } });
    await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`;

    await w.approve(statement);
    const now = new Date();
    const certificate = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: 'portal-e2e', now });
    const organization = loadOrganizationSigner(certificate.p12, 'portal-e2e');
    writeFileSync(path.join(ARTIFACTS, 'org.pem'), certificate.certificatePem);
    const jsonFile = path.join(ARTIFACTS, 'server-copy.statement.json');
    const written = await writeStatementFiles(JSON.parse(statement.statement.canonicalJson) as Statement, jsonFile, { organization, jws: await createJwsSigner(organization) }, 'en', now);
    const stored = await w.json('PUT', `/api/v1/admin/statements/${statement.statement.id}/artifacts`, w.tokens.root, { jws: readFileSync(written.jws ?? '', 'utf8').trim(), pdfBase64: readFileSync(written.pdf).toString('base64') });
    expect(stored.statusCode).toBe(200);

    await receiver.start();
    const hook = await w.json('POST', '/api/v1/admin/partners/A/webhooks', w.tokens.root, { url: `http://127.0.0.1:${receiver.port}/hook`, events: ['query.answered'] });
    expect(hook.statusCode).toBe(201);
    webhookSecret = hook.json().secret;

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await receiver.stop();
    await browser?.close();
    await w?.t.app.close();
    await db?.close();
    await drop?.();
  });

  it('shows the approved statement with the server’s hash, verifies it, downloads a PDF the CLI verifies, raises a query the analyst answers on the desk, and shows the answer', async () => {
    const refused = await fetch(`${origin}/portal/`);
    expect(refused.headers.get('content-security-policy')).toContain("script-src 'self'");
    await page.goto(`${origin}/portal/`);
    await page.locator('#portal-username').waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.fill('#portal-username', 'alice');
    await page.fill('#portal-password', 'alice-password-123');
    await page.keyboard.press('Enter');

    const row = page.locator(`[data-testid=portal-statements] tr[data-statement="${statement.statement.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('td').nth(3).textContent()).toBe('105.00 EUR');
    expect(await row.locator('td').nth(5).getAttribute('title')).toBe(statement.statement.hash);
    // Partner B's statement and A's unapproved ones are not listed.
    expect(await page.locator('[data-testid=portal-statements] tbody tr').count()).toBe(1);
    await screenshot(page, 'portal/statements-en');
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button').click();
    await page.locator('[data-testid=portal-hash]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=portal-hash]').textContent()).toBe(statement.statement.hash);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.locator('[data-testid=portal-verify]').getAttribute('data-result'), { timeout: 10_000 }).toBe('match');
    // The lines table is the statement's own (core/statement labels), one line: game, 2 sales.
    expect(await page.locator('[data-testid=portal-lines] tr[data-line="1"] td').first().textContent()).toBe('game');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.click('[data-testid=download-pdf]')]);
    const pdfFile = path.resolve(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(pdfFile);
    expect(download.suggestedFilename()).toBe('A-2026-01-r1.statement.pdf');
    const verified = spawnSync(process.execPath, ['bin/settledesk.js', 'verify', pdfFile, '--trust-anchor', path.join(ARTIFACTS, 'org.pem')], { encoding: 'utf8', timeout: 120_000 });
    expect(verified.stdout).toContain('VERIFIED: every check passed');
    expect(verified.status).toBe(0);

    await page.getByRole('button', { name: 'Transactions behind line 1' }).click();
    await expect.poll(() => page.locator('[data-testid=portal-tx-range]').textContent(), { timeout: 10_000 }).toBe('1–2 of 2');
    expect(await page.locator('[data-testid=portal-transactions] tbody tr').count()).toBe(2);

    await page.getByRole('button', { name: 'Ask about line 1' }).click();
    await page.fill('#portal-query-amount', '12,50');
    await page.click('[data-testid=portal-query-form] button[type=submit]');
    expect(await page.locator('#portal-query-text').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#portal-query-amount').getAttribute('aria-invalid')).toBe('true');
    await page.fill('#portal-query-text', 'Lee Ji-eun’s sale of 7 January is 62.50, not 50.00.');
    await page.fill('#portal-query-amount', '8.75');
    await page.click('[data-testid=portal-query-form] button[type=submit]');
    const query = page.locator('[data-testid=portal-queries] tbody tr');
    await expect.poll(() => query.count(), { timeout: 10_000 }).toBe(1);
    expect(await query.getAttribute('data-status')).toBe('open');
    // The analyst's desk pulls the query as an exception assigned to her and answers it.
    const answer = 'Checked: Lee Ji-eun’s sale of 7 January was 50.00 in the PSP report; no correction.';
    const anaToken = await w.t.tokenFor('ana');
    const desk = await openDesk({ name: `portal_e2e_${process.pid}`, userId: 'ana', indexedDB, IDBKeyRange, collections: ['exceptions', 'comments', 'audit_events'], sync: { baseUrl: origin, token: async () => anaToken, retryTimeMs: 50, pollIntervalMs: 0, eventSource: null } });
    try {
      await desk.syncNow();
      const queries = (await desk.listExceptions()).filter((each) => each.type === 'partner-query');
      expect(queries).toHaveLength(1);
      const [exception] = queries;
      if (exception === undefined) throw new Error('no partner-query exception on the desk');
      expect(exception).toMatchObject({ status: 'open', assignee: 'ana', partnerId: 'A', period: '2026-01', details: { line: '1', claimedAmount: '8.75', text: 'Lee Ji-eun’s sale of 7 January is 62.50, not 50.00.', statementHash: statement.statement.hash } });
      expect(exception.amountAtRisk).toEqual({ amount: '8.75', currency: 'EUR' });
      await desk.transitionException(exception.id, { to: 'resolved', reason: answer });
      await desk.syncNow();
      expect(await desk.pendingCount()).toBe(0);
    } finally {
      await desk.close();
    }

    // The query.answered webhook, signed with the webhook's secret.
    await scanWebhookEvents(db, new Date(w.t.clock.nowMs).toISOString());
    expect(await deliverDue(db, { nowMs: () => w.t.clock.nowMs, random: () => 0.5, policy: DELIVERY_POLICY_DEFAULT, targets: { allowPrivate: true } })).toBe(1);
    const [delivery] = received;
    if (delivery === undefined) throw new Error('no webhook delivery');
    expect(verifyWebhookSignature(webhookSecret, delivery.headers['settledesk-signature'] as string, delivery.body, { nowSeconds: Math.floor(w.t.clock.nowMs / 1000) }).ok).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'query.answered', partnerId: 'A', data: { query: { statementId: statement.statement.id, line: 1, answer } } });

    // Alice opens the statement again: the query is answered, with the analyst's words.
    await page.getByRole('button', { name: 'Back to statements' }).click();
    await row.getByRole('button').click();
    await expect.poll(() => query.getAttribute('data-status'), { timeout: 10_000 }).toBe('answered');
    expect(await query.locator('[data-testid=portal-answer]').textContent()).toBe(answer);
    await page.locator('[data-testid=portal-queries]').scrollIntoViewIfNeeded();
    await screenshot(page, 'portal/statement-en');
    expect(await seriousViolations(page)).toEqual([]);

    await page.selectOption('select', 'ko');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 30_000 }).toBe('ko');
    await page.locator('text=정산서 SHA-256').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'portal/statement-ko');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
