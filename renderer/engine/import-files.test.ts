import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { importFile } from '../../core/ingest/import-file.ts';
import { CSV_SLICE_BYTES, importFiles } from './import-files.ts';
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
    // Clock readings: start 100, after file 1: 200 (9 rows in 100 ms), after file 2: 300. Bytes: 1714 (camt) + 595 (csv) = 2309.
    expect(events).toEqual([
      { file: 'camt053-v02-bad-entries.xml', filesDone: 1, filesTotal: 2, rows: 9, rowsPerSecond: 90, bytes: 1714, bytesTotal: 2309 },
      { file: 'orders-us-utf8-bom.csv', filesDone: 2, filesTotal: 2, rows: 9, rowsPerSecond: 45, bytes: 2309, bytesTotal: 2309 },
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

  it('refuses a broken file whole with its typed code, and a damaged zip with a clear one', () => {
    const result = importFiles({ files: [fixture('camt/camt053-xxe.xml'), { name: 'statements.zip', bytes: new Uint8Array([0x50, 0x4b, 3, 4]) }], profiles: {}, known: [] }, () => {}, steppingClock());
    expect(result.files.map((f) => [f.name, f.status === 'failed' ? f.code : f.status])).toEqual([
      ['statements.zip', 'zip_corrupt'],
      ['camt053-xxe.xml', 'xml_doctype_refused'],
    ]);
  });

  it('reports rows and bytes while one big CSV is parsed, not only when it is done, with the same rows as a whole-file import', () => {
    // 10,000 rows of 'MM/DD/YYYY,O-nnnnnn,12.34,USD,sale,' + a 220-character memo are over 2 MiB: at least 3 slices of 1 MiB.
    const header = 'Date,Order ID,Amount,Currency,Type,Memo\n';
    const memo = 'm'.repeat(220);
    const lines = Array.from({ length: 10_000 }, (_, i) => `03/${String((i % 28) + 1).padStart(2, '0')}/2026,O-${String(i).padStart(6, '0')},12.34,USD,sale,${memo}\n`);
    const bytes = new TextEncoder().encode(header + lines.join(''));
    expect(bytes.length).toBeGreaterThan(2 * CSV_SLICE_BYTES);
    const events: ImportProgress[] = [];
    const result = importFiles({ files: [{ name: 'big.csv', bytes }], profiles: { 'big.csv': usOrders }, known: [] }, (p) => events.push(p), steppingClock());
    const within = events.filter((e) => e.filesDone === 0);
    expect(within.length).toBeGreaterThanOrEqual(3);
    // Rows and bytes only grow while the file is read, and the last report is the whole file.
    expect(within.every((e, i) => i === 0 || (e.rows >= (within[i - 1]?.rows ?? 0) && e.bytes >= (within[i - 1]?.bytes ?? 0)))).toBe(true);
    expect(within[0]?.bytes).toBe(CSV_SLICE_BYTES);
    expect(within[0]?.rows).toBeGreaterThan(0);
    expect(within[0]?.rows).toBeLessThan(10_000);
    expect(events.at(-1)).toMatchObject({ filesDone: 1, rows: 10_000, bytes: bytes.length, bytesTotal: bytes.length });
    // The streamed import gives exactly what core's whole-file import gives.
    const whole = importFile(IMPORTERS, bytes, 'big.csv', { format: 'csv', importerOptions: usOrders, pseudonymization: { mode: 'off' } });
    const outcome = result.files[0];
    expect(outcome?.status === 'imported' && outcome.transactions).toEqual(whole.transactions);
    expect(outcome).toMatchObject({ rowsRead: whole.rowsRead, entriesRead: whole.entriesRead, sha256: whole.file.sha256, rejected: whole.rejected, duplicates: whole.duplicates });
  });
});
