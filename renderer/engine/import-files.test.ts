import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFiles } from './import-files.ts';
import type { ImportProgress } from './protocol.ts';

const fixture = (path: string) => ({ name: path.split('/').pop() ?? path, bytes: new Uint8Array(readFileSync(new URL(`../../core/importers/fixtures/${path}`, import.meta.url))) });

/** A clock that advances 100 ms per reading, so rows/s is known by hand. */
function steppingClock(): () => number {
  let now = 0;
  return () => (now += 100);
}

const usOrders = {
  name: 'us-orders',
  amountFormat: 'en',
  date: { format: 'MM/DD/YYYY' },
  sign: { convention: 'signed', column: 'Amount' },
  currency: { column: 'Currency' },
  kind: { column: 'Type', values: { sale: 'sale', refund: 'refund' } },
  columns: { date: 'Date', description: 'Memo' },
  id: { policy: 'reference', column: 'Order ID' },
};

describe('importFiles (the engine worker\'s import)', () => {
  it('imports a camt.053 with its row account, and asks for a profile for an unknown CSV', () => {
    const events: ImportProgress[] = [];
    const result = importFiles({ files: [fixture('camt/camt053-v02-bad-entries.xml'), fixture('csv/orders-us-utf8-bom.csv')], profiles: {}, known: [] }, (p) => events.push(p), steppingClock());
    const [camt, csv] = result.files;
    // The fixture has 9 <Ntry> elements: 2 good (12.34 EUR, -7.25 USD) and 7 broken ones.
    expect(camt).toMatchObject({ status: 'imported', format: 'camt.053', rowsRead: 9, duplicates: [], conflicts: [] });
    expect(camt?.status === 'imported' && camt.transactions.map((tx) => [tx.amount, tx.currency])).toEqual([['12.34', 'EUR'], ['-7.25', 'USD']]);
    expect(camt?.status === 'imported' && camt.rejected.map((r) => r.column)).toEqual(['Stmt/Ntry/Amt', 'Stmt/Ntry/BookgDt', 'Stmt/Ntry/CdtDbtInd', 'Stmt/Ntry/Amt@Ccy', 'Stmt/Ntry/Amt', 'Stmt/Ntry/Amt', 'Stmt/Ntry/BookgDt']);
    expect(csv).toEqual({ status: 'needs-profile', name: 'orders-us-utf8-bom.csv' });
    // Clock readings: start 100, after file 1: 200 (9 rows in 100 ms), after file 2: 300.
    expect(events).toEqual([
      { file: 'camt053-v02-bad-entries.xml', filesDone: 1, filesTotal: 2, rows: 9, rowsPerSecond: 90 },
      { file: 'orders-us-utf8-bom.csv', filesDone: 2, filesTotal: 2, rows: 9, rowsPerSecond: 45 },
    ]);
  });

  it('imports the CSV with a saved profile: 9 rows, 3 imported, 6 rejected with line and column', () => {
    const result = importFiles({ files: [fixture('csv/orders-us-utf8-bom.csv')], profiles: { 'orders-us-utf8-bom.csv': usOrders }, known: [] }, () => {}, steppingClock());
    const [csv] = result.files;
    expect(csv).toMatchObject({ status: 'imported', format: 'csv', rowsRead: 9 });
    expect(csv?.status === 'imported' && csv.transactions.map((tx) => tx.references.externalId)).toEqual(['A-1', 'A-2', 'A-9']);
    expect(csv?.status === 'imported' && csv.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [5, 'Amount', 'amount_not_decimal'],
      [6, null, 'column_count'],
      [7, 'Type', 'kind_unknown'],
      [8, 'Currency', 'currency_unknown'],
      [9, 'Amount', 'amount_minor_units'],
      [10, 'Order ID', 'field_missing'],
    ]);
  });

  it('counts rows the workspace already has as duplicates, and the same id with other money as a conflict', () => {
    const first = importFiles({ files: [fixture('csv/orders-us-utf8-bom.csv')], profiles: { 'orders-us-utf8-bom.csv': usOrders }, known: [] }, () => {}, steppingClock());
    const imported = first.files[0]?.status === 'imported' ? first.files[0].transactions : [];
    const known = imported.map((tx, index) => ({ id: tx.id, line: tx.source.line, sourceId: tx.source.sourceId, amount: index === 0 ? '999.99' : tx.amount, currency: tx.currency, bookingDate: tx.bookingDate, valueDate: tx.valueDate }));
    const again = importFiles({ files: [fixture('csv/orders-us-utf8-bom.csv')], profiles: { 'orders-us-utf8-bom.csv': usOrders }, known }, () => {}, steppingClock());
    const outcome = again.files[0];
    expect(outcome?.status === 'imported' && [outcome.transactions.length, outcome.duplicates.map((d) => d.line), outcome.conflicts.map((c) => [c.line, c.amount, c.first?.amount])]).toEqual([0, [3, 11], [[2, '1234.56', '999.99']]]);
  });

  it('refuses a broken file whole with its typed code, and a zip with a clear one', () => {
    const result = importFiles({ files: [fixture('camt/camt053-xxe.xml'), { name: 'statements.zip', bytes: new Uint8Array([0x50, 0x4b, 3, 4]) }], profiles: {}, known: [] }, () => {}, steppingClock());
    expect(result.files.map((f) => (f.status === 'failed' ? f.code : f.status))).toEqual(['xml_doctype_refused', 'zip_unsupported']);
  });
});
