// Reconciliation's suggestions opened in Debian's Chromium against the renderer's Vite dev server, over a
// two-sided month (bench/reconcile-files.ts: per payout 10 Stripe rows and one camt.053 bank credit):
// the month imported and packed in the engine worker, then the suggestions drawn as the screen draws
// them, from asking the review's facts to the first row drawn (two frames after it is in the document), with every main-thread task over 50 ms
// (PerformanceObserver 'longtask') of that window. The tree decides how:
// - 'table' (a tree whose review answer carries every suggestion): one HTML table of all of them;
// - 'paged' (a tree with renderer/engine/suggestion-pages.ts): a DataGrid asking blocks of the worker.
// Run it in an old tree (git archive) and this one side by side for a before/after.
// Prints the times, CPU of the process tree (/proc) and the load average.
//   [SCALE_REACT_PRODUCTION=1] node --import tsx bench/suggestions-grid.bench.ts [payouts]      (default 90,000)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'vite';
import { callModuleInPage, launchChromium } from '../tests/e2e/browser.ts';
import { writeReconcileFiles } from './reconcile-files.ts';

const PAYOUTS = Number(process.argv[2] ?? 90_000);
const REACT_PRODUCTION = process.env.SCALE_REACT_PRODUCTION === '1';
const PAGED = existsSync(path.resolve('renderer/engine/suggestion-pages.ts'));
const OUT = path.resolve('tmp/artifacts/suggestions');
const HARNESS = path.join(OUT, 'suggestions-harness.tsx');

const HARNESS_SOURCE = `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { startEngine } from '/@fs${path.resolve('renderer/engine/client.ts')}';
import { DataGrid } from '/@fs${path.resolve('renderer/src/grid/DataGrid.tsx')}';
${PAGED ? `import { suggestionColumns } from '/@fs${path.resolve('renderer/src/screens/reconciliation/suggestion-columns.ts')}';` : ''}

export const ready = true;
const longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true });
const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
function tasksBetween(start, end) { const own = longTasks.filter((t) => t.start >= start && t.start < end); return { count: own.length, maxMs: Math.round(Math.max(0, ...own.map((t) => t.ms))), over100: own.filter((t) => t.ms > 100).length, totalMs: Math.round(own.reduce((s, t) => s + t.ms, 0)) }; }
function until(check) { return new Promise((resolve) => { const poll = () => (check() ? resolve() : requestAnimationFrame(poll)); poll(); }); }

let engine = null;
export async function load(urls) {
  const files = [];
  for (const url of urls) files.push({ name: url.split('/').pop(), bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()) });
  engine = startEngine();
  await engine.call('import', { files, profiles: {}, known: [], returnRows: false, pack: true });
  // Reconciled once before the timed window, as the screen finds it after the Dashboard's analysis.
  const facts = await engine.call('review', {});
  return facts.reconciliation === null ? null : (facts.reconciliation.suggestionCount ?? facts.reconciliation.suggestions.length);
}

const reasonsOf = (s) => s.reasons.map((r) => r.detail).join(' · ');

/** From asking the review's facts to the first suggestion on screen, and the long tasks of that window. */
export async function open() {
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;inset:0;height:800px;width:1400px;background:#fff;z-index:9999;overflow:auto';
  document.body.append(host);
  const root = createRoot(host);
  await frames();
  const start = performance.now();
  const facts = await engine.call('review', {});
  const answered = performance.now();
  let api = null;
  if (${PAGED}) {
    const source = { version: 0, getRows: (r) => engine.call('suggestions', { startRow: r.startRow, endRow: r.endRow, sortModel: r.sortModel, filterModel: r.filterModel, quickFilter: r.quickFilter, reasonTexts: {}, numberFormat: 'en', scaleDigits: 24 }) };
    root.render(createElement(DataGrid, { label: 'Suggestions', columns: ${PAGED ? 'suggestionColumns({ score: \'Score\', reasons: \'Why\', psp: \'PSP items\', bank: \'Bank items\', ids: \'Item ids\' }, reasonsOf)' : '[]'}, source, rowId: (s) => s.id, locale: 'en', numberFormat: 'en', height: 320, multiSelect: true, onReady: (a) => { api = a; } }));
    await until(() => api !== null && api.getDisplayedRowAtIndex(0)?.data !== undefined && host.querySelector('.ag-row[row-index="0"] [col-id=score]')?.textContent);
  } else {
    const suggestions = facts.reconciliation.suggestions;
    root.render(createElement('table', { className: 'sd-table' }, createElement('tbody', null, suggestions.map((s) => createElement('tr', { key: s.id }, createElement('td', null, s.score.toFixed(2)), createElement('td', null, reasonsOf(s)), createElement('td', null, createElement('button', { type: 'button' }, 'Accept suggestion…')))))));
    await until(() => host.querySelector('tbody tr') !== null);
  }
  // Drawn: two frames after the first row is in the document (a table of thousands of rows is laid out and painted there).
  await frames();
  const shown = performance.now();
  const end = performance.now();
  const rows = new Set([...host.querySelectorAll('tbody tr, .ag-row[row-index]')].map((el, at) => el.getAttribute('row-index') ?? at)).size;
  root.unmount();
  host.remove();
  return { mode: ${JSON.stringify(PAGED ? 'paged' : 'table')}, factsMs: Math.round(answered - start), openMs: Math.round(shown - start), rowsDrawn: rows, tasks: tasksBetween(start, end) };
}
`;

function processTreeCpuSeconds(rootPid: number): number {
  let total = 0;
  const visit = (pid: number) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) / 100;
      for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    } catch {
      // The process ended meanwhile.
    }
  };
  visit(rootPid);
  return total;
}

mkdirSync(OUT, { recursive: true });
const files = writeReconcileFiles(path.join(OUT, `reconcile-${PAYOUTS}`), PAYOUTS, 42);
const urls = [files.pspFile, ...readdirSync(files.bankDir).sort().map((name) => path.join(files.bankDir, name))].map((file) => `/@fs${file}`);
writeFileSync(HARNESS, HARNESS_SOURCE);
if (REACT_PRODUCTION) process.env.NODE_ENV = 'production';
const server = await createServer({ configFile: 'renderer/vite.config.ts', ...(REACT_PRODUCTION ? { mode: 'production', cacheDir: path.join(OUT, 'vite-production') } : {}), server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'error' });
await server.listen();
const address = server.httpServer?.address();
if (address === null || address === undefined || typeof address === 'string') throw new Error('vite dev server has no port');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(900_000);
  await page.goto(`http://127.0.0.1:${address.port}/`, { timeout: 300_000 });
  await callModuleInPage<boolean>(page, HARNESS, 'ready');
  const suggestions = await callModuleInPage<number | null>(page, HARNESS, `load(${JSON.stringify(urls)})`);
  console.log(`${PAYOUTS.toLocaleString('en')} payouts: ${suggestions} suggestions; ${PAGED ? 'paged grid' : 'one table'}; React ${REACT_PRODUCTION ? 'production' : 'development'}; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const cpu0 = processTreeCpuSeconds(process.pid);
  for (let run = 0; run < 3; run++) console.log('  opened:', JSON.stringify(await callModuleInPage(page, HARNESS, 'open()')));
  console.log(`  CPU of this process tree over the three openings ${(processTreeCpuSeconds(process.pid) - cpu0).toFixed(1)} s; load average ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  await browser.close();
  await server.close();
}
