import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvPreview } from './csv-preview.ts';

const orders = { name: 'orders.csv', bytes: new Uint8Array(readFileSync(new URL('../../core/importers/fixtures/csv/orders-us-utf8-bom.csv', import.meta.url))) };

describe('csvPreview (the mapping wizard\'s live preview)', () => {
  it('shows the first rows as cells, with the header found and the BOM gone', () => {
    const preview = csvPreview({ file: orders, profile: null, rowsMax: 4 });
    expect(preview.delimiter).toBe(',');
    expect(preview.headerIndex).toBe(0);
    expect(preview.rows[0]).toEqual(['Date', 'Order ID', 'Type', 'Amount', 'Currency', 'Partner', 'Product', 'Memo']);
    expect(preview.rows[1]?.[3]).toBe('1,234.56');
    expect(preview.parsed).toEqual([]);
  });

  it('names what a draft profile still lacks', () => {
    const preview = csvPreview({ file: orders, profile: { name: 'x', date: { format: 'MM/DD/YYYY' } }, rowsMax: 4 });
    expect(preview.profileProblems.some((problem) => problem.startsWith('sign'))).toBe(true);
  });

  it('reads the first rows as the importer will with a complete profile', () => {
    const profile = {
      name: 'us-orders',
      amountFormat: 'en',
      date: { format: 'MM/DD/YYYY' },
      sign: { convention: 'signed', column: 'Amount' },
      currency: { column: 'Currency' },
      kind: { column: 'Type', values: { sale: 'sale', refund: 'refund' } },
      columns: { date: 'Date', description: 'Memo' },
      id: { policy: 'reference', column: 'Order ID' },
    };
    const preview = csvPreview({ file: orders, profile, rowsMax: 4 });
    // The head is the first 6 physical lines: rows at lines 2 and 3 (spanning 3-4 with a quoted
    // newline), line 5's bad amount "12.3.4", and line 6's row of 6 cells under 8 header columns.
    expect(preview.parsed.map((row) => (row.ok ? [row.line, row.amount, row.currency, row.kind] : [row.line, row.column, row.code]))).toEqual([
      [2, '1234.56', 'USD', 'sale'],
      [3, '-20.00', 'USD', 'refund'],
      [5, 'Amount', 'amount_not_decimal'],
      [6, null, 'column_count'],
    ]);
  });
});
