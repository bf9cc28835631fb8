import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callModuleInPage, launchChromium, startRendererServer } from './browser.ts';

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

const PROBE = path.resolve('tests/e2e/support/grid-warm-up-probe.ts');

/** Before the page's own scripts: each AG Grid root added to the page (once) or removed, in order, and whether it sat out of the accessibility tree. */
const GRID_LOG = `
window.gridLog = [];
const seen = new WeakSet();
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) if (node instanceof Element) for (const grid of [node, ...node.querySelectorAll('.ag-root-wrapper')]) if (grid.matches('.ag-root-wrapper') && !seen.has(grid)) { seen.add(grid); window.gridLog.push('added' + (grid.closest('[aria-hidden=true][inert]') === null ? '' : ' hidden')); }
    for (const node of record.removedNodes) if (node instanceof Element && (node.matches('.ag-root-wrapper') || node.querySelector('.ag-root-wrapper') !== null)) window.gridLog.push('removed');
  }
}).observe(document, { childList: true, subtree: true });
`;

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(GRID_LOG);
  await page.goto(baseUrl);
  await expect.poll(() => page.textContent('h1'), { timeout: 30_000 }).toBe('Welcome to SettleDesk');
  return { page, errors };
}

const gridLog = (page: Page) => page.evaluate('window.gridLog') as Promise<string[]>;
const pageState = (page: Page) => page.evaluate(`({ grids: document.querySelectorAll('.ag-root-wrapper').length, agCss: document.querySelectorAll('style[data-ag-css]').length })`) as Promise<{ grids: number; agCss: number }>;

describe("AG Grid's idle-time warm-up (grid/warm-up.ts)", () => {
  it('runs once the shell is up: hidden grids made and removed, none left on the Dashboard, no error', async () => {
    const { page, errors } = await openPage();
    // The first-start page has no shell: nothing warmed yet.
    expect(await gridLog(page)).toEqual([]);
    await page.getByLabel('Workspace name').fill('Warm desk');
    await page.getByLabel('Local only (this computer)').check();
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.textContent('[data-testid=workspace-name]'), { timeout: 30_000 }).toBe('Warm desk');
    // A plain AG Grid, then the desk's DataGrid beside it, both hidden; then both gone.
    await expect.poll(() => gridLog(page), { timeout: 30_000 }).toEqual(['added hidden', 'added hidden', 'removed', 'removed']);
    // AG Grid takes its CSS out with the page's last grid: nothing of the warm-up stays.
    expect(await pageState(page)).toEqual({ grids: 0, agCss: 0 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('stops at an abort, the warm-up grid destroyed with its CSS', async () => {
    const { page, errors } = await openPage();
    const state = await callModuleInPage<{ agCssDuring: number; after: { grids: number; agCss: number }; log: string[] }>(page, PROBE, 'abortedMidway()');
    // The grid was there in the desk's theme (its CSS injected), then gone with its CSS.
    expect(state.agCssDuring).toBeGreaterThan(0);
    expect(state.after).toEqual({ grids: 0, agCss: 0 });
    expect(state.log).toEqual(['added hidden', 'removed']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs once a page: called again after it ran, it makes no grid', async () => {
    const { page, errors } = await openPage();
    expect(await callModuleInPage<string[]>(page, PROBE, 'twice()')).toEqual(['added hidden', 'added hidden', 'removed', 'removed']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('makes no grid when one is on the page already (it paid the costs)', async () => {
    const { page, errors } = await openPage();
    expect(await callModuleInPage<string[]>(page, PROBE, 'besideAGrid()')).toEqual(['added']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
