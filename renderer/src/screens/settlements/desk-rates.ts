import type { Rejection } from '../../../../core/ingest/result.ts';
import { isPairTable, parseEcbRates, parsePairRates, type RateTable } from '../../../../core/settlement/fx.ts';
import { RunInputs } from '../../../../core/sync/documents.ts';
import type { RunRates } from '../../../engine/settle.ts';

/**
 * The FX rates a team workspace settles with: imported on this desk from a rate file core reads
 * (ECB's `Date,USD,JPY,...` layout, or the plain `date,base,quote,rate` table), kept per
 * workspace, and written into each run's inputs, so the server recomputes with exactly them.
 * The run's inputs quote every currency against one base; a pair table's rows against another
 * base are refused with the reason rather than inverted or crossed here (that would be a derived
 * rate no file stated). A rate the run needs and no file gives blocks the partner with the
 * missing pairs listed (missingPairsOf), never a guess.
 */
export interface RateImport {
  readonly rates: RunRates;
  /** Rows the reader or the single-base rule refused, each with its line and reason. */
  readonly refused: readonly Rejection[];
}

/** Reads a rate file with core's readers into the run's single-base form. */
export function readRateFile(fileName: string, text: string): RateImport {
  if (!isPairTable(text)) {
    const { table, rejected } = parseEcbRates(text, { file: fileName, source: fileName });
    return { rates: quotesOf(table), refused: rejected };
  }
  const { table, rejected } = parsePairRates(text, { file: fileName, source: fileName });
  const base = table.base;
  const refused = [...rejected];
  const quotes: Record<string, Record<string, string>> = {};
  for (const [date, row] of table.pairs ?? new Map<string, ReadonlyMap<string, string>>()) {
    for (const [pair, rate] of row) {
      const [from, to] = pair.split('/') as [string, string];
      if (from !== base) {
        refused.push({ line: lineOf(text, date, from, to), column: 'base', code: 'field_invalid', reason: `${pair} on ${date}: the desk keeps rates against one base, ${base} (the file's most frequent), and does not invert or cross a rate no file states`, raw: `${date},${from},${to},${rate}` });
        continue;
      }
      (quotes[date] ??= {})[to] = rate;
    }
  }
  return { rates: { source: fileName, base, quotes }, refused: refused.sort((a, b) => a.line - b.line) };
}

function lineOf(text: string, date: string, from: string, to: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => line.replace(/\s/g, '').startsWith(`${date},${from},${to},`));
  return index + 1;
}

function quotesOf(table: RateTable): RunRates {
  return { source: table.source, base: table.base, quotes: Object.fromEntries([...table.quotes].map(([date, row]) => [date, Object.fromEntries(row)])) };
}

export class DeskRatesError extends Error {
  constructor(
    readonly code: 'rates_base_differs',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DeskRatesError';
  }
}

/** The desk's rates with a new file's added: a date and currency the file quotes again takes the file's rate, and is counted. */
export function mergeRates(kept: RunRates | null, added: RunRates): { readonly rates: RunRates; readonly replaced: number } {
  if (kept === null) return { rates: added, replaced: 0 };
  if (kept.base !== added.base) throw new DeskRatesError('rates_base_differs', `the desk's rates are against ${kept.base}, the file's against ${added.base}`);
  let replaced = 0;
  const quotes: Record<string, Record<string, string>> = Object.fromEntries(Object.entries(kept.quotes).map(([date, row]) => [date, { ...row }]));
  for (const [date, row] of Object.entries(added.quotes)) {
    for (const [currency, rate] of Object.entries(row)) {
      const before = quotes[date]?.[currency];
      if (before !== undefined && before !== rate) replaced++;
      (quotes[date] ??= {})[currency] = rate;
    }
  }
  return { rates: { source: kept.source === added.source ? kept.source : `${kept.source} + ${added.source}`, base: kept.base, quotes }, replaced };
}

/** "USD/EUR 2026-03-10"-style pairs and dates the run's fx_rate_missing reasons name, sorted and once each. */
export function missingPairsOf(unsettled: readonly { readonly code: string; readonly message: string }[]): string[] {
  const pairs = new Set<string>();
  for (const each of unsettled) {
    if (each.code !== 'fx_rate_missing') continue;
    for (const match of each.message.matchAll(/\b([A-Z]{3}\/[A-Z]{3}) (\d{4}-\d{2}(?:-\d{2})?)\b/g)) pairs.add(`${match[1]} ${match[2]}`);
  }
  return [...pairs].sort();
}

const RATES_KEY_PREFIX = 'settledesk.fx-rates.';
const StoredRates = RunInputs.shape.rates;

/** The workspace's rates kept in this browser profile (not secret; validated again on every read). */
export function storedRates(storage: Storage, workspaceId: string): RunRates | null {
  const text = storage.getItem(RATES_KEY_PREFIX + workspaceId);
  if (text === null) return null;
  const parsed = StoredRates.safeParse((() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })());
  return parsed.success ? parsed.data : null;
}

export function storeRates(storage: Storage, workspaceId: string, rates: RunRates): void {
  storage.setItem(RATES_KEY_PREFIX + workspaceId, JSON.stringify(StoredRates.parse(rates)));
}

/** What the Settlements screen says about the rates a run would use. */
export function ratesSummary(rates: RunRates): { readonly dates: number; readonly first: string | null; readonly last: string | null; readonly currencies: readonly string[] } {
  const dates = Object.keys(rates.quotes).sort();
  const currencies = [...new Set(Object.values(rates.quotes).flatMap((row) => Object.keys(row)))].sort();
  return { dates: dates.length, first: dates[0] ?? null, last: dates.at(-1) ?? null, currencies };
}
