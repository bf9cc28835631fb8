import { parseAgreements } from '../core/settlement/agreement.ts';
import { openDesk } from '../renderer/desk/desk.ts';
import { sampleImport } from '../renderer/desk/fixtures.test-support.ts';
import { startEngine } from '../renderer/engine/client.ts';
import type { SettleOutput } from '../renderer/engine/settle.ts';
import { startSettleWorker } from '../renderer/engine/settle-client.ts';

/**
 * The browser half of bench/workstation-settle.bench.ts, run in Chromium on
 * renderer/desk/test-page.html: a month persisted on the desk, then a settlement run through the
 * desk path (the stored batches read on the main thread, decoded and settled in a worker, the run
 * and its statements stored), while a PerformanceObserver records every main-thread task over
 * 50 ms. Each phase counts the long tasks that started within it.
 */
interface LongTask {
  readonly start: number;
  readonly ms: number;
}
const longTasks: LongTask[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, ms: entry.duration });
}).observe({ type: 'longtask', buffered: true });

export interface TaskSummary {
  readonly count: number;
  readonly maxMs: number;
  readonly over100: number;
  readonly totalMs: number;
}

function tasksBetween(start: number, end: number): TaskSummary {
  const own = longTasks.filter((task) => task.start >= start && task.start < end);
  return { count: own.length, maxMs: Math.round(Math.max(0, ...own.map((task) => task.ms))), over100: own.filter((task) => task.ms > 100).length, totalMs: Math.round(own.reduce((sum, task) => sum + task.ms, 0)) };
}

/** A macrotask boundary: the generated rows' task ends before the timed work begins. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface PersistPhase {
  readonly rows: number;
  readonly persistMs: number;
  /** Long tasks that started inside storeImport calls (row generation, a bench's own work, is outside them). */
  readonly tasks: TaskSummary;
}

/** Ten files of 100,000 rows stored one after another (the same rows as bench/desk-storage.bench.ts). */
export async function persistMonth(name: string, rows: number, rowsPerImport: number): Promise<PersistPhase> {
  const desk = await openDesk({ name, userId: 'bench' });
  let persistMs = 0;
  const windows: Array<[number, number]> = [];
  try {
    for (let firstIndex = 0, file = 0; firstIndex < rows; firstIndex += rowsPerImport, file++) {
      const input = sampleImport(Math.min(rowsPerImport, rows - firstIndex), { seed: 1 + file, fileName: `psp-2026-03-part${file}.csv`, firstIndex });
      await nextTask();
      const start = performance.now();
      await desk.storeImport(input, { importId: `imp_2026-03_part${file}`, importedAt: '2026-04-01T08:00:00Z' });
      const end = performance.now();
      persistMs += end - start;
      windows.push([start, end]);
      await nextTask();
    }
  } finally {
    await desk.close();
  }
  const all = windows.map(([start, end]) => longTasks.filter((task) => task.start >= start && task.start < end)).flat();
  return { rows, persistMs, tasks: { count: all.length, maxMs: Math.round(Math.max(0, ...all.map((task) => task.ms))), over100: all.filter((task) => task.ms > 100).length, totalMs: Math.round(all.reduce((sum, task) => sum + task.ms, 0)) } };
}

/** The sample month's 50 partners (P001-P050), each paid 70 % of its March sales net of refunds in EUR; USD converted at 1.0850 per EUR. */
function reference() {
  const partners = Array.from({ length: 50 }, (_, index) => `P${String(index + 1).padStart(3, '0')}`);
  const agreements = parseAgreements(partners.map((partnerId) => ({ agreementId: `A-${partnerId}`, partnerId, version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '70' } } })));
  const quotes: Record<string, Record<string, string>> = {};
  for (let day = 1; day <= 31; day++) quotes[`2026-03-${String(day).padStart(2, '0')}`] = { USD: '1.0850' };
  return { kind: 'given' as const, agreements, rates: { source: 'ECB', base: 'EUR', quotes } };
}

export interface SettlePhase {
  readonly path: 'stored' | 'engine';
  readonly rows: number;
  readonly statements: number;
  /** Statement hashes in partner order: both paths must give the same. */
  readonly statementHashes: string;
  readonly payableSum: string;
  readonly openMs: number;
  readonly readMs: number;
  readonly settleMs: number;
  readonly storeMs: number;
  readonly totalMs: number;
  readonly progressEvents: number;
  readonly openTasks: TaskSummary;
  /** From reading the batches to the stored run: the desk path a person waits on. */
  readonly runTasks: TaskSummary;
  /** The same run in its three parts: reading the batches, posting them and settling in the worker, storing the run and statements. */
  readonly readTasks: TaskSummary;
  readonly settleTasks: TaskSummary;
  readonly storeTasks: TaskSummary;
  readonly usedJsHeapMiB: number;
}

function payableSum(output: SettleOutput): string {
  // Exact: payables are decimal strings with the currency's (EUR's two) digits.
  let cents = 0n;
  for (const statement of output.statements) cents += BigInt(statement.payable.replace('.', ''));
  const sign = cents < 0n ? '-' : '';
  const abs = (cents < 0n ? -cents : cents).toString().padStart(3, '0');
  return `${sign}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/**
 * A settlement run of March through the desk: 'stored' is the desk path (loadStoredBatches, the
 * settlement worker decodes and settles); 'engine' is the earlier one (loadBatches decodes every
 * batch into wire documents on the main thread and posts them to the engine worker, which
 * re-hashes each).
 */
export async function settleMonth(name: string, path: 'stored' | 'engine'): Promise<SettlePhase> {
  await nextTask();
  const openStart = performance.now();
  const desk = await openDesk({ name, userId: `bench-${path}` });
  const openEnd = performance.now();
  await nextTask();
  try {
    const start = performance.now();
    let progressEvents = 0;
    const common = { runId: `run.2026-03.r1.${path}`, month: '2026-03', revision: 1, reference: reference(), statesIn: {}, exceptions: [] };
    let output: SettleOutput;
    let readMs: number;
    if (path === 'stored') {
      const batches = await desk.loadStoredBatches();
      readMs = performance.now() - start;
      const worker = startSettleWorker();
      try {
        output = await worker.settle({ ...common, batches }, () => progressEvents++);
      } finally {
        worker.terminate();
      }
    } else {
      const batches = await desk.loadBatches();
      readMs = performance.now() - start;
      const engine = startEngine();
      try {
        output = await engine.call('settle', { ...common, batches }, () => progressEvents++);
      } finally {
        engine.terminate();
      }
    }
    const settled = performance.now();
    await desk.storeSettlementRun({ ...output.run, id: `${output.run.id}` }, output.statements);
    const end = performance.now();
    await nextTask();
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return {
      path,
      rows: output.transactions,
      statements: output.statements.length,
      statementHashes: output.statements.map((statement) => `${statement.partnerId}:${statement.hash}`).join(','),
      payableSum: payableSum(output),
      openMs: Math.round(openEnd - openStart),
      readMs: Math.round(readMs),
      settleMs: Math.round(settled - start - readMs),
      storeMs: Math.round(end - settled),
      totalMs: Math.round(end - start),
      progressEvents,
      openTasks: tasksBetween(openStart, openEnd),
      runTasks: tasksBetween(start, end),
      readTasks: tasksBetween(start, start + readMs),
      settleTasks: tasksBetween(start + readMs, settled),
      storeTasks: tasksBetween(settled, end),
      usedJsHeapMiB: Math.round((memory?.usedJSHeapSize ?? 0) / 1_048_576),
    };
  } finally {
    await desk.close();
  }
}

/** Importing the module starts the long-task observer; the bench touches this first. */
export const longTasksSeen = true;
