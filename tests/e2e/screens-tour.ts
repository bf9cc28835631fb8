import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { ROUTE_IDS } from '../../renderer/src/app/routes.tsx';
import { openDemoWorkspace, openWorkstation } from './support/workstation.ts';

/**
 * Every screen of the demo workspace at 1440x900 in English and Korean, plus a settlement run,
 * a statement's preview and an exception's panel, as PNGs in tmp/artifacts/tour/ to look at.
 * With --readme it also copies the README's screenshots into docs/screenshots/ (tests never
 * write tracked files; this is the hand refresh).
 *   npx tsx tests/e2e/screens-tour.ts [--readme]
 */
const OUT_DIR = 'tmp/artifacts/tour';
const SETTLE_MS_MAX = 120_000;
/** README image -> the tour's shot it shows. */
const README_SHOTS: Readonly<Record<string, string>> = {
  'workstation-dashboard.png': 'dashboard-run-en',
  'workstation-dashboard-ko.png': 'dashboard-run-ko',
  'review-exceptions.png': 'exception-en',
  'review-settlements.png': 'statement-en',
  'review-reconciliation.png': 'reconciliation-en',
};

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${OUT_DIR}/${name}.png` });
}

async function open(page: Page, route: string): Promise<void> {
  await page.click(`nav a[data-route=${route}]`);
  await page.waitForFunction((id) => document.querySelector('main')?.getAttribute('data-screen') === id, route);
  await page.locator('main h1').waitFor();
}

/** A screen's data arrives after its heading (grids, the worker's answers): settled when the network and the page are quiet. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 1500))));
}

async function language(page: Page, locale: 'en' | 'ko'): Promise<void> {
  await page.locator('header select').first().selectOption(locale);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
}

async function tour(page: Page): Promise<void> {
  for (const locale of ['en', 'ko'] as const) {
    await language(page, locale);
    for (const route of ROUTE_IDS) {
      await open(page, route);
      await settle(page);
      await shot(page, `${route}-${locale}`);
    }
  }
  await language(page, 'en');
  await open(page, 'settlements');
  await page.click('[data-testid=run-settlement]');
  await page.waitForFunction(() => /\d+ statements/.test(document.querySelector('[data-testid=run-status]')?.textContent ?? ''), undefined, { timeout: SETTLE_MS_MAX });
  await page.locator('[data-testid=statements-grid] .ag-row[row-index="0"] [col-id=partner]').first().dblclick();
  await page.locator('[data-testid=statement-preview]').waitFor();
  await settle(page);
  await shot(page, 'statement-en');
  await language(page, 'ko');
  await settle(page);
  await shot(page, 'statement-ko');
  for (const locale of ['en', 'ko'] as const) {
    await language(page, locale);
    await open(page, 'dashboard');
    await settle(page);
    await shot(page, `dashboard-run-${locale}`);
  }
  await language(page, 'en');
  await open(page, 'exceptions');
  await page.locator('[data-testid=exceptions-grid] .ag-row[row-index="0"] [col-id=type]').first().dblclick();
  await page.getByTestId('exception-detail').waitFor();
  await settle(page);
  await shot(page, 'exception-en');
}

const desk = await openWorkstation();
try {
  mkdirSync(OUT_DIR, { recursive: true });
  await openDemoWorkspace(desk.page, desk.baseUrl);
  await tour(desk.page);
  if (desk.pageErrors.length > 0) throw new Error(`page errors: ${desk.pageErrors.join('; ')}`);
  if (process.argv.includes('--readme')) {
    for (const [image, name] of Object.entries(README_SHOTS)) copyFileSync(`${OUT_DIR}/${name}.png`, `docs/screenshots/${image}`);
  }
  console.log(`screenshots in ${OUT_DIR}/`);
} finally {
  await desk.close();
}
