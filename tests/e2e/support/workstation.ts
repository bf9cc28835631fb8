import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { launchChromium, startRendererServer } from '../browser.ts';

/** Helpers for the workstation's end-to-end tests: screenshots as artifacts, axe-core checks, common steps. */
export const ARTIFACTS_DIR = 'tmp/artifacts';

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = `${ARTIFACTS_DIR}/${name}.png`;
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, fullPage: false });
  return path;
}

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations on the page as it is now ("rule: selector" strings). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // The desk's CSP refuses inline scripts (so addScriptTag cannot inject axe); evaluating its source through the devtools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Opens a screen by its navigation link and waits until the main region shows it. */
export async function openScreen(page: Page, route: string): Promise<void> {
  await page.click(`nav a[data-route=${route}]`);
  await expect.poll(() => page.getAttribute('main', 'data-screen'), { timeout: 10_000 }).toBe(route);
  await page.locator('main h1').waitFor();
}

/**
 * What an analyst would find wrong in a grid's header row: a header cut with an ellipsis
 * ("date: cut"), or a filter button drawn left of its label, where it reads as a column with an
 * empty header ("amount: filter button left of the label").
 */
export async function headerProblems(page: Page, gridTestId: string): Promise<string[]> {
  return page.locator(`[data-testid=${gridTestId}] .ag-header-cell[col-id]`).evaluateAll((cells) =>
    cells.flatMap((cell) => {
      const id = cell.getAttribute('col-id') ?? '?';
      const text = cell.querySelector('.ag-header-cell-text');
      const button = cell.querySelector('.ag-header-cell-filter-button');
      const problems: string[] = [];
      if (text !== null && text.scrollWidth > text.clientWidth) problems.push(`${id}: cut`);
      if (text !== null && button !== null && button.getBoundingClientRect().left < text.getBoundingClientRect().left) problems.push(`${id}: filter button left of the label`);
      return problems;
    }),
  );
}

/** Picks files through the page's file chooser (the browser host's openFiles). */
export async function pickFiles(page: Page, trigger: string, paths: readonly string[]): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(trigger)]);
  await chooser.setFiles([...paths]);
}

/** The row account's numbers for one file: [rows read, imported, rejected, duplicates, conflicts]. */
export async function rowAccount(page: Page, file: string): Promise<string[]> {
  const row = page.locator(`[data-testid=row-account] tr[data-file="${file}"]`).first();
  await row.waitFor();
  return Promise.all(['rows', 'imported', 'rejected', 'duplicates', 'conflicts'].map(async (col) => (await row.locator(`td[data-col=${col}]`).textContent()) ?? ''));
}

/** A workstation page in Debian's Chromium against the renderer's dev server, with the page's uncaught errors collected. */
export interface OpenWorkstation {
  readonly server: ViteDevServer;
  readonly browser: Browser;
  readonly baseUrl: string;
  readonly page: Page;
  readonly pageErrors: string[];
  close(): Promise<void>;
}

export async function openWorkstation(): Promise<OpenWorkstation> {
  const { server, baseUrl } = await startRendererServer();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return {
    server,
    browser,
    baseUrl,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens the demo workspace from the first start and waits until the engine worker has built its month. */
export async function openDemoWorkspace(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.click('[data-testid=open-demo]');
  await page.locator('[data-testid=dashboard-ready]').waitFor({ timeout: 80_000 });
}
