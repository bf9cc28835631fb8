import type { ImportResult } from '../../core/ingest/result.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';

/**
 * Test and bench support (no production caller): a month of transactions shaped as the CSV
 * importer gives them (eight raw columns kept, deterministic ids, lines from 2), generated from a
 * seed so Node and Chromium build the very same rows. Amounts are decimal strings built from
 * integers: no float ever touches them.
 */
export const SAMPLE_MONTH = { start: '2026-03-01', end: '2026-03-31' } as const;

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  };
}

export interface SampleOptions {
  readonly seed?: number;
  readonly fileName?: string;
  readonly sourceId?: string;
  /** The first row's number in the month: several files of one month get distinct references. */
  readonly firstIndex?: number;
}

export function sampleTransactions(count: number, options: SampleOptions = {}): CanonicalTransaction[] {
  const next = lcg(options.seed ?? 7);
  const fileName = options.fileName ?? 'psp-2026-03.csv';
  const sourceId = options.sourceId ?? 'f'.repeat(64);
  const out: CanonicalTransaction[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const cents = 100 + (next() % 50_000);
    const refund = next() % 20 === 0;
    const digits = String(cents);
    const amount = `${refund ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
    const date = `2026-03-${String(1 + (index % 31)).padStart(2, '0')}`;
    const currency = next() % 4 === 0 ? 'USD' : 'EUR';
    const partner = `P${String(1 + (next() % 50)).padStart(3, '0')}`;
    const product = `game-${next() % 200}`;
    const ref = `R${String((options.firstIndex ?? 0) + index).padStart(8, '0')}`;
    out[index] = {
      id: `csv:bench:${ref}`,
      source: { sourceId, format: 'csv', fileName, line: index + 2 },
      kind: refund ? 'refund' : 'sale',
      occurredAt: date,
      bookingDate: date,
      valueDate: null,
      amount,
      currency,
      account: null,
      partnerId: partner,
      productId: product,
      channel: 'web',
      counterparty: { name: null, account: null },
      references: { externalId: ref, batchId: null, endToEndId: null, bankReference: null },
      description: null,
      customerRef: null,
      raw: { ref, date, type: refund ? 'refund' : 'sale', amount, currency, partner, product, channel: 'web' },
    };
  }
  return out;
}

/** An import of `count` rows plus one rejected row (line count + 2), as storeImport takes it. */
export function sampleImport(count: number, options: SampleOptions = {}): Pick<ImportResult, 'file' | 'rowsRead' | 'entriesRead' | 'transactions' | 'rejected' | 'duplicates' | 'conflicts'> {
  const fileName = options.fileName ?? 'psp-2026-03.csv';
  const transactions = sampleTransactions(count, { ...options, fileName });
  return {
    file: { fileName, sha256: 'f'.repeat(64), sizeBytes: count * 60, format: 'csv' },
    rowsRead: count + 1,
    entriesRead: count + 1,
    transactions,
    rejected: [{ line: count + 2, column: 'amount', code: 'amount_not_decimal', reason: 'amount "12,5O" is not a decimal', raw: 'R9,2026-03-02,sale,"12,5O",EUR' }],
    duplicates: [],
    conflicts: [],
  };
}
