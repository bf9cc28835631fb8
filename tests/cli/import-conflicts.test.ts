import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * A row that repeats a known id (reference, FITID, AcctSvcrRef, partner reference) with other
 * money is not a duplicate: both rows are kept, the second is a high-severity conflict, and the
 * run exits 1. Before, the second row's money silently disappeared.
 */
interface Conflict {
  line: number;
  amount: string;
  currency: string;
  conflictsWith: { line: number | null; sourceId: string | null };
  first: { amount: string } | null;
  keptAs: string | null;
}
interface Report {
  format: string;
  rowsRead: number;
  entriesRead: number;
  imported: number;
  duplicates: number;
  rejected: unknown[];
  conflicts: Conflict[];
  exceptions: { type: string; severity: string }[];
  balances: { partner: string | null; currency: string; count: number; sum: string }[];
}

const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-conflicts-'));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function importJson(args: string[]): { status: number | null; ok: boolean; files: Report[] } {
  const run = runCli(['import', ...args, '--json']);
  const document = run.json<{ ok: boolean; files: Report[] }>();
  return { status: run.status, ok: document.ok, files: document.files };
}

function expectOneConflict(report: Report | undefined, line: number, amount: string, firstLine: number): void {
  expect(report?.conflicts).toHaveLength(1);
  expect(report?.conflicts[0]).toMatchObject({ line, amount, conflictsWith: { line: firstLine } });
  expect(report?.exceptions.filter((exception) => exception.type === 'conflicting_duplicate').map((exception) => exception.severity)).toEqual(['high']);
}

describe('a repeated id with other money is a conflict in every format', () => {
  it('generic CSV through a profile (the streamed scanner path)', () => {
    const profile = write(
      'profile.json',
      JSON.stringify({
        name: 'psp',
        delimiter: ',',
        date: { format: 'YYYY-MM-DD' },
        sign: { convention: 'signed', column: 'amount' },
        currency: { column: 'currency' },
        kind: { fixed: 'sale' },
        columns: { date: 'date', partner: 'partner' },
        id: { policy: 'reference', column: 'ref' },
      }),
    );
    // Line 2 A 10.00, line 3 B 5.00, line 4 A 12.00 (conflict: 2.00 more than line 2), line 5 B 5.00 (a true duplicate).
    const csv = write('payments.csv', 'date,ref,partner,amount,currency\n2026-03-01,A,P1,10.00,EUR\n2026-03-01,B,P1,5.00,EUR\n2026-03-01,A,P1,12.00,EUR\n2026-03-01,B,P1,5.00,EUR\n');
    const run = importJson([csv, '--profile', profile]);
    expect(run.status).toBe(1);
    expect(run.ok).toBe(false);
    const [report] = run.files;
    // read 4 = imported 2 + duplicates 1 + conflicts 1
    expect(report).toMatchObject({ rowsRead: 4, imported: 2, duplicates: 1 });
    expectOneConflict(report, 4, '12.00', 2);
    // The imported sum is 10.00 + 5.00 = 15.00; the conflicting 12.00 is listed, not summed.
    expect(report?.balances).toEqual([{ partner: 'P1', currency: 'EUR', count: 2, sum: '15.00' }]);
  });

  it('OFX 1 (SGML): a FITID repeated with another amount', () => {
    const ofx = write(
      'repeat.ofx',
      [
        'OFXHEADER:100',
        'DATA:OFXSGML',
        'VERSION:102',
        '',
        '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>ACC1<ACCTTYPE>CHECKING</BANKACCTFROM>',
        '<BANKTRANLIST><DTSTART>20240101<DTEND>20240131',
        '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240105<TRNAMT>100.00<FITID>F1<NAME>First</STMTTRN>',
        '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240105<TRNAMT>90.00<FITID>F1<NAME>Second</STMTTRN>',
        '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
        '',
      ].join('\n'),
    );
    const [report] = importJson([ofx]).files;
    expect(report).toMatchObject({ format: 'ofx', imported: 1, duplicates: 0 });
    expectOneConflict(report, 8, '90.00', 7);
    expect(report?.conflicts[0]?.first?.amount).toBe('100.00');
    expect(report?.conflicts[0]?.keptAs).toMatch(/^tx#/);
  });

  it('camt.053: an AcctSvcrRef repeated with the other direction', () => {
    const entry = (indicator: string, line: string) =>
      `<Ntry><Amt Ccy="EUR">25.00</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-01</Dt></BookgDt><ValDt><Dt>2024-03-01</Dt></ValDt><AcctSvcrRef>REF-1</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><RmtInf><Ustrd>${line}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
    const camt = write(
      'repeat.xml',
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-02T00:00:00</CreDtTm></GrpHdr>',
        '<Stmt><Id>S1</Id><CreDtTm>2024-03-02T00:00:00</CreDtTm><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>',
        entry('CRDT', 'first'),
        entry('DBIT', 'second'),
        '</Stmt></BkToCstmrStmt></Document>',
        '',
      ].join('\n'),
    );
    const [report] = importJson([camt]).files;
    expect(report).toMatchObject({ format: 'camt.053', imported: 1, duplicates: 0 });
    expectOneConflict(report, 5, '-25.00', 4);
  });

  it('partner report: a reference repeated with other units and gross', () => {
    const report = write(
      'studio-x-2026-03.csv',
      [
        'partner,period_start,period_end,date,product,units,gross,currency,channel,kind,reference',
        'studio-x,2026-03-01,2026-03-31,2026-03-01,gem-pack-1,10,330.00,USD,ios,sale,X-1',
        'studio-x,2026-03-01,2026-03-31,2026-03-01,gem-pack-1,12,396.00,USD,ios,sale,X-1',
        '',
      ].join('\n'),
    );
    const [result] = importJson([report]).files;
    expect(result).toMatchObject({ format: 'partner-report', imported: 1, duplicates: 0 });
    expectOneConflict(result, 3, '396.00', 2);
  });

  it('across two files of one run: the second file conflicts with the first', () => {
    const head = 'partner,period_start,period_end,date,product,units,gross,currency,channel,kind,reference';
    const first = write('studio-y-a.csv', `${head}\nstudio-y,2026-03-01,2026-03-31,2026-03-01,p,1,10.00,USD,ios,sale,Y-1\n`);
    const second = write('studio-y-b.csv', `${head}\nstudio-y,2026-03-01,2026-03-31,2026-03-01,p,1,11.00,USD,ios,sale,Y-1\n`);
    const run = importJson([first, second]);
    expect(run.status).toBe(1);
    expect(run.files[0]?.conflicts).toEqual([]);
    expect(run.files[1]).toMatchObject({ imported: 0, duplicates: 0 });
    expect(run.files[1]?.conflicts.map((conflict) => [conflict.line, conflict.amount, conflict.first?.amount])).toEqual([[2, '11.00', '10.00']]);
  });
});

describe('settle leaves a conflicting row out loudly', () => {
  it('settles the first row only, lists the conflict and exits 1', () => {
    const month = path.join(dir, 'settle-month');
    mkdirSync(month);
    writeFileSync(
      path.join(dir, 'settle-agreements.json'),
      JSON.stringify([
        {
          agreementId: 'AGR-studio-a',
          partnerId: 'studio-a',
          version: 1,
          effectiveFrom: '2026-01-01',
          effectiveTo: null,
          partnerJurisdiction: 'NL',
          settlementCurrency: 'EUR',
          terms: { share: { rate: '50' }, rounding: { mode: 'half-even', scope: 'line' } },
        },
      ]),
    );
    const profile = write(
      'settle-profile.json',
      JSON.stringify({
        name: 'shop',
        delimiter: ',',
        date: { format: 'YYYY-MM-DD' },
        sign: { convention: 'signed', column: 'amount' },
        currency: { column: 'currency' },
        kind: { fixed: 'sale' },
        columns: { date: 'date', partner: 'partner', product: 'product' },
        id: { policy: 'reference', column: 'ref' },
      }),
    );
    // r1 is 10.00 in a.csv and 30.00 in b.csv: only a.csv's 10.00 is settled (share 50 % = 5.00), b.csv's row is a conflict.
    writeFileSync(path.join(month, 'a.csv'), 'ref,date,amount,currency,partner,product\nr1,2026-03-02,10.00,EUR,studio-a,game\n');
    writeFileSync(path.join(month, 'b.csv'), 'ref,date,amount,currency,partner,product\nr1,2026-03-02,30.00,EUR,studio-a,game\n');
    const run = runCli(['settle', '--agreements', path.join(dir, 'settle-agreements.json'), '--transactions', month, '--profile', profile, '--period', '2026-03', '--json']);
    expect(run.status).toBe(1);
    const result = run.json<{ inputs: { imported: number; conflicts: { line: number; amount: string }[] }[]; statements: { partnerId: string; grossBase: string; share: string }[] }>();
    expect(result.inputs.map((input) => [input.imported, input.conflicts.map((conflict) => [conflict.line, conflict.amount])])).toEqual([
      [1, []],
      [0, [[2, '30.00']]],
    ]);
    expect(result.statements.map(({ partnerId, grossBase, share }) => [partnerId, grossBase, share])).toEqual([['studio-a', '10.00', '5.00']]);
  });
});

describe('CSV through a profile (the streamed scanner) loses no row quietly', () => {
  const profile = (): string =>
    write(
      'shop-profile.json',
      JSON.stringify({
        name: 'shop',
        delimiter: ',',
        date: { format: 'YYYY-MM-DD' },
        sign: { convention: 'signed', column: 'amount' },
        currency: { column: 'currency' },
        kind: { fixed: 'sale' },
        columns: { date: 'date' },
        id: { policy: 'reference', column: 'ref' },
      }),
    );

  it('rejects a data row above the header', () => {
    const csv = write('above.csv', 'Shop export,,,\nr0,2026-03-01,10.00,EUR\nref,date,amount,currency\nr1,2026-03-02,5.00,EUR\n');
    const run = importJson([csv, '--profile', profile()]);
    expect(run.status).toBe(1);
    expect(run.files[0]).toMatchObject({ rowsRead: 2, imported: 1 });
    expect(run.files[0]?.rejected).toMatchObject([{ line: 2, code: 'row_before_header' }]);
  });

  it('keeps the exact row count with mixed CR LF and LF line endings', () => {
    const csv = write('mixed.csv', 'ref,date,amount,currency\r\nr1,2026-03-01,1.00,EUR\r\nr2,2026-03-02,2.00,EUR\nr3,2026-03-03,3.00,EUR\r\nr4,2026-03-04,4.00,EUR\n');
    const run = importJson([csv, '--profile', profile()]);
    expect(run.status).toBe(0);
    // 1.00 + 2.00 + 3.00 + 4.00 = 10.00 over four rows
    expect(run.files[0]).toMatchObject({ rowsRead: 4, imported: 4, rejected: [] });
    expect(run.files[0]?.balances).toEqual([{ partner: null, currency: 'EUR', count: 4, sum: '10.00' }]);
  });

  it('refuses a header that names a mapped column twice', () => {
    const csv = write('twice.csv', 'ref,date,amount,currency,amount\nr1,2026-03-02,5.00,EUR,6.00\n');
    const run = runCli(['import', csv, '--profile', profile(), '--json']);
    expect(run.status).toBe(1);
    expect(run.json<{ files: { error: { code: string; line: number; message: string } }[] }>().files[0]?.error).toMatchObject({ code: 'header_column_ambiguous', line: 1 });
  });
});
