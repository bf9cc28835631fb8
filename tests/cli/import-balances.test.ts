import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * A generated CSV of a few thousand rows with what real exports carry: CRLF, quoted fields (one
 * with a line break inside, which moves every later row down a line), rows the profile rejects
 * and a repeated reference. The expected balances are summed here from the generated rows, in
 * BigInt minor units, independently of the importer.
 */
const ROWS = 3000;
const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-balances-'));
const profilePath = path.join(dir, 'profile.json');
writeFileSync(
  profilePath,
  JSON.stringify({
    name: 'balances',
    delimiter: ',',
    date: { format: 'YYYY-MM-DD' },
    sign: { convention: 'signed', column: 'amount' },
    currency: { column: 'currency' },
    kind: { column: 'type', values: { sale: 'sale', refund: 'refund' } },
    columns: { date: 'date', partner: 'partner', product: 'product', description: 'memo' },
    id: { policy: 'reference', column: 'ref' },
  }),
);

interface Expected {
  csv: string;
  rejected: [number, string, string][];
  /** The row that reuses ch_10 with other money and date: a conflict, kept aside, never a silent duplicate. */
  conflictLine: number;
  balances: Map<string, { count: number; minor: bigint; exponent: number }>;
}

function decimalOf(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

function generate(): Expected {
  const lines = ['ref,date,type,amount,currency,partner,product,memo'];
  const rejected: [number, string, string][] = [];
  const balances: Expected['balances'] = new Map();
  let line = 2;
  let conflictLine = 0;
  for (let index = 0; index < ROWS; index++) {
    const partner = index >= 1500 && index % 250 === 0 ? 'Studio, Quoted' : `studio-${index % 7}`;
    const currency = index % 7 === 3 ? 'JPY' : 'EUR';
    const exponent = currency === 'JPY' ? 0 : 2;
    const refund = index % 10 === 9;
    const magnitude = BigInt((index * 7919) % 100_000) + 1n;
    const minor = refund ? -magnitude : magnitude;
    const ref = index === 2000 ? 'ch_10' : `ch_${index}`;
    const memo = index === 1700 ? '"two\r\nlines"' : index >= 1500 && index % 3 === 0 ? '"said ""hi"""' : 'plain';
    let amount = decimalOf(minor, exponent);
    let date = `2026-03-${String((index % 28) + 1).padStart(2, '0')}`;
    let extra = '';
    if (index % 500 === 77) {
      amount = 'abc';
      rejected.push([line, 'amount', 'amount_not_decimal']);
    } else if (index === 1234) {
      date = '2026-02-30';
      rejected.push([line, 'date', 'date_invalid']);
    } else if (index === 2500) {
      extra = ',surplus';
      rejected.push([line, '', 'column_count']);
    } else if (index === 2000) {
      conflictLine = line;
    } else {
      const entry = balances.get(`${partner}\t${currency}`) ?? { count: 0, minor: 0n, exponent };
      entry.count++;
      entry.minor += minor;
      balances.set(`${partner}\t${currency}`, entry);
    }
    const partnerCell = partner.includes(',') ? `"${partner}"` : partner;
    lines.push(`${ref},${date},${refund ? 'refund' : 'sale'},${amount},${currency},${partnerCell},game-${index % 5},${memo}${extra}`);
    line += index === 1700 ? 2 : 1;
  }
  return { csv: `${lines.join('\r\n')}\r\n`, rejected, conflictLine, balances };
}

interface Report {
  rowsRead: number;
  imported: number;
  duplicates: number;
  conflicts: { line: number; conflictsWith: { line: number | null } }[];
  rejected: { line: number; column: string | null; code: string }[];
  balances: { partner: string | null; currency: string; count: number; sum: string }[];
}

describe('settledesk import balances', () => {
  const expected = generate();
  const csvPath = path.join(dir, 'sales.csv');
  writeFileSync(csvPath, expected.csv);

  it('accounts for every row and sums imported rows per partner and currency to the cent', () => {
    const run = runCli(['import', csvPath, '--profile', profilePath, '--json']);
    expect(run.status).toBe(1); // rejected rows make the import "not ok", as before
    const [report] = run.json<{ files: Report[] }>().files;
    if (report === undefined) throw new Error('no report');
    expect(report.rowsRead).toBe(ROWS);
    expect(report.duplicates).toBe(0);
    // ch_10 first appears on line 12 (index 10; the header is line 1): the reuse is a conflict against it.
    expect(report.conflicts.map((conflict) => [conflict.line, conflict.conflictsWith.line])).toEqual([[expected.conflictLine, 12]]);
    expect(report.imported).toBe(ROWS - expected.rejected.length - 1);
    expect(report.imported + report.rejected.length + report.duplicates + report.conflicts.length).toBe(report.rowsRead);
    expect(report.rejected.map((r) => [r.line, r.column ?? '', r.code])).toEqual(expected.rejected);
    const wanted = [...expected.balances]
      .map(([key, value]) => {
        const [partner, currency] = key.split('\t') as [string, string];
        return { partner, currency, count: value.count, sum: decimalOf(value.minor, value.exponent) };
      })
      .sort((a, b) => (a.partner === b.partner ? (a.currency < b.currency ? -1 : 1) : a.partner < b.partner ? -1 : 1));
    expect(report.balances).toEqual(wanted);
    expect(report.balances.reduce((total, balance) => total + balance.count, 0)).toBe(report.imported);
  });

  it('counts a second file with the same references as duplicates, adding nothing to its balances', () => {
    const run = runCli(['import', csvPath, csvPath, '--profile', profilePath, '--json']);
    const [first, second] = run.json<{ files: (Report & { sameFileAs: string | null })[] }>().files;
    expect(first?.imported).toBe(ROWS - expected.rejected.length - 1);
    expect(second?.sameFileAs).toBe(csvPath);
    expect(second?.imported).toBe(0);
    expect(second?.duplicates).toBe(ROWS - expected.rejected.length - 1);
    expect(second?.conflicts.map((conflict) => conflict.line)).toEqual([expected.conflictLine]);
    expect(second?.balances).toEqual([]);
  });

  it('prints a short balance table for people', () => {
    const run = runCli(['import', csvPath, '--profile', profilePath]);
    const studio0 = expected.balances.get('studio-0\tEUR');
    expect(run.stdout).toMatch(/partner\s+ccy\s+rows\s+sum/);
    expect(run.stdout).toContain(decimalOf(studio0?.minor ?? 0n, 2));
    expect(run.stdout).toContain(`line ${expected.rejected[0]?.[0]}, column amount: amount_not_decimal`);
  });
});
