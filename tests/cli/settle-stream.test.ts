import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-settle-stream-'));
const month = path.join(dir, 'month');
mkdirSync(month);

const agreement = (partnerId: string) => ({
  agreementId: `AGR-${partnerId}`,
  partnerId,
  version: 1,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  partnerJurisdiction: 'NL',
  settlementCurrency: 'EUR',
  terms: { share: { rate: '50' }, rounding: { mode: 'half-even', scope: 'line' } },
});
writeFileSync(path.join(dir, 'agreements.json'), JSON.stringify([agreement('studio-a'), agreement('studio-b')]));
writeFileSync(
  path.join(dir, 'profile.json'),
  JSON.stringify({
    name: 'shop',
    delimiter: ',',
    date: { format: 'YYYY-MM-DD' },
    sign: { convention: 'signed', column: 'amount' },
    currency: { column: 'currency' },
    kind: { column: 'type', values: { sale: 'sale', refund: 'refund' } },
    columns: { date: 'date', partner: 'partner', product: 'product' },
    id: { policy: 'reference', column: 'ref' },
  }),
);

// 12,000 sales of 1.00 to studio-a and 0.50 to studio-b across two batches of the streamed reader,
// a refund, a row with a broken date, and a second file that repeats one row of the first.
const rows = ['ref,date,type,amount,currency,partner,product'];
for (let index = 0; index < 12_000; index++) rows.push(`r${index},2026-03-${String((index % 28) + 1).padStart(2, '0')},sale,${index % 2 === 0 ? '1.00' : '0.50'},EUR,studio-${index % 2 === 0 ? 'a' : 'b'},game`);
rows.push('r-refund,2026-03-30,refund,-10.00,EUR,studio-a,game');
rows.push('r-bad,2026-03-32,sale,99.00,EUR,studio-a,game');
writeFileSync(path.join(month, 'a-shop.csv'), `${rows.join('\n')}\n`);
writeFileSync(path.join(month, 'b-repeat.csv'), 'ref,date,type,amount,currency,partner,product\nr0,2026-03-01,sale,1.00,EUR,studio-a,game\n');

const args = ['settle', '--agreements', path.join(dir, 'agreements.json'), '--transactions', month, '--profile', path.join(dir, 'profile.json'), '--period', '2026-03', '--json'];

interface SettleJson {
  inputs: { file: string; rowsRead: number; imported: number; duplicates: number; rejected: { line: number; column: string | null; code: string }[] }[];
  statements: { partnerId: string; transactions: number; grossBase: string; share: string }[];
}

describe('settledesk settle reads a CSV through its profile as a stream', () => {
  it('settles every imported row, counts a repeat in another file once, and names the rejected row', () => {
    const run = runCli(args);
    // A rejected row is money the statements leave out: the run says so and exits 1.
    expect(run.status).toBe(1);
    const result = run.json<SettleJson>();
    expect(result.inputs.map(({ file, rowsRead, imported, duplicates }) => [path.basename(file), rowsRead, imported, duplicates])).toEqual([
      ['a-shop.csv', 12_002, 12_001, 0],
      ['b-repeat.csv', 1, 0, 1],
    ]);
    expect(result.inputs[0]?.rejected).toEqual([expect.objectContaining({ line: 12_003, column: 'date' })]);
    // studio-a: 6,000 x 1.00 - 10.00 = 5,990.00, half of it 2,995.00; studio-b: 6,000 x 0.50 = 3,000.00.
    expect(result.statements.map((s) => [s.partnerId, s.transactions, s.grossBase, s.share])).toEqual([
      ['studio-a', 6_001, '5990.00', '2995.00'],
      ['studio-b', 6_000, '3000.00', '1500.00'],
    ]);
  });

  it('prints the rejected row with its file, line and column for a person', () => {
    const run = runCli(args.filter((arg) => arg !== '--json'));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Read 2 files: 12003 rows, 12001 imported, 1 duplicates, 0 conflicts, 1 rejected');
    expect(run.stdout).toMatch(/REJECTED .*a-shop\.csv:12003:date: /);
  });
});
