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
  it('serves the renderer, which runs core/ money code in the browser', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(baseUrl);
    await expect.poll(() => page.textContent('h1')).toBe('SettleDesk');
    await expect.poll(() => page.textContent('[data-testid=host]')).toBe('Running in web host 0.1.0');
    expect(await page.textContent('[data-testid=allocation]')).toBe('33.34 + 33.33 + 33.33');
    expect(errors).toEqual([]);
    await page.close();
  });
});
