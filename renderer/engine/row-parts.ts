import type { ExceptionRecord } from '../../core/exceptions/model.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';
import type { StoredBatch } from '../desk/transactions.ts';
import type { DashboardFacts, DemoData, EngineKind, FileOutcome, ImportBatchResult } from './protocol.ts';

/**
 * An import's transactions (or its packed batches) travel from the worker in parts, ahead of the
 * result: one message of a million rows is deserialized on the main thread as a single task of
 * several seconds (7.2 s for 100,000 rows on a loaded machine, bench/workstation-scale.bench.ts),
 * and a million rows' batches are ~43 MB of text; parts of ROWS_PER_PART rows or
 * BATCHES_PER_PART batches are tasks of a few milliseconds each, between which the page keeps
 * rendering. The result itself then carries empty lists, refilled in order here. The same for the
 * exceptions an analysis raised: one per unmatched row, a million for a month of bank rows with
 * nothing to match, which in one answer was a main-thread task of 12.4 s.
 */
export const ROWS_PER_PART = 500;
/** ~2 MB of text (a 10,000-row batch is ~430 kB): a copy of a few milliseconds. */
export const BATCHES_PER_PART = 5;
export const EXCEPTIONS_PER_PART = 2_000;

export type Part = { readonly rows: readonly CanonicalTransaction[] } | { readonly batches: readonly StoredBatch[] } | { readonly exceptions: readonly ExceptionRecord[] };

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

/** Worker side: posts every imported file's transactions and batches in parts; returns the result without them. */
export function sendRowsInParts(kind: EngineKind, result: unknown, post: (file: number, part: Part) => void): unknown {
  if (kind === 'analyze') {
    const facts = result as DashboardFacts;
    if (facts.exceptions.length === 0) return result;
    for (let start = 0; start < facts.exceptions.length; start += EXCEPTIONS_PER_PART) post(0, { exceptions: facts.exceptions.slice(start, start + EXCEPTIONS_PER_PART) });
    return { ...facts, exceptions: [] };
  }
  const outcomes = outcomesOf(kind, result);
  if (outcomes === null) return result;
  const light = outcomes.map((outcome, file) => {
    if (outcome.status !== 'imported') return outcome;
    for (let start = 0; start < outcome.transactions.length; start += ROWS_PER_PART) post(file, { rows: outcome.transactions.slice(start, start + ROWS_PER_PART) });
    const batches = outcome.batches ?? [];
    for (let start = 0; start < batches.length; start += BATCHES_PER_PART) post(file, { batches: batches.slice(start, start + BATCHES_PER_PART) });
    return { ...outcome, transactions: [], ...(outcome.batches === undefined ? {} : { batches: [] }) };
  });
  return withOutcomes(kind, result, light);
}

/** Main-thread side: collects the parts of one request and puts them back into its result. */
export class RowParts {
  private readonly rows = new Map<number, CanonicalTransaction[]>();
  private readonly batches = new Map<number, StoredBatch[]>();
  private readonly exceptions = new Map<number, ExceptionRecord[]>();

  add(file: number, part: Part): void {
    if ('rows' in part) push(this.rows, file, part.rows);
    else if ('batches' in part) push(this.batches, file, part.batches);
    else push(this.exceptions, file, part.exceptions);
  }

  restore(kind: EngineKind, result: unknown): unknown {
    const exceptions = this.exceptions.get(0);
    if (kind === 'analyze') return exceptions === undefined ? result : { ...(result as DashboardFacts), exceptions };
    const outcomes = outcomesOf(kind, result);
    if (outcomes === null || (this.rows.size === 0 && this.batches.size === 0)) return result;
    return withOutcomes(
      kind,
      result,
      outcomes.map((outcome, file) => {
        if (outcome.status !== 'imported') return outcome;
        const batches = this.batches.get(file);
        return { ...outcome, transactions: this.rows.get(file) ?? [], ...(batches === undefined ? {} : { batches }) };
      }),
    );
  }
}

function push<T>(byFile: Map<number, T[]>, file: number, items: readonly T[]): void {
  const list = byFile.get(file) ?? [];
  byFile.set(file, list);
  for (const item of items) list.push(item);
}
