import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IdRegistry } from '../core/ingest/id-registry.ts';
import { streamCsvImport } from './stream-import.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-stream-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profile = {
  name: 'test',
  delimiter: ',',
  date: { format: 'YYYY-MM-DD' },
  sign: { convention: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  kind: { fixed: 'sale' },
  columns: { date: 'date', partner: 'partner' },
  id: { policy: 'reference', column: 'ref' },
};
const silent = { update: () => undefined, done: () => undefined };

describe('streamCsvImport', () => {
  it('names the file by its SHA-256 in duplicates and in the registry, though it hashes while it reads', () => {
    const file = path.join(dir, 'month.csv');
    writeFileSync(file, 'ref,date,amount,currency,partner\nr1,2026-03-01,10.00,EUR,p1\nr2,2026-03-01,-2.50,EUR,p1\nr1,2026-03-01,10.00,EUR,p1\nr3,2026-03-02,7,USD,\n');
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const registry = new IdRegistry();
    const result = streamCsvImport(file, profile, 'auto', { mode: 'off' }, registry, silent);
    expect(result.file.sha256).toBe(sha256);
    expect(result.duplicates).toEqual([{ line: 4, id: 'tx:csv:test||r1', duplicateOf: { line: 2, sourceId: sha256 } }]);
    // r2 is kept with what it said (-2.50 EUR = -250 minor units on 2026-03-01), so a repeat with other money is a conflict.
    expect(registry.get('tx:csv:test||r2')).toEqual({ line: 3, sourceId: sha256, content: { currency: 'EUR', minor: -250, bookingDate: '2026-03-01', valueDate: null } });
    expect(result.balances).toEqual([
      { partner: 'p1', currency: 'EUR', count: 2, sum: '7.50' },
      { partner: null, currency: 'USD', count: 1, sum: '7.00' },
    ]);

    // The same file again in the run: every row repeats one of the first reading's.
    const again = streamCsvImport(file, profile, 'auto', { mode: 'off' }, registry, silent);
    expect(again.imported).toBe(0);
    expect(again.duplicates.map((duplicate) => duplicate.duplicateOf)).toEqual([
      { line: 2, sourceId: sha256 },
      { line: 3, sourceId: sha256 },
      { line: 2, sourceId: sha256 },
      { line: 5, sourceId: sha256 },
    ]);
  });
});
