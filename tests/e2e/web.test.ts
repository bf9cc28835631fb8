import type { Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startRendererServer } from './browser.ts';

let server: ViteDevServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  ({ server, baseUrl } = await startRendererServer());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('npm run web in Chromium', () => {
  it('serves the desk shell: first start, a new local-only workspace, navigation and the Korean switch', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(baseUrl);
    await expect.poll(() => page.textContent('h1')).toBe('Welcome to SettleDesk');
    // The new-workspace form names what is missing, then opens a local-only workspace (the demo is workstation.test.ts's).
    await page.getByRole('button', { name: 'Create workspace' }).click();
    expect(await page.textContent('.field-error')).toBe('Give the workspace a name.');
    await page.getByLabel('Workspace name').fill('Team desk');
    await page.getByLabel('Local only (this computer)').check();
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.textContent('[data-testid=workspace-name]')).toBe('Team desk');
    expect(await page.locator('[data-testid=demo-badge]').count()).toBe(0);
    expect(await page.textContent('[data-testid=connection]')).toBe('Local only');
    const navigation = await page.locator('nav a').allTextContents();
    expect(navigation.map((text) => text.replace(/⌥\d$/, ''))).toEqual(['Dashboard', 'Imports', 'Transactions', 'Exceptions', 'Reconciliation', 'Settlements', 'Partners', 'Audit log', 'Sync', 'Settings', 'Partner access']);

    // Alt+0 opens Settings; its language switch turns the whole desk Korean, rendered in a Hangul font.
    await page.keyboard.press('Alt+Digit0');
    await expect.poll(() => page.getAttribute('main', 'data-screen')).toBe('settings');
    await page.getByLabel('Language').first().selectOption('ko');
    // The switch waits for the Hangul font, which a cold dev server transforms and serves (~9 MB): more than poll's 1 s default.
    await expect.poll(() => page.locator('nav a[data-route=dashboard] span').textContent(), { timeout: 30_000 }).toBe('대시보드');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    await expect.poll(() => page.evaluate(async () => (await document.fonts.load('16px "Noto Sans KR"', '대')).length)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
    // A cold dev server transforms the renderer and serves the Hangul font: slow on a busy machine.
  }, 60_000);
});
