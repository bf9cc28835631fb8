import { analyzeWorkspace } from './analyze.ts';
import { csvPreview } from './csv-preview.ts';
import { buildDemo, demoExtras } from './demo.ts';
import { importFiles, type Clock } from './import-files.ts';
import type { EngineHandlers, FileOutcome, ImportBatchResult } from './protocol.ts';
import { RowQueries } from './row-queries.ts';
import { settle } from './settle.ts';

/** Keeps every imported file's transactions in the row store; without returnRows the result carries only their count. */
function kept(queries: RowQueries, result: ImportBatchResult, returnRows: boolean): ImportBatchResult {
  for (const outcome of result.files) if (outcome.status === 'imported') queries.add(outcome.transactions);
  if (returnRows) return result;
  const files = result.files.map((outcome): FileOutcome => (outcome.status === 'imported' ? { ...outcome, transactions: [], kept: outcome.transactions.length } : outcome));
  return { ...result, files };
}

/** Every request kind the worker answers, by name (a missing or extra name is a type error). */
export function engineHandlers(clock: Clock, queries: RowQueries = new RowQueries()): EngineHandlers {
  return {
    // The row store holds the workspace's rows: they count as known, so the main thread need not send them.
    import: (input, progress) => kept(queries, importFiles({ ...input, known: [...input.known, ...queries.store.knownRows()] }, progress, clock), input.returnRows ?? true),
    'csv-preview': (input) => csvPreview(input),
    demo: (input, progress) => {
      const demo = buildDemo(input, progress, clock);
      return { ...demo, imports: kept(queries, demo.imports, true) };
    },
    settle: (input, progress) => settle(input, progress, clock),
    analyze: (input) => analyzeWorkspace(input.transactions, input.now, input.demo === null ? {} : demoExtras(input.demo.seed, input.demo.month)),
    'rows-reset': () => ({ stored: queries.reset() }),
    'rows-add': (input) => ({ stored: queries.add(input.transactions) }),
    'rows-query': (input) => queries.query(input),
  };
}
