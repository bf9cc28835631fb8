import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { DemoData, EngineKind, FileOutcome, ImportBatchResult } from './protocol.ts';

/**
 * An import's transactions travel from the worker in parts, ahead of the result: one message of
 * a million rows is deserialized on the main thread as a single task of several seconds (7.2 s
 * for 100,000 rows on a loaded machine, bench/workstation-scale.bench.ts), while parts of
 * ROWS_PER_PART rows are tasks of a few milliseconds each, between which the page keeps
 * rendering. The result itself then carries empty transaction lists, refilled in order here.
 */
export const ROWS_PER_PART = 500;

type Outcomes = readonly FileOutcome[];

function outcomesOf(kind: EngineKind, result: unknown): Outcomes | null {
  if (kind === 'import') return (result as ImportBatchResult).files;
  if (kind === 'demo') return (result as DemoData).imports.files;
  return null;
}

function withOutcomes(kind: EngineKind, result: unknown, files: Outcomes): unknown {
  if (kind === 'import') return { ...(result as ImportBatchResult), files };
  return { ...(result as DemoData), imports: { ...(result as DemoData).imports, files } };
}

/** Worker side: posts every imported file's transactions in parts; returns the result without them. */
export function sendRowsInParts(kind: EngineKind, result: unknown, post: (file: number, rows: readonly CanonicalTransaction[]) => void): unknown {
  const outcomes = outcomesOf(kind, result);
  if (outcomes === null) return result;
  const light = outcomes.map((outcome, file) => {
    if (outcome.status !== 'imported') return outcome;
    for (let start = 0; start < outcome.transactions.length; start += ROWS_PER_PART) post(file, outcome.transactions.slice(start, start + ROWS_PER_PART));
    return { ...outcome, transactions: [] };
  });
  return withOutcomes(kind, result, light);
}

/** Main-thread side: collects the parts of one request and puts them back into its result. */
export class RowParts {
  private readonly byFile = new Map<number, CanonicalTransaction[]>();

  add(file: number, rows: readonly CanonicalTransaction[]): void {
    const list = this.byFile.get(file) ?? [];
    this.byFile.set(file, list);
    for (const row of rows) list.push(row);
  }

  restore(kind: EngineKind, result: unknown): unknown {
    const outcomes = outcomesOf(kind, result);
    if (outcomes === null || this.byFile.size === 0) return result;
    return withOutcomes(
      kind,
      result,
      outcomes.map((outcome, file) => (outcome.status === 'imported' ? { ...outcome, transactions: this.byFile.get(file) ?? [] } : outcome)),
    );
  }
}
