import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startRendererServer } from './browser.ts';
import { statementHashes } from './statement-hash-scenario.ts';

let server: ViteDevServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  // Its own dependency cache: the other browser test's dev server may be optimizing at the same time.
  ({ server, baseUrl } = await startRendererServer({ cacheDir: 'node_modules/.vite-statement-hash' }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('statement hashes in Node and in Chromium', () => {
  it('the same settlement run gives byte-identical statements, so the same SHA-256, in both', async () => {
    const inNode = statementHashes();
    const page = await browser.newPage();
    await page.goto(baseUrl);
    // Vite serves files outside the renderer root under /@fs/: the browser runs the very same core/ modules.
    const module = `/@fs${path.resolve('tests/e2e/statement-hash-scenario.ts')}`;
    // A string, not a function: vitest would rewrite a dynamic import() inside a function body for Node.
    const evaluate = async (): Promise<string[]> => (await page.evaluate(`import(${JSON.stringify(module)}).then((scenario) => scenario.statementHashes())`)) as string[];
    let inBrowser: string[] = [];
    // The first import of new dependencies makes Vite's dev server optimize them and reload the page once.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        inBrowser = await evaluate();
        break;
      } catch (error) {
        if (!/Execution context was destroyed|Failed to fetch dynamically imported module/.test(String(error)) || attempt === 2) throw error;
        await page.waitForLoadState('load');
      }
    }
    expect(inNode).toHaveLength(1);
    expect(inNode[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(inBrowser).toEqual(inNode);
    await page.close();
  });
});
