import path from 'node:path';
import type { Page } from 'playwright-core';
import { build, loadConfigFromFile, preview, type InlineConfig, type PreviewServer } from 'vite';
import { expect } from 'vitest';

/**
 * Steps of the partner flow's end-to-end test (desk and portal in Chromium): each waits as long as
 * a loaded machine needs (several browsers, a server and Vite on 2 cores), with explicit timeouts.
 */

/** A production build of the renderer's pages (both, as `npm run build` writes out/renderer, unless `input` names fewer). */
async function buildRendererPages(outDir: string, input?: Record<string, string>): Promise<void> {
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, 'renderer/vite.config.ts');
  if (loaded === null) throw new Error('renderer/vite.config.ts not found');
  const config: InlineConfig = {
    ...loaded.config,
    configFile: false,
    logLevel: 'error',
    build: { ...loaded.config.build, outDir, emptyOutDir: true, ...(input === undefined ? {} : { rollupOptions: { input } }) },
  };
  await build(config);
}

/** A build of the portal page only (the renderer's vite config with the portal as its one input), as the server serves it from out/renderer. */
export function buildPortalOnly(outDir: string): Promise<void> {
  return buildRendererPages(outDir, { portal: path.resolve('renderer/portal/index.html') });
}

/**
 * The renderer as shipped: one production build of the desk and the portal (4 s here), the desk
 * page served over HTTP by Vite's static preview server, the portal by the SettleDesk server from
 * the same folder. The desks load bundles instead of a dev server's module-by-module transforms
 * (and its dependency pre-bundling on a fresh checkout); nothing saved into the checkout during
 * the run reaches the open pages.
 */
export async function serveRendererBuild(outDir: string): Promise<{ readonly server: PreviewServer; readonly baseUrl: string }> {
  await buildRendererPages(outDir);
  const server = await preview({ configFile: false, root: path.resolve('renderer'), base: './', logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: true } });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('the preview server has no port');
  return { server, baseUrl: `http://127.0.0.1:${address.port}/` };
}

/** Opens a desk screen by its navigation link. */
export async function openDeskScreen(page: Page, route: string): Promise<void> {
  await page.click(`nav a[data-route=${route}]`, { timeout: 60_000 });
  await expect.poll(() => page.getAttribute('main', 'data-screen'), { timeout: 60_000 }).toBe(route);
  await page.locator('main h1').waitFor({ timeout: 60_000 });
}

/** First start of a desk: a team workspace on the server, then Settings → sign in; waits until it is online as that user. */
export async function signInToTeamWorkspace(page: Page, deskUrl: string, serverUrl: string, username: string, password: string): Promise<void> {
  await page.goto(deskUrl);
  await page.getByLabel('Workspace name').fill('Team March', { timeout: 60_000 });
  await page.getByLabel('Server URL').fill(serverUrl);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await openDeskScreen(page, 'settings');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect.poll(() => page.getByTestId('signed-in').textContent().catch(() => ''), { timeout: 30_000 }).toContain(username);
  await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 }).toBe('Online');
}

/** Opens a statement of the settlement run on the Settlements screen. */
export async function openDeskStatement(page: Page, partner: string): Promise<void> {
  await page.locator('[data-testid=statements-grid] .ag-row', { hasText: partner }).locator('[col-id=partner]').first().dblclick({ timeout: 60_000 });
  await expect.poll(() => page.getByTestId('statement-preview').locator('h2').first().textContent(), { timeout: 15_000 }).toContain(partner);
}

/** The statement hash the desk's preview prints ("… · SHA-256 <hex>"). */
export async function deskStatementHash(page: Page): Promise<string> {
  const line = (await page.getByTestId('statement-preview').locator('p.sd-mono').first().textContent()) ?? '';
  const hash = /([0-9a-f]{64})\s*$/.exec(line)?.[1];
  if (hash === undefined) throw new Error(`no statement hash in the preview: ${line}`);
  return hash;
}

export const rowStatus = (page: Page, partner: string) => page.locator('[data-testid=statements-grid] .ag-row', { hasText: partner }).locator('[col-id=status]').first().textContent({ timeout: 10_000 });

export async function approveOnDesk(page: Page, reason: string): Promise<void> {
  await page.getByRole('button', { name: 'Approve…' }).click();
  await page.getByLabel('Reason *').fill(reason);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect.poll(() => page.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Approved');
}

/**
 * Signs a partner user in to the portal at `portalUrl`. With `ownPassword`, the password is the
 * admin's one-time one: the portal asks for the user's own before anything else, and gets it.
 */
export async function signInToPortal(page: Page, portalUrl: string, username: string, password: string, ownPassword?: string): Promise<void> {
  await page.goto(portalUrl);
  await page.locator('#portal-username').waitFor({ timeout: 30_000 });
  await page.fill('#portal-username', username);
  await page.fill('#portal-password', password);
  await page.keyboard.press('Enter');
  if (ownPassword !== undefined) {
    await page.locator('#portal-new-password').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('portal-user').count()).toBe(0);
    await page.fill('#portal-new-password', ownPassword);
    await page.fill('#portal-new-password-again', ownPassword);
    await page.keyboard.press('Enter');
  }
  await page.getByTestId('portal-user').waitFor({ timeout: 30_000 });
}
