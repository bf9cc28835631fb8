import { columnsOfStored, storedBatchesOfImport, transactionsOfColumns, transactionsOfStored, type StoredBatch } from '../desk/transactions.ts';
import { analyzeWorkspace, unmatchedTotals } from './analyze.ts';
import { csvPreview } from './csv-preview.ts';
import { buildDemo, demoExtras } from './demo.ts';
import { importFiles, type Clock } from './import-files.ts';
import type { EngineHandlers, FileOutcome, ImportBatchResult } from './protocol.ts';
import { agreementPreview, groupRowsOf, reconciledMonthOf, reviewFactsOf, rowsBehind, rowsById, suggestionsOf, unmatchedItemsOf, unmatchedRows, type ReconciledMonth } from './review.ts';
import { ItemPages, type HandMatched } from './unmatched-items.ts';
import { GroupPages } from './group-pages.ts';
import { SuggestionPages } from './suggestion-pages.ts';
import { RowQueries } from './row-queries.ts';
import { settle } from './settle.ts';

/** Every request kind the worker answers, by name (a missing or extra name is a type error). */
export function engineHandlers(clock: Clock, queries: RowQueries = new RowQueries(), newId: () => string = () => globalThis.crypto.randomUUID()): EngineHandlers {
  // The month as the desk stores it (packed imports and loaded batches): what analysis reads,
  // since the row store keeps only what the grid shows. A rows-reset starts a new generation:
  // batches packed or decoded for the workspace before it are not the next one's.
  let month: StoredBatch[] = [];
  let generation = 0;
  // The month decoded and reconciled once per change of `month` (analysis and the review screens read it);
  // kept until the month changes, so a review screen's questions do not decode it again.
  let changes = 0;
  let reconciled: { readonly at: number; readonly month: Promise<ReconciledMonth> } | null = null;
  const groupPages = new GroupPages();
  const itemPages = new ItemPages();
  const suggestionPages = new SuggestionPages();
  // What the page last said was matched by hand (desk documents the worker does not hold).
  let handMatched: HandMatched = { version: 0, ids: new Set() };
  const grow = (batches: readonly StoredBatch[]) => {
    month.push(...batches);
    changes++;
  };
  const current = (): Promise<ReconciledMonth> => {
    if (reconciled !== null && reconciled.at === changes) return reconciled.month;
    const mine = { at: changes, month: transactionsOfStored([...month], null).then(reconciledMonthOf) };
    reconciled = mine;
    // A failed decode is not kept: the next question tries again.
    void mine.month.catch(() => {
      if (reconciled === mine) reconciled = null;
    });
    return mine.month;
  };

  /** Keeps every imported file's transactions in the row store; then packs them (pack), or leaves only their count (returnRows false). */
  const kept = async (result: ImportBatchResult, options: { readonly returnRows: boolean; readonly pack: boolean }): Promise<ImportBatchResult> => {
    for (const outcome of result.files) if (outcome.status === 'imported') queries.add(outcome.transactions);
    if (options.pack) return await packed(result);
    if (options.returnRows) return result;
    return { ...result, files: result.files.map((outcome): FileOutcome => (outcome.status === 'imported' ? { ...outcome, transactions: [], kept: outcome.transactions.length } : outcome)) };
  };

  const packed = async (result: ImportBatchResult): Promise<ImportBatchResult> => {
    const at = generation;
    const files: FileOutcome[] = [];
    const batches: StoredBatch[] = [];
    for (const outcome of result.files) {
      if (outcome.status !== 'imported') {
        files.push(outcome);
        continue;
      }
      const importId = newId();
      const own = await storedBatchesOfImport(importId, outcome.transactions);
      batches.push(...own);
      files.push({ ...outcome, transactions: [], kept: outcome.transactions.length, importId, batches: own });
    }
    if (at === generation) grow(batches);
    return { ...result, files };
  };

  return {
    // The row store holds the workspace's rows: they count as known, so the main thread need not send them.
    import: (input, progress) => kept(importFiles({ ...input, known: [...input.known, ...queries.store.knownRows()] }, progress, clock), { returnRows: input.returnRows ?? true, pack: input.pack ?? false }),
    'csv-preview': (input) => csvPreview(input),
    demo: async (input, progress) => {
      const { pack, ...month } = input;
      const demo = buildDemo(month, progress, clock);
      return { ...demo, imports: await kept(demo.imports, { returnRows: true, pack: pack ?? false }) };
    },
    settle: (input, progress) => settle(input, progress, clock),
    analyze: async (input) => {
      const reviewed = await current();
      const options = input.groupUnmatchedAbove === undefined ? {} : { groupUnmatchedAbove: input.groupUnmatchedAbove };
      return analyzeWorkspace(reviewed.transactions, input.now, input.demo === null ? {} : demoExtras(input.demo.seed, input.demo.month), reviewed, options);
    },
    review: async () => reviewFactsOf(await current()),
    'rows-by-id': async (input) => rowsById(await current(), input.ids),
    'agreement-preview': async (input) => agreementPreview(await current(), input),
    'rows-behind': async (input) => rowsBehind(await current(), input.statement, input.line, input.max),
    'unmatched-rows': async (input) => {
      const reviewed = await current();
      return unmatchedRows(reviewed, input, handMatched.ids);
    },
    'match-groups': async (input) => groupPages.page(groupRowsOf(await current()), input),
    'unmatched-items': async (input) => {
      const reviewed = await current();
      return itemPages.page(unmatchedItemsOf(reviewed, input.side), handMatched, input);
    },
    suggestions: async (input) => suggestionPages.page(suggestionsOf(await current()), handMatched, input),
    'hand-matched': (input) => {
      handMatched = { version: handMatched.version + 1, ids: new Set(input.ids) };
      return { version: handMatched.version, ids: handMatched.ids.size };
    },
    // The set told by hand-matched: the desk has one source of it (useHandMatched), told once for the Dashboard and the review screens alike.
    'unmatched-totals': async () => unmatchedTotals(await current(), handMatched.ids),
    'rows-reset': () => {
      generation++;
      month = [];
      changes++;
      reconciled = null;
      handMatched = { version: handMatched.version + 1, ids: new Set() };
      return { stored: queries.reset() };
    },
    'rows-load': async (input) => {
      const at = generation;
      const columns = await columnsOfStored(input.batches, null);
      if (at !== generation) return { stored: queries.store.size };
      grow(input.batches);
      return { stored: queries.add(transactionsOfColumns(columns)) };
    },
    'rows-query': (input) => queries.query(input),
  };
}
