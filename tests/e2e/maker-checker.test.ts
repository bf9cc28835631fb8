import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { buildServer } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { signAccessToken } from '../../server/auth/tokens.ts';
import { insertUser } from '../../server/auth/users-repository.ts';
import { migrate } from '../../server/db/migrate.ts';
import { openPglite } from '../../server/db/pglite.ts';
import type { Db } from '../../server/db/types.ts';
import { STUDIO_AGREEMENT_PUSH, STUDIO_MONTH_REPORT } from './support/studio-month.ts';
import { launchChromium, startRendererServer } from './browser.ts';
import { pickFiles } from './support/workstation.ts';

/**
 * Maker-checker end to end in Debian's Chromium against `npm run web`'s renderer, with the real
 * server (PGlite in a data folder, in this process) on another origin behind it (CORS): an analyst
 * (context 1) signs in to a team workspace, imports a partner report, runs a settlement in the
 * engine worker, drills into a line and submits two statements; an approver (context 2, another
 * user) approves one online (the server recomputes it) and exports it; then the server stops, the
 * approver approves the other offline (pending > 0), the server restarts on the same data folder
 * and port, and the analyst sees the approval synced (pending 0).
 *
 * Hand arithmetic of the month (support/studio-month.ts): studio-a 100.00 + 200.00 + 50.00 = 350.00 at
 * 70 % = 245.00; studio-b 400.00 + 120.00 = 520.00 at 60 % = 312.00.
 */
const ARTIFACTS = 'tmp/artifacts/maker-checker';
const PASSWORD = 'maker-checker-e2e-password';

interface RunningServer {
  readonly db: Db;
  readonly app: FastifyInstance;
  readonly baseUrl: string;
  readonly port: number;
}

let dataDir: string;
let renderer: { server: ViteDevServer; baseUrl: string };
let server: RunningServer | null = null;
let browser: Browser;
let ana: Page;
let bob: Page;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

async function startServer(origin: string, port: number): Promise<RunningServer> {
  const db = await openPglite({ dataDir: join(dataDir, 'pglite') });
  await migrate(db);
  const app = await buildServer({ db, corsOrigins: [origin], streamHeartbeatMs: 5_000 });
  await app.listen({ host: '127.0.0.1', port });
  const bound = (app.server.address() as AddressInfo).port;
  return { db, app, baseUrl: `http://127.0.0.1:${bound}`, port: bound };
}

async function stopServer(running: RunningServer): Promise<void> {
  const closing = running.app.close();
  // The desks' live streams (SSE) would hold the close open: end them as a process exit would.
  running.app.server.closeAllConnections();
  await closing;
  await running.db.close();
}

/** The team's agreements, put on the server by the analyst (as the partners editor would). */
async function seedAgreements(running: RunningServer, userId: string): Promise<void> {
  const token = await signAccessToken(running.app.tokens, { id: userId, username: 'ana', role: 'analyst' });
  const answer = await running.app.inject({ method: 'POST', url: '/api/v1/sync/agreement_versions/push', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(STUDIO_AGREEMENT_PUSH) });
  expect(answer.statusCode, answer.body).toBe(200);
  expect(answer.json()).toEqual([]);
}

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
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

/** Opens a screen by its navigation link; waits as long as a busy machine needs (two browsers, a server and Vite on 2 cores). */
async function openScreen(page: Page, route: string): Promise<void> {
  await page.click(`nav a[data-route=${route}]`, { timeout: 60_000 });
  await expect.poll(() => page.getAttribute('main', 'data-screen'), { timeout: 60_000 }).toBe(route);
  await page.locator('main h1').waitFor({ timeout: 60_000 });
}

/** First start: a team workspace on the server, then Settings → sign in; the desk reopens as that user. */
async function signInToTeamWorkspace(page: Page, serverUrl: string, username: string): Promise<void> {
  await page.goto(renderer.baseUrl);
  await page.getByLabel('Workspace name').fill('Team March');
  await page.getByLabel('Server URL').fill(serverUrl);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await openScreen(page, 'settings');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect.poll(() => page.getByTestId('signed-in').textContent().catch(() => ''), { timeout: 30_000 }).toContain(username);
  await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 }).toBe('Online');
}

const pending = (page: Page) => page.getByTestId('pending').textContent();
const statusOfRow = (page: Page, partner: string) => page.locator('[data-testid=statements-grid] .ag-row', { hasText: partner }).locator('[col-id=status]').first().textContent({ timeout: 10_000 });

async function openStatement(page: Page, partner: string): Promise<void> {
  await page.locator('[data-testid=statements-grid] .ag-row', { hasText: partner }).locator('[col-id=partner]').first().dblclick({ timeout: 60_000 });
  await expect.poll(() => page.getByTestId('statement-preview').locator('h2').first().textContent(), { timeout: 15_000 }).toContain(partner);
}

/** Drills into a line of the open statement; returns the line's own count of transactions. */
async function drillInto(page: Page, product: string): Promise<string | null> {
  const line = page.locator('[data-testid=statement-lines-grid] .ag-row', { hasText: product });
  await line.locator('[col-id=product]').first().dblclick({ timeout: 30_000 });
  await page.getByTestId('statement-drill').waitFor({ timeout: 15_000 });
  return line.locator('[col-id=count]').first().textContent();
}

/** The amounts of the transactions the drill-down lists, in order. */
const drillAmounts = (page: Page) => page.getByTestId('statement-drill').locator('tbody td.num').allTextContents();

async function approve(page: Page, reason: string): Promise<void> {
  await page.getByRole('button', { name: 'Approve…' }).click();
  await page.getByLabel('Reason *').fill(reason);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect.poll(() => page.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Approved');
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'settledesk-maker-checker-'));
  writeFileSync(join(dataDir, 'march-report.csv'), STUDIO_MONTH_REPORT);
  renderer = await startRendererServer();
  server = await startServer(new URL(renderer.baseUrl).origin, 0);
  const passwordHash = await hashPassword(PASSWORD);
  const analyst = await insertUser(server.db, { username: 'ana', passwordHash, role: 'analyst' });
  await insertUser(server.db, { username: 'bob', passwordHash, role: 'approver' });
  await seedAgreements(server, analyst?.id ?? '');
  browser = await launchChromium();
  ana = await openPage();
  bob = await openPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server !== null) await stopServer(server);
  await renderer?.server.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

// A failed step leaves both desks' screens and the console's errors behind, to see why.
beforeEach((context) => {
  onTestFailed(async () => {
    const name = context.task.name.slice(0, 30).replace(/\W+/g, '-');
    await Promise.all([shot(ana, `failed-${name}-analyst`).catch(() => undefined), shot(bob, `failed-${name}-approver`).catch(() => undefined)]);
    // The stream's URL carries an access token: never into a file.
    writeFileSync(`${ARTIFACTS}/failed-${name}-console.txt`, [...pageErrors, ...consoleErrors].join('\n').replace(/access_token=[^'&\s]+/g, 'access_token=…'));
  });
});

describe('maker-checker through the server in Chromium', () => {
  it('an analyst imports the month, runs a settlement in the worker, drills into a line and submits', async () => {
    await signInToTeamWorkspace(ana, server?.baseUrl ?? '', 'ana');
    await openScreen(ana, 'imports');
    await pickFiles(ana, '[data-testid=pick-files]', [join(dataDir, 'march-report.csv')]);
    const account = ana.locator('[data-testid=row-account] tr[data-file="march-report.csv"]').first();
    await account.waitFor({ timeout: 60_000 });
    expect(await account.locator('td[data-col=imported]').textContent()).toBe('5');

    await openScreen(ana, 'settlements');
    await ana.getByTestId('run-settlement').click();
    await expect.poll(() => ana.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('Run 1 of 2026-03: 2 statements, 0 blocked');
    // The run's message is said in the language of the moment, not the one it was written in.
    await ana.locator('header select').selectOption('ko');
    await expect.poll(() => ana.getByTestId('run-status').textContent(), { timeout: 15_000 }).toBe('2026-03 1차 실행: 명세서 2건, 보류 0건');
    await ana.locator('header select').selectOption('en');
    await expect.poll(() => ana.getByTestId('run-status').textContent(), { timeout: 15_000 }).toBe('Run 1 of 2026-03: 2 statements, 0 blocked');
    await openStatement(ana, 'studio-a');
    // 350.00 at 70 % = 245.00, labelled with the statement's own words.
    expect(await ana.getByTestId('total-payable').textContent()).toContain('245.00');
    expect(await ana.getByTestId('statement-preview').textContent()).toContain('Gross revenue base');
    // game-1: the two sales of 100.00 and 200.00.
    expect(await drillInto(ana, 'game-1')).toBe('2');
    // The drill-down's rows come from the engine worker a moment after the line opens.
    await expect.poll(() => drillAmounts(ana), { timeout: 30_000 }).toEqual(['100.00 EUR', '200.00 EUR']);
    // Another line opened: the drill-down stays, busy, until that line's rows arrive from the worker (it vanished in between).
    await ana.locator('[data-testid=statement-lines-grid] .ag-row', { hasText: 'game-2' }).locator('[col-id=product]').first().dblclick({ timeout: 30_000 });
    expect(await ana.getByTestId('statement-drill').count()).toBe(1);
    await expect.poll(() => drillAmounts(ana), { timeout: 30_000 }).toEqual(['50.00 EUR']);
    expect(await ana.getByTestId('statement-drill').getAttribute('aria-busy')).toBe('false');
    await ana.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => ana.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Submitted');
    await openStatement(ana, 'studio-b');
    expect(await ana.getByTestId('total-payable').textContent()).toContain('312.00');
    await ana.getByRole('button', { name: 'Submit for approval' }).click();
    await expect.poll(() => ana.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Submitted');
    // The server accepts the submissions once it has recomputed them from the pushed batches and agreements.
    await expect.poll(() => pending(ana), { timeout: 90_000 }).toBe('0 changes to push');
    await shot(ana, 'analyst-submitted');
  }, 300_000);

  it('an approver (another user) sees the submissions, approves one online and exports it', async () => {
    await signInToTeamWorkspace(bob, server?.baseUrl ?? '', 'bob');
    await openScreen(bob, 'settlements');
    await expect.poll(() => statusOfRow(bob, 'studio-a'), { timeout: 60_000 }).toBe('Submitted');
    await openStatement(bob, 'studio-a');
    // The approver's desk opened empty; the analyst's import and its batches arrive by replication
    // afterwards and are read then, once: the drill-down lists exactly the rows each line counted.
    // game-1: 100.00 + 200.00 (2 sales); game-2: 50.00 (1 sale).
    expect(await drillInto(bob, 'game-1')).toBe('2');
    await expect.poll(() => drillAmounts(bob), { timeout: 60_000 }).toEqual(['100.00 EUR', '200.00 EUR']);
    expect(await drillInto(bob, 'game-2')).toBe('1');
    await expect.poll(() => drillAmounts(bob), { timeout: 30_000 }).toEqual(['50.00 EUR']);
    await shot(bob, 'approver-drill');
    // No second read of the same import (a pull settling late, the watcher firing again): still 2, not 4.
    await bob.waitForTimeout(2_000);
    expect(await drillInto(bob, 'game-1')).toBe('2');
    await expect.poll(() => drillAmounts(bob), { timeout: 30_000 }).toEqual(['100.00 EUR', '200.00 EUR']);
    await approve(bob, 'checked against the March report');
    // The server holds the approval (it recomputed 245.00 from the stored inputs). Polled: the header's
    // "0 changes to push" can be read before the approval is written on the desk (seen once in CI).
    const approvals = async () => (await server?.db.query<{ action: string; by: string }>("select body->>'action' as action, body->>'by' as by from sync_documents where collection = 'approval_events' order by seq"))?.rows.map((row) => `${row.action}:${row.by}`);
    await expect.poll(approvals, { timeout: 60_000 }).toEqual(['submitted:ana', 'submitted:ana', 'approved:bob']);
    await expect.poll(() => pending(bob), { timeout: 60_000 }).toBe('0 changes to push');
    expect(await bob.getByTestId('approval-refused').count()).toBe(0);

    const [download] = await Promise.all([bob.waitForEvent('download', { timeout: 30_000 }), bob.getByRole('button', { name: 'Lines as CSV (unsigned)' }).click()]);
    const csvPath = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv).toContain('game-1');
    expect(csv).toContain('game-2');
    // The export's message is said again in the language switched to.
    const exportMessage = () => bob.getByTestId('statement-preview').locator('p.sd-status').textContent();
    await expect.poll(exportMessage, { timeout: 15_000 }).toMatch(/^Saved .+\.csv$/);
    await bob.locator('header select').selectOption('ko');
    await expect.poll(exportMessage, { timeout: 15_000 }).toMatch(/^.+\.csv 저장됨$/);
    await bob.locator('header select').selectOption('en');
    const [xlsx] = await Promise.all([bob.waitForEvent('download', { timeout: 30_000 }), bob.getByRole('button', { name: 'Lines as XLSX (unsigned)' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    await shot(bob, 'approver-approved');
    await expect.poll(() => statusOfRow(ana, 'studio-a'), { timeout: 60_000 }).toBe('Approved');
  }, 240_000);

  it('approves offline while the server is down, and the approval reaches the analyst after it restarts', async () => {
    const port = server?.port ?? 0;
    await stopServer(server as RunningServer);
    server = null;
    await openStatement(bob, 'studio-b');
    await approve(bob, 'approved on the train');
    await expect.poll(() => bob.getByTestId('connection').textContent(), { timeout: 30_000 }).toBe('Offline');
    await expect.poll(() => pending(bob), { timeout: 30_000 }).toMatch(/^[1-9]\d* changes? to push$/);
    await shot(bob, 'approver-offline-pending');
    expect(await statusOfRow(ana, 'studio-b')).toBe('Submitted');

    server = await startServer(new URL(renderer.baseUrl).origin, port);
    await expect.poll(() => pending(bob), { timeout: 90_000 }).toBe('0 changes to push');
    await expect.poll(() => statusOfRow(ana, 'studio-b'), { timeout: 90_000 }).toBe('Approved');
    await expect.poll(() => pending(ana), { timeout: 30_000 }).toBe('0 changes to push');
    await openStatement(ana, 'studio-b');
    expect(await ana.getByTestId('statement-preview').textContent()).toContain('approved on the train');
    // An artifact only: the README's docs/screenshots/maker-checker-synced.png is refreshed by hand from it.
    await shot(ana, 'analyst-synced');
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
