import { canonicalHash } from '../../core/canonical/json.ts';
import { openDesk } from './desk.ts';
import { sampleImport, SAMPLE_MONTH } from './fixtures.test-support.ts';

/**
 * Test support (no production caller): what tests/desk-chromium.test.ts runs inside Chromium on
 * renderer/desk/test-page.html, with the browser's own IndexedDB. Each call opens and closes the
 * desk, so a page reload between them reads only what IndexedDB kept.
 */
export interface StoredSummary {
  readonly count: number;
  readonly hash: string;
  readonly firstId: string | null;
  readonly lastAmount: string | null;
}

export async function storeSampleImport(name: string, rows: number): Promise<StoredSummary> {
  const desk = await openDesk({ name, userId: 'ana' });
  try {
    const input = sampleImport(rows);
    await desk.storeImport(input, { importId: 'imp_chromium', importedAt: '2026-03-05T09:00:00Z' });
    return summary(input.transactions);
  } finally {
    await desk.close();
  }
}

export async function readBackMonth(name: string): Promise<StoredSummary & { readonly imports: number; readonly rejected: number }> {
  const desk = await openDesk({ name, userId: 'ana' });
  try {
    const transactions = await desk.loadTransactions({ period: SAMPLE_MONTH });
    const imports = await desk.listImports();
    return { ...summary(transactions), imports: imports.length, rejected: imports[0]?.account.rejected ?? -1 };
  } finally {
    await desk.close();
  }
}

function summary(transactions: ReadonlyArray<{ readonly id: string; readonly amount: string }>): StoredSummary {
  return { count: transactions.length, hash: canonicalHash(transactions), firstId: transactions[0]?.id ?? null, lastAmount: transactions.at(-1)?.amount ?? null };
}
