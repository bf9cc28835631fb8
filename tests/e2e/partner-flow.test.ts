import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { createDevCertificate } from '../../node/statements/dev-cert.ts';
import { createJwsSigner } from '../../node/statements/jws.ts';
import { loadOrganizationSigner } from '../../node/statements/sign.ts';
import { buildServer } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { signAccessToken } from '../../server/auth/tokens.ts';
import { insertUser } from '../../server/auth/users-repository.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openPglite } from '../../server/db/pglite.ts';
import type { Db } from '../../server/db/types.ts';
import { createLogger } from '../../server/logger.ts';
import { STUDIO_AGREEMENT_PUSH, STUDIO_MONTH_REPORT } from './support/studio-month.ts';
import { launchChromium } from './browser.ts';
import { approveOnDesk, deskStatementHash, openDeskScreen, openDeskStatement, rowStatus, serveRendererBuild, signInToPortal, signInToTeamWorkspace } from './support/partner-flow.ts';
import { pickFiles } from './support/workstation.ts';

/**
 * Issue 20's partner flow, every step a click in Debian's Chromium, against the real server
 * (PGlite in memory, in this process) that serves the built portal and signs approved
 * statements with the organization's P12 (here a development certificate):
 * the analyst (desk 1) imports the month, runs a settlement and submits studio-a's statement; the
 * approver (desk 2, another user) approves it on the desk; the server signs its PDF and JWS; Alice
 * of studio-a signs in to the portal (context 3) with the admin's one-time password and sets her own, sees the statement with the hash both desks show,
 * downloads the PDF, which `settledesk verify` and poppler's pdfsig accept, and raises a query on a
 * line; the analyst sees it as a partner-query exception, answers it in the exception's panel, and
 * Alice sees the answer in the portal.
 *
 * Hand arithmetic (report below): studio-a 100.00 + 200.00 + 50.00 = 350.00 at 70 % = 245.00;
 * line 1 is game-1 (100.00 + 200.00 = 300.00, 2 sales). studio-b (400.00 + 120.00 at 60 %) is
 * never approved and never reaches the portal.
 */
const ARTIFACTS = 'tmp/artifacts/partner-flow';
const BUILD_DIR = path.resolve('tmp/partner-flow-build');
const PASSWORD = 'partner-flow-e2e-password';
const QUESTION = 'The sale of 10 March was 210.00, not 200.00.';
const ANSWER = 'Checked against the PSP report: the 10 March sale was 200.00; no correction.';

let dataDir: string;
let renderer: { server: PreviewServer; baseUrl: string };
let db: Db;
let app: FastifyInstance;
let serverUrl: string;
let browser: Browser;
let ana: Page;
let bob: Page;
let alice: Page;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

async function openPage(width = 1440): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

/** Set-up an admin does on the desk's server: the team's agreements, and studio-a as a partner whose queries go to ana, with Alice as its user. */
async function seedServer(): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD);
  const analyst = await insertUser(db, { username: 'ana', passwordHash, role: 'analyst' });
  await insertUser(db, { username: 'bob', passwordHash, role: 'approver' });
  const admin = await insertUser(db, { username: 'root', passwordHash, role: 'admin' });
  const asAdmin = await signAccessToken(app.tokens, { id: admin?.id ?? '', username: 'root', role: 'admin' });
  const asAna = await signAccessToken(app.tokens, { id: analyst?.id ?? '', username: 'ana', role: 'analyst' });
  const send = async (url: string, token: string, body: unknown, status: number) => {
    const answer = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json();
  };
  expect(await send('/api/v1/sync/agreement_versions/push', asAna, STUDIO_AGREEMENT_PUSH, 200)).toEqual([]);
  await send('/api/v1/admin/partners', asAdmin, { id: 'studio-a', name: 'Studio A', analyst: 'ana' }, 201);
  await send('/api/v1/admin/partners/studio-a/users', asAdmin, { username: 'alice', password: PASSWORD }, 201);
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  // The renderer's build, the database's first start and Chromium's launch are independent: at once.
  // One build of both pages: the desks load the desk page from it, the server serves the portal from it.
  // The database in memory: the flow never restarts the server, and a data folder's first start took 11 of the run's 56 s.
  const starting = Promise.all([serveRendererBuild(BUILD_DIR), openPglite().then(async (opened) => (await migrate(opened), opened)), launchChromium()]);
  dataDir = mkdtempSync(path.join(tmpdir(), 'settledesk-partner-flow-'));
  writeFileSync(path.join(dataDir, 'march-report.csv'), STUDIO_MONTH_REPORT);
  const certificate = createDevCertificate({ organization: 'Example Platform GmbH', passphrase: 'partner-flow', now: new Date() });
  writeFileSync(path.join(ARTIFACTS, 'org.pem'), certificate.certificatePem);
  const organization = loadOrganizationSigner(certificate.p12, 'partner-flow');
  [renderer, db, browser] = await starting;
  app = await buildServer({
    db,
    // Warnings and errors (a refused push, a failed signing) go to the artifacts, to see why a step waited.
    logger: createLogger({ level: 'warn', destination: pino.destination({ dest: path.join(ARTIFACTS, 'server.log'), sync: true }) }),
    corsOrigins: [new URL(renderer.baseUrl).origin],
    streamHeartbeatMs: 5_000,
    portalDir: BUILD_DIR,
    partner: { webhookWorker: false, signing: { organization, jws: await createJwsSigner(organization), locale: 'en', intervalMs: 500 } },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  serverUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await seedServer();
  [ana, bob, alice] = await Promise.all([openPage(), openPage(), openPage(1280)]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (app !== undefined) {
    const closing = app.close();
    // The desks' live streams (SSE) would hold the close open.
    app.server.closeAllConnections();
    await closing;
  }
  await db?.close();
  await renderer?.server.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

beforeEach((context) => {
  onTestFailed(async () => {
    const name = context.task.name.slice(0, 30).replace(/\W+/g, '-');
    await Promise.all([shot(ana, `failed-${name}-analyst`), shot(bob, `failed-${name}-approver`), shot(alice, `failed-${name}-partner`)].map((each) => each.catch(() => undefined)));
    writeFileSync(`${ARTIFACTS}/failed-${name}-errors.txt`, [...pageErrors, ...consoleErrors].join('\n').replace(/access_token=[^'&\s]+/g, 'access_token=…'));
  });
});

describe('the partner flow by clicks: desk approval, portal, query, answer', () => {
  let deskHash = '';

  it('the analyst submits studio-a’s statement and the approver approves it on the desk', async () => {
    await Promise.all([signInToTeamWorkspace(ana, renderer.baseUrl, serverUrl, 'ana', PASSWORD), signInToTeamWorkspace(bob, renderer.baseUrl, serverUrl, 'bob', PASSWORD)]);
    await openDeskScreen(ana, 'imports');
    await pickFiles(ana, '[data-testid=pick-files]', [path.join(dataDir, 'march-report.csv')]);
    const account = ana.locator('[data-testid=row-account] tr[data-file="march-report.csv"]').first();
    await account.waitFor({ timeout: 60_000 });
    expect(await account.locator('td[data-col=imported]').textContent()).toBe('5');
    await openDeskScreen(ana, 'settlements');
    await ana.getByTestId('run-settlement').click();
    await expect.poll(() => ana.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('Run 1 of 2026-03: 2 statements, 0 blocked');
    await openDeskStatement(ana, 'studio-a');
    // 350.00 at 70 % = 245.00.
    expect(await ana.getByTestId('total-payable').textContent()).toContain('245.00');
    deskHash = await deskStatementHash(ana);
    await ana.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => ana.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Submitted');

    await openDeskScreen(bob, 'settlements');
    await expect.poll(() => rowStatus(bob, 'studio-a'), { timeout: 90_000 }).toBe('Submitted');
    await openDeskStatement(bob, 'studio-a');
    expect(await deskStatementHash(bob)).toBe(deskHash);
    await approveOnDesk(bob, 'checked against the March report');
    await shot(bob, '1-approver-approved');
    // The server accepted the approval (it recomputed the statement) and signed its files.
    const signed = async () => (await db.query<{ stored_by: string; pdf: boolean; jws: boolean }>("select a.stored_by, a.pdf is not null as pdf, a.jws is not null as jws from statement_artifacts a join statements s on s.id = a.statement_id where s.hash = $1", [deskHash])).rows;
    await expect.poll(signed, { timeout: 60_000, interval: 500 }).toEqual([{ stored_by: 'server', pdf: true, jws: true }]);
  }, 300_000);

  it('Alice sees it in the portal with the desk’s hash, downloads a PDF that verify and pdfsig accept, and raises a query', async () => {
    // PASSWORD is the one-time password the admin gave Alice: the portal has her set her own first.
    await signInToPortal(alice, `${serverUrl}/portal/`, 'alice', PASSWORD, 'alice-own-password-2026');
    const rows = alice.locator('[data-testid=portal-statements] tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    // studio-b's statement (never approved) is not there.
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(3).textContent()).toBe('245.00 EUR');
    expect(await rows.first().locator('td').nth(5).getAttribute('title')).toBe(deskHash);
    await shot(alice, '2-portal-statements');
    await rows.first().getByRole('button').click();
    await alice.getByTestId('portal-hash').waitFor({ timeout: 15_000 });
    expect(await alice.getByTestId('portal-hash').textContent()).toBe(deskHash);
    await alice.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => alice.getByTestId('portal-verify').getAttribute('data-result'), { timeout: 10_000 }).toBe('match');

    const [download] = await Promise.all([alice.waitForEvent('download', { timeout: 30_000 }), alice.getByTestId('download-pdf').click()]);
    expect(download.suggestedFilename()).toBe('studio-a-2026-03-r1.statement.pdf');
    const pdfFile = path.resolve(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(pdfFile);
    expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verify = (file: string, json: boolean) => spawnSync(process.execPath, ['bin/settledesk.js', 'verify', file, '--trust-anchor', path.join(ARTIFACTS, 'org.pem'), ...(json ? ['--json'] : [])], { encoding: 'utf8', timeout: 120_000 });
    const verified = verify(pdfFile, false);
    expect(verified.stdout, verified.stderr).toContain('VERIFIED: every check passed');
    expect(verified.status).toBe(0);
    // The signed PDF carries the very hash both desks showed.
    expect((JSON.parse(verify(pdfFile, true).stdout) as { sha256: string }).sha256).toBe(deskHash);
    // The JSON and its JWS from the portal, beside the PDF: verify checks all three and that one organization signed them.
    for (const testId of ['download-json', 'download-jws']) {
      const [file] = await Promise.all([alice.waitForEvent('download', { timeout: 30_000 }), alice.getByTestId(testId).click()]);
      await file.saveAs(path.resolve(ARTIFACTS, file.suggestedFilename()));
    }
    const all = JSON.parse(verify(pdfFile.replace(/\.pdf$/, '.json'), true).stdout) as { verified: boolean; sha256: string; checks: Array<{ name: string; ok: boolean }> };
    expect(all.checks.filter((check) => !check.ok)).toEqual([]);
    expect(all.checks.map((check) => check.name)).toEqual(expect.arrayContaining(['json_hash', 'jws_signature', 'jws_chain', 'pdf_signature', 'pdf_hash', 'same_signer']));
    expect(all).toMatchObject({ verified: true, sha256: deskHash });
    const poppler = spawnSync('pdfsig', [pdfFile], { encoding: 'utf8', timeout: 60_000 });
    expect(poppler.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(poppler.stdout).toContain('Total document signed');

    // Line 1 is game-1: 100.00 + 200.00.
    expect(await alice.locator('[data-testid=portal-lines] tr[data-line="1"] td').first().textContent()).toBe('game-1');
    await alice.getByRole('button', { name: 'Ask about line 1' }).click();
    await alice.fill('#portal-query-text', QUESTION);
    await alice.fill('#portal-query-amount', '10.00');
    await alice.click('[data-testid=portal-query-form] button[type=submit]');
    const query = alice.locator('[data-testid=portal-queries] tbody tr');
    await expect.poll(() => query.getAttribute('data-status').catch(() => null), { timeout: 15_000 }).toBe('open');
    await alice.getByTestId('portal-queries').scrollIntoViewIfNeeded();
    await shot(alice, '3-portal-query-open');
  }, 180_000);

  it('the analyst sees the query as a partner-query exception, answers it by clicks, and Alice sees the answer', async () => {
    await openDeskScreen(ana, 'exceptions');
    const row = ana.locator('[data-testid=exceptions-grid] .ag-row', { hasText: 'Partner query' });
    await expect.poll(() => row.count(), { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    expect(await row.locator('[col-id=partner]').first().textContent()).toBe('studio-a');
    expect(await row.locator('[col-id=assignee]').first().textContent()).toContain('ana');
    await row.locator('[col-id=type]').first().dblclick({ timeout: 15_000 });
    const panel = ana.getByTestId('partner-answer');
    await panel.waitFor({ timeout: 15_000 });
    expect(await panel.textContent()).toContain(`The partner asks about line 1: “${QUESTION}”`);
    expect(await panel.textContent()).toContain('Amount claimed: 10.00 EUR');
    await shot(ana, '4-analyst-partner-query');
    await panel.getByLabel('Your answer (the partner sees it in the portal)').fill(ANSWER);
    await panel.getByRole('button', { name: 'Send answer and resolve' }).click();
    await expect.poll(() => panel.getByRole('status').textContent().catch(() => null), { timeout: 15_000 }).toBe(`Answered: ${ANSWER}`);
    await shot(ana, '5-analyst-answered');

    // The answer replicates to the server; Alice asks the portal for answers until it is there.
    const query = alice.locator('[data-testid=portal-queries] tbody tr');
    await expect
      .poll(
        async () => {
          const refresh = alice.getByTestId('portal-queries-refresh');
          if ((await refresh.count()) > 0) await refresh.click();
          return query.getAttribute('data-status');
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('answered');
    expect(await query.getByTestId('portal-answer').textContent()).toBe(ANSWER);
    await alice.getByTestId('portal-queries').scrollIntoViewIfNeeded();
    await shot(alice, '6-portal-answered');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
