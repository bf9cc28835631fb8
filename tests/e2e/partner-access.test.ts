import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Db } from '../../server/db/types.ts';
import { WebhookReceiver } from '../../server/partner/webhook-receiver.test-support.ts';
import { verifyWebhookSignature } from '../../server/partner/webhook-signature.ts';
import { DELIVERY_POLICY_DEFAULT } from '../../server/partner/webhooks.ts';
import { testDatabases } from '../../server/test-support.ts';
import { TEST_PASSWORD } from '../../server/test-app.test-support.ts';
import { partnerWorld, RUNS, type PartnerWorld } from '../partner-fixtures.test-support.ts';
import { launchChromium } from './browser.ts';
import { screenshot, seriousViolations } from './support/workstation.ts';

/**
 * The desk's Partner access screen in Debian's Chromium (`npm run web`'s renderer) against the real
 * server (PGlite, listening on 127.0.0.1 with the renderer's origin allowed by CORS, its webhook
 * worker running every 300 ms, private webhook targets allowed as --webhook-allow-private does).
 * The admin signs in on the desk and, for partner A: creates a portal user whose one-time password
 * signs in at the server, disables her (the server refuses her sign-in), enables her again and resets
 * her password (the new one shown once signs in, the old one is refused); creates an API key, sees the secret once, the key works from Node (real
 * fetch) and is refused with 401 once revoked on the screen; creates a webhook to a receiver on
 * 127.0.0.1 and another to a closed port; a statement of A is approved through the server's routes
 * (as in the portal test); the delivery log shows the receiver's delivery with status 200 (its body
 * signed with the secret the screen showed once) and the dead webhook switched off after its two
 * attempts, which the admin activates again. An analyst signed in gets the reason, not the screen.
 *
 * The server's clock is the partner fixtures' (2026-03-01 09:00 UTC): the log's times show it.
 */
const ARTIFACTS = 'partner-access';
const TIMEOUT = { timeout: 30_000 };

/**
 * The renderer as `npm run web` serves it, but neither watching files nor hot-reloading, with its own
 * dependency cache: other helpers' saves in the same checkout would otherwise reload the page
 * mid-test, and the browser host keeps the sign-in in memory only (a reload signs the admin out).
 */
async function startFrozenRenderer(): Promise<{ server: ViteDevServer; baseUrl: string }> {
  const server = await createViteServer({ configFile: 'renderer/vite.config.ts', cacheDir: 'node_modules/.vite-partner-access', server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error('vite dev server has no port');
  return { server, baseUrl: `http://127.0.0.1:${address.port}/` };
}

const target = (await testDatabases()).find((each) => each.kind === 'pglite');
if (target === undefined) throw new Error('no PGlite test database');

describe('Partner access in Chromium', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let w: PartnerWorld;
  let renderer: { server: ViteDevServer; baseUrl: string };
  let origin: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const receiver = new WebhookReceiver();
  const received = receiver.received;
  // A port that was bound and closed again: nothing listens there, so deliveries fail at once.
  const closedPort = async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  };

  beforeAll(async () => {
    renderer = await startFrozenRenderer();
    ({ db, drop } = await target.open());
    // Two attempts per delivery, the retry 1 s later (base = cap = 2 s, equal jitter: 1-2 s), and a webhook switched off after one failed delivery.
    const policy = { ...DELIVERY_POLICY_DEFAULT, attemptsMax: 2, baseDelayMs: 2_000, maxDelayMs: 2_000, timeoutMs: 5_000, failedDeliveriesMax: 1 };
    w = await partnerWorld(db, { corsOrigins: [new URL(renderer.baseUrl).origin], partner: { webhookTargets: { allowPrivate: true }, webhookWorker: { intervalMs: 300, policy } } });
    await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`;
    await receiver.start();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await receiver.stop();
    await browser?.close();
    if (w !== undefined) {
      const closing = w.t.app.close();
      w.t.app.server.closeAllConnections();
      await closing;
    }
    await db?.close();
    await drop?.();
    await renderer?.server.close();
  });

  // A failed step leaves the screen behind, to see why.
  beforeEach((context) => {
    onTestFailed(async () => {
      await screenshot(page, `${ARTIFACTS}/failed-${context.task.name.slice(0, 30).replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  async function openPartnerAccess(): Promise<void> {
    await page.click('nav a[data-route=partner-access]', { timeout: 60_000 });
    await expect.poll(() => page.getAttribute('main', 'data-screen'), { timeout: 60_000 }).toBe('partner-access');
  }

  async function signIn(username: string): Promise<void> {
    await page.click('nav a[data-route=settings]', { timeout: 60_000 });
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByTestId('signed-in').textContent().catch(() => ''), TIMEOUT).toContain(username);
  }

  const partnerApi = (secret: string) => fetch(`${origin}/api/v1/partner/statements`, { headers: { authorization: `ApiKey ${secret}` } });

  it('an admin creates a portal user, an API key (shown once, works, revoked -> 401) and webhooks whose delivery log shows the approval delivered with 200', async () => {
    await page.goto(renderer.baseUrl);
    await page.getByLabel('Workspace name').fill('Team');
    await page.getByLabel('Server URL').fill(origin);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await openPartnerAccess();
    // Not signed in yet: the reason and the way to Settings, not an empty screen.
    await expect.poll(() => page.getByTestId('partner-access').getAttribute('data-access'), TIMEOUT).toBe('signed-out');
    expect(await page.getByTestId('partner-access-denied').textContent()).toContain('Sign in to the team’s server in Settings as an admin');

    await signIn('root');
    await openPartnerAccess();
    await expect.poll(() => page.getByTestId('partner-access').getAttribute('data-access'), TIMEOUT).toBe('admin');
    await expect.poll(() => page.getByTestId('pick-partner').locator('option').allTextContents(), TIMEOUT).toEqual(['A · Studio A (ana)', 'B · Studio B (ana)']);
    // The fixtures' two keys of A: listed by prefix, never by secret.
    await expect.poll(() => page.locator('[data-testid=keys-table] tbody tr').count(), TIMEOUT).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);

    // A portal user with a suggested one-time password, which then signs in at the server.
    await page.getByTestId('user-name').fill('amy');
    await page.getByRole('button', { name: 'Suggest a password' }).click();
    const password = await page.getByTestId('user-password').inputValue();
    expect(password).toMatch(/^[A-Za-z2-9]{20}$/);
    await page.getByRole('button', { name: 'Create portal user' }).click();
    await expect.poll(() => page.getByTestId('portal-users').getByRole('status').textContent(), TIMEOUT).toContain('Portal user amy created');
    // Listed as made, never signed in: read before the sign-in below, so the list's reload after the create cannot see it.
    const amy = page.locator('[data-testid=users-table] tr[data-user=amy]');
    await expect.poll(() => amy.locator('td[data-col=lastSignIn]').textContent(), TIMEOUT).toBe('never');
    const signedIn = await fetch(`${origin}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'amy', password }) });
    expect(signedIn.status).toBe(200);
    expect((await signedIn.json()).user.role).toBe('partner');

    // Disabling amy (Escape first leaves her enabled) refuses her sign-in at the server, enabling lets it in again.
    const signInAmy = async (with_: string) => (await fetch(`${origin}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'amy', password: with_ }) })).status;
    const userConfirm = page.getByTestId('user-confirm');
    await page.getByRole('button', { name: 'Disable portal user amy' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), TIMEOUT).toBe('Disable now');
    await page.keyboard.press('Escape');
    await expect.poll(() => userConfirm.count(), TIMEOUT).toBe(0);
    expect(await amy.getAttribute('data-disabled')).toBe('false');
    await page.getByRole('button', { name: 'Disable portal user amy' }).click();
    expect(await userConfirm.textContent()).toContain('Disable amy? Every session of amy ends now');
    await screenshot(page, `${ARTIFACTS}/portal-user-disable-en`);
    await userConfirm.getByRole('button', { name: 'Disable now' }).click();
    await expect.poll(() => amy.getAttribute('data-disabled'), TIMEOUT).toBe('true');
    // The list read again after the action shows the sign-in, on the server's clock.
    expect(await amy.locator('td[data-col=lastSignIn]').textContent()).toBe('2026-03-01 09:00:00 UTC');
    await expect.poll(() => signInAmy(password), TIMEOUT).toBe(401);
    await page.getByRole('button', { name: 'Enable portal user amy' }).click();
    await userConfirm.getByRole('button', { name: 'Enable now' }).click();
    await expect.poll(() => amy.locator('td[data-col=state]').textContent(), TIMEOUT).toBe('Enabled');
    await expect.poll(() => signInAmy(password), TIMEOUT).toBe(200);
    // A password reset shows the new one-time password once; it signs in, the old one no longer does.
    await page.getByRole('button', { name: 'Reset password of amy' }).click();
    await userConfirm.getByRole('button', { name: 'Reset now' }).click();
    const newPassword = page.getByTestId('portal-users').getByTestId('secret-once');
    await newPassword.waitFor(TIMEOUT);
    const reset = await newPassword.getByTestId('secret-value').inputValue();
    expect(reset).toMatch(/^[A-Za-z2-9]{20}$/);
    expect(await newPassword.textContent()).toContain('The new one-time password of amy');
    await screenshot(page, `${ARTIFACTS}/portal-user-password-en`);
    expect(await seriousViolations(page)).toEqual([]);
    await newPassword.getByTestId('secret-done').click();
    await expect.poll(() => signInAmy(reset), TIMEOUT).toBe(200);
    expect(await signInAmy(password)).toBe(401);

    // An API key: the secret once, with its warning and copy button.
    await page.getByTestId('key-name').fill('ERP export');
    await page.getByTestId('create-key').click();
    const shown = page.getByTestId('api-keys').getByTestId('secret-once');
    await shown.waitFor(TIMEOUT);
    const secret = await shown.getByTestId('secret-value').inputValue();
    expect(secret).toMatch(/^sdpk_pk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(await shown.textContent()).toContain('it is shown once');
    await shown.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), TIMEOUT).toBe(secret);
    const keyId = /^sdpk_(pk_[0-9a-f]{24})_/.exec(secret)?.[1] ?? '';
    const row = page.locator(`[data-testid=keys-table] tr[data-key="${keyId}"]`);
    await row.waitFor(TIMEOUT);
    expect(await row.locator('td').nth(1).textContent()).toBe(`sdpk_${keyId}_…`);
    expect(await row.locator('td').nth(2).textContent()).toBe('Read statements');
    expect(await row.textContent()).not.toContain(secret.slice(-43));
    await screenshot(page, `${ARTIFACTS}/key-shown-once-en`);
    expect(await seriousViolations(page)).toEqual([]);
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('secret-once').count()).toBe(0);

    // The key works from Node, then the admin revokes it on the screen (confirmation first) and the same call is refused.
    const used = await partnerApi(secret);
    expect(used.status).toBe(200);
    expect(await used.json()).toEqual({ statements: [] });
    await page.getByRole('button', { name: 'Revoke key ERP export' }).click();
    const confirm = page.getByTestId('revoke-confirm');
    await confirm.waitFor(TIMEOUT);
    // The confirmation takes the focus; Escape leaves without revoking.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), TIMEOUT).toBe('Revoke now');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count(), TIMEOUT).toBe(0);
    expect(await row.getAttribute('data-state')).toBe('active');
    await page.getByRole('button', { name: 'Revoke key ERP export' }).click();
    await confirm.waitFor(TIMEOUT);
    expect(await confirm.textContent()).toContain(`Revoke ERP export (sdpk_${keyId}_…)?`);
    await screenshot(page, `${ARTIFACTS}/revoke-confirm-en`);
    await confirm.getByRole('button', { name: 'Revoke now' }).click();
    await expect.poll(() => row.getAttribute('data-state'), TIMEOUT).toBe('revoked');
    // Last used: the use above, stamped with the server's clock.
    expect(await row.locator('td[data-col=lastUsed]').textContent()).toBe('2026-03-01 09:00:00 UTC');
    const refused = await partnerApi(secret);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatchObject({ code: 'token_invalid', details: { reason: 'revoked' } });

    // Webhooks: one to the receiver (its signing secret shown once), one to a closed port.
    const hookUrl = `http://127.0.0.1:${receiver.port}/settledesk`;
    await page.getByTestId('webhook-url').fill(hookUrl);
    await page.getByTestId('create-webhook').click();
    const hookSecretBox = page.getByTestId('webhooks').getByTestId('secret-once');
    await hookSecretBox.waitFor(TIMEOUT);
    const hookSecret = await hookSecretBox.getByTestId('secret-value').inputValue();
    expect(hookSecret).toMatch(/^whsec_/);
    await hookSecretBox.getByRole('button', { name: 'I have stored it' }).click();
    const deadUrl = `http://127.0.0.1:${await closedPort()}/down`;
    await page.getByTestId('webhook-url').fill(deadUrl);
    await page.locator('[data-testid=webhooks] input[data-event="query.answered"]').uncheck();
    await page.getByTestId('create-webhook').click();
    await page.getByTestId('webhooks').getByTestId('secret-once').waitFor(TIMEOUT);
    await page.getByTestId('webhooks').getByTestId('secret-done').click();
    await expect.poll(() => page.locator('[data-testid=webhooks-table] tbody tr').count(), TIMEOUT).toBe(2);

    // A's January statement approved through the server's routes: the worker sends statement.approved to both.
    await w.approve(RUNS.a1());
    await page.getByRole('button', { name: `Delivery log of ${hookUrl}` }).click();
    const log = page.locator(`[data-testid=delivery-log][data-webhook] [data-testid=delivery-rows]`);
    await expect
      .poll(async () => {
        await page.getByTestId('refresh-log').click();
        return log.locator('tbody tr').evaluateAll((rows) => rows.map((each) => `${each.querySelector('[data-col=event]')?.textContent}|${each.getAttribute('data-status')}|${each.getAttribute('data-attempt')}|${each.querySelector('[data-col=code]')?.textContent}`));
      }, TIMEOUT)
      .toEqual(['Statement approved|delivered|1|200']);
    const [delivery] = received;
    if (delivery === undefined) throw new Error('the receiver got nothing');
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'statement.approved', partnerId: 'A' });
    expect(verifyWebhookSignature(hookSecret, delivery.headers['settledesk-signature'] as string, delivery.body, { nowSeconds: Math.floor(w.t.clock.nowMs / 1000) }).ok).toBe(true);
    await page.getByTestId('delivery-log').scrollIntoViewIfNeeded();
    await screenshot(page, `${ARTIFACTS}/delivery-log-en`);

    // The dead webhook: its first attempt fails and a retry is due (the server's clock stands still here)...
    const dead = page.locator('[data-testid=webhooks-table] tr', { hasText: deadUrl });
    await page.getByRole('button', { name: `Delivery log of ${deadUrl}` }).click();
    const deadRows = () =>
      log.locator('tbody tr').evaluateAll((rows) => rows.map((each) => `${each.getAttribute('data-status')}|${each.getAttribute('data-attempt')}|${each.querySelector('[data-col=nextRetry]')?.textContent}|${each.querySelector('[data-col=error]')?.textContent === '' ? 'no error' : 'error'}`));
    await expect
      .poll(async () => {
        await page.getByTestId('refresh-log').click();
        return deadRows();
      }, TIMEOUT)
      .toEqual([expect.stringMatching(/^pending\|1\|2026-03-01 09:00:0[12] UTC\|error$/)]);
    await screenshot(page, `${ARTIFACTS}/delivery-retry-en`);
    // ... then, 5 s later on the server's clock, the second and last attempt fails and the webhook is switched off with its reason.
    w.t.clock.nowMs += 5_000;
    await expect
      .poll(async () => {
        await page.getByTestId('refresh-log').click();
        return dead.getAttribute('data-active');
      }, TIMEOUT)
      .toBe('false');
    expect(await dead.locator('td[data-col=state]').textContent()).toBe('Switched off 2026-03-01 09:00:05 UTC: 1 consecutive deliveries failed');
    await expect.poll(() => deadRows(), TIMEOUT).toEqual(['failed|2|—|error', 'failed|1|—|error']);
    await screenshot(page, `${ARTIFACTS}/webhook-switched-off-en`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: `Activate webhook ${deadUrl}` }).click();
    await expect.poll(() => dead.getAttribute('data-active'), TIMEOUT).toBe('true');

    // Korean: every text of the screen in Hangul.
    await page.getByLabel('Language').selectOption('ko');
    await expect.poll(() => page.locator('main h1').textContent(), TIMEOUT).toBe('파트너 접근');
    await page.locator('text=전송 기록').first().waitFor(TIMEOUT);
    // The last action's outcome follows the language too.
    expect(await page.getByTestId('webhooks').getByRole('status').first().textContent()).toBe('웹훅을 다시 켰습니다. 대기 중인 전송이 재개됩니다.');
    expect(await row.locator('td').nth(2).textContent()).toBe('정산서 읽기');
    await screenshot(page, `${ARTIFACTS}/partner-access-ko`);
    await page.getByTestId('delivery-log').scrollIntoViewIfNeeded();
    await screenshot(page, `${ARTIFACTS}/delivery-log-ko`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('언어').selectOption('en');
    await expect.poll(() => page.locator('main h1').textContent(), TIMEOUT).toBe('Partner access');
  }, 240_000);

  it('an analyst signed in sees why the screen is not for her, and the keyboard reaches the screen', async () => {
    await page.click('nav a[data-route=settings]');
    await page.getByTestId('sign-out').click();
    await signIn('ana');
    await openPartnerAccess();
    await expect.poll(() => page.getByTestId('partner-access').getAttribute('data-access'), TIMEOUT).toBe('not-admin');
    expect(await page.getByTestId('partner-access-denied').textContent()).toContain('Only an admin manages partner access. You are signed in as ana (analyst).');
    await screenshot(page, `${ARTIFACTS}/not-admin-en`);
    // From the navigation link, Enter opens the screen and focus moves to it. Settings first takes
    // the focus to its main region itself: wait for that, or it can land after the link is focused.
    await page.click('nav a[data-route=settings]');
    await expect.poll(() => page.evaluate(() => [document.querySelector('main')?.getAttribute('data-screen'), document.activeElement?.id]), TIMEOUT).toEqual(['settings', 'main']);
    await page.focus('nav a[data-route=partner-access]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getAttribute('main', 'data-screen'), TIMEOUT).toBe('partner-access');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), TIMEOUT).toBe('main');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
