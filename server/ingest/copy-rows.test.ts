import { describe, expect, it } from 'vitest';
import { BatchImportBody, prepareBatch } from './batch-import.ts';

/**
 * The COPY writer checks each distinct date text once and remembers the answer (a feed repeats a
 * few dates): a bad date deep in a full batch, after 9,998 rows of good ones, is still refused at
 * its own line and column, and the months of the rows are the ones their occurredAt names.
 */
const ROWS = 10_000;

function body(occurredAt: (line: number) => string, bookingDate: (line: number) => string | null): BatchImportBody {
  const cells = <T>(cell: (line: number) => T): T[] => Array.from({ length: ROWS }, (_, index) => cell(index + 1));
  const none = cells(() => null);
  return BatchImportBody.parse({
    source: { sourceId: 'psp-deep', format: 'psp-json', fileName: 'deep.json' },
    columns: {
      id: cells((line) => `d.${line}`), line: cells((line) => line), kind: cells(() => 'sale'), occurredAt: cells(occurredAt), bookingDate: cells(bookingDate), valueDate: none,
      amount: cells(() => '1.00'), currency: cells(() => 'EUR'), account: none, partnerId: none, productId: none, channel: none, counterpartyName: none, counterpartyAccount: none,
      externalId: none, batchId: none, endToEndId: none, bankReference: none, description: none, customerRef: none, rawNames: [], rawValues: cells(() => []),
    },
  });
}

// 2026 is no leap year: February 29th passes the schema's pattern and is no calendar date.
const GOOD_INSTANT = '2026-02-28T23:00:00+09:00';
const BAD_INSTANT = '2026-02-29T23:00:00+09:00';

describe('COPY text of a full batch with a bad date deep inside', () => {
  it('refuses an occurredAt on no calendar date at line 9,999, naming that line and column', async () => {
    const bad = body((line) => (line === 9_999 ? BAD_INSTANT : GOOD_INSTANT), () => null);
    await expect(prepareBatch(bad, 'f'.repeat(64), 1, 'imp.deep')).rejects.toMatchObject({ statusCode: 422, code: 'import_refused', details: { reason: 'date_invalid', line: 9_999, column: 'occurredAt' } });
  });

  it('refuses a bookingDate at line 9,999 whose text came 9,998 times valid in occurredAt, naming its own column', async () => {
    // The same text as a calendar date and as an occurredAt: each answer remembered for its own check.
    const bad = body((line) => (line === 9_999 ? '2026-03-01' : '2026-04-30'), (line) => (line === 9_999 ? '2026-04-31' : '2026-04-30'));
    await expect(prepareBatch(bad, 'f'.repeat(64), 1, 'imp.deep')).rejects.toMatchObject({ details: { reason: 'date_invalid', line: 9_999, column: 'bookingDate' } });
  });

  it('puts each row in the month its occurredAt names, when every date is good', async () => {
    // Lines 1-5,000 in February (an instant late on the 28th, +09:00: still the 28th as written), 5,001-10,000 on April 30th.
    const good = body((line) => (line <= 5_000 ? GOOD_INSTANT : '2026-04-30'), () => '2026-04-30');
    const prepared = await prepareBatch(good, 'f'.repeat(64), 1, 'imp.deep');
    expect([...prepared.months].sort()).toEqual(['2026-02-01', '2026-04-01']);
    const rows = prepared.classify({ known: new Map(), all: new Set() }).rows.text('imp.deep').rows.join('').split('\n');
    // 10,000 lines and the empty one after the last newline.
    expect(rows).toHaveLength(ROWS + 1);
    expect(rows.at(-1)).toBe('');
    expect(rows.filter((row) => row.split('\t')[1] === '2026-02-01')).toHaveLength(5_000);
    expect(rows[9_999]?.split('\t').slice(0, 4)).toEqual(['d.10000', '2026-04-01', 'imp.deep', '10000']);
  });
});
