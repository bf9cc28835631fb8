import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../ingest/decode.ts';
import { FileImportError } from '../ingest/errors.ts';
import { importFile } from '../ingest/import-file.ts';
import type { ImportResult } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { CanonicalTransaction } from '../transactions/schema.ts';
import { bai2Importer, readBai2, sniffBai2, TEXT_LENGTH_MAX } from './bai2.ts';
import { sniffMt940 } from './mt940.ts';
import { IMPORTERS } from './registry.ts';
import {
  editedTexts,
  expectBothOutcomes,
  expectAccountTotals,
  expectAllImported,
  expectAmount,
  expectBalanceIssues,
  expectManifestFile,
  expectParsesOrFailsTyped,
  expectSectionTotals,
  importBytesWith,
  byteMutated,
  describeRealWorld,
  manifestFiles,
  readRealWorld,
  readRealWorldText,
  textPieces,
  thrownBy,
  type ManifestAccountTotals,
} from './real-world-manifest.test-support.ts';

const FIXTURES = new URL('./fixtures/bai2/', import.meta.url);
const ISSUE14 = new URL('./fixtures/bai2-issue14/', import.meta.url);

interface ManifestAccountRecord {
  readonly account: string;
  readonly currency: string;
  readonly entry_count: number;
  readonly sum_credits: string;
  readonly sum_debits: string;
  readonly as_of_date: string;
  readonly balances_reconcile: boolean | null;
  readonly opening_ledger_010: string | null;
  readonly closing_ledger_015: string | null;
  readonly total_credits_100: string | null;
  readonly total_debits_400: string | null;
}

interface ManifestSample {
  readonly amount: string;
  readonly type_code: string;
  readonly booking_date: string | null;
  readonly group_as_of_date: string;
  readonly value_date: string | null;
  readonly bank_reference: string | null;
  readonly reference: string | null;
  readonly text: string;
}

const bai2Files = manifestFiles<{
  readonly entry_count: number;
  readonly account_record_count: number;
  readonly accounts: readonly ManifestAccountTotals[];
  readonly account_records: readonly ManifestAccountRecord[];
  readonly sample_entries: readonly ManifestSample[];
}>(['bai2']);
/**
 * Manifest facts that contradict the file itself; the test checks the file's own statement instead.
 * SVB states its 100/400 summaries on 88 continuations ('88,100,490196,1,,400,000,0,/'), which the
 * manifest's computation missed (it reads the same layout in the moov file).
 */
const SUMMARIES_MISSED_BY_MANIFEST = new Set(['bai2/svb-usd-two-groups.bai2']);
/** The manifest records the first 80 characters of a detail's text (Citi's runs over seven 88 records). */
const SAMPLE_TEXT_LENGTH_MAX = 80;

function importBytes(bytes: Uint8Array, fileName: string): ImportResult {
  return importBytesWith(bai2Importer, 'bai2', bytes, fileName);
}

function importText(text: string, fileName = 'inline.bai2'): ImportResult {
  return importBytes(new TextEncoder().encode(text), fileName);
}

const thrown = (run: () => unknown): FileImportError => thrownBy(run, FileImportError);

describeRealWorld('BAI2 real files', () => describe.each(bai2Files.map((file) => [file.path, file] as const))('BAI2 real file %s', (path, file) => {
  const bytes = readRealWorld(path);
  const result = importBytes(bytes, path);
  const report = readBai2(decodeText(bytes, path).text, path);
  const { expected } = file;

  it('is the file the manifest describes, and sniffs as BAI2 only', () => {
    expectManifestFile(bytes, file);
    const head = new TextDecoder().decode(bytes.subarray(0, 4096));
    expect(sniffBai2(head, path)).toBe(true);
    expect(sniffMt940(head, path)).toBe(false);
  });

  it('imports every detail, none rejected, and every control total agrees', () => {
    expectAllImported(result, expected.entry_count);
    expect(result.issues.filter((issue) => issue.code === 'control_total_mismatch')).toEqual([]);
    for (const transaction of result.transactions) {
      expect(() => CanonicalTransaction.parse(transaction)).not.toThrow();
      expect(transaction.kind).toBe('transfer');
      expect(transaction.bookingDate).toBeNull();
    }
  });

  it('reads every account record: as-of date, ledger balances, summaries, entries, sums, checks', () => {
    expect(result.statements).toHaveLength(expected.account_record_count);
    expect(report.accounts).toHaveLength(expected.account_record_count);
    expected.account_records.forEach((want, index) => {
      const got = result.statements[index];
      const account = report.accounts[index];
      expect(got).toBeDefined();
      if (got === undefined || account === undefined) return;
      expect(got.account).toBe(want.account);
      expect(got.currency).toBe(want.currency);
      expect(account.asOfDate).toBe(want.as_of_date);
      expect(got.statementId).toBe(want.as_of_date);
      expectAmount(got.opening, want.opening_ledger_010);
      expectAmount(got.closing, want.closing_ledger_015);
      expect(got.openingTag).toBe(want.opening_ledger_010 === null ? null : '010');
      expect(got.closingTag).toBe(want.closing_ledger_015 === null ? null : '015');
      if (SUMMARIES_MISSED_BY_MANIFEST.has(path)) {
        expect([want.total_credits_100, want.total_debits_400]).toEqual([null, null]);
        expectAmount(account.summaries.get('100')?.amount, want.sum_credits);
        expectAmount(account.summaries.get('400')?.amount, want.sum_debits);
      } else {
        expectAmount(account.summaries.get('100')?.amount, want.total_credits_100);
        expectAmount(account.summaries.get('400')?.amount, want.total_debits_400);
      }
      expectSectionTotals(got, want);
      expect(got.controlTotalsOk).toBe(true);
    });
    expectBalanceIssues(result, expected.account_records);
  });

  it('totals per account and currency over the whole file', () => {
    expectAccountTotals(result, expected.accounts);
  });

  it.each(expected.sample_entries.map((sample, index) => [index, sample] as const))('has sample entry %i', (_index, sample) => {
    const matches = result.transactions.filter(
      (transaction) =>
        new Decimal(transaction.amount).equals(sample.amount) &&
        transaction.occurredAt === sample.group_as_of_date &&
        transaction.bookingDate === sample.booking_date &&
        transaction.valueDate === sample.value_date &&
        transaction.references.bankReference === sample.bank_reference &&
        transaction.references.externalId === sample.reference &&
        (transaction.description ?? '').slice(0, SAMPLE_TEXT_LENGTH_MAX) === sample.text,
    );
    expect(matches.length).toBeGreaterThanOrEqual(1);
    for (const match of matches) expect(match.raw['16']).toMatch(new RegExp(`^16,${sample.type_code},`));
  });
}));

describe('BAI2 record grammar', () => {
  const file = (group: string, account: string, details: readonly string[], totals: { account: string; group: string; file: string }) => {
    const accountRecords = account.split('\n').length + details.flatMap((detail) => detail.split('\n')).length + 1;
    return [
      '01,SENDER,RECEIVER,240301,0800,1,,,2/',
      group,
      account,
      ...details,
      `49,${totals.account},${accountRecords}/`,
      `98,${totals.group},1,${accountRecords + 2}/`,
      `99,${totals.file},1,${accountRecords + 4}/`,
    ].join('\n');
  };

  it('places the implied decimal point by currency: JPY 0, KWD 3 digits', () => {
    const yen = importText(file('02,R,B,1,240229,,JPY,/', '03,A1,,010,10000,,,015,7300,,/', ['16,475,2700,,,,PAYMENT/'], { account: '20000', group: '20000', file: '20000' }));
    expect(yen.transactions.map((transaction) => [transaction.amount, transaction.currency])).toEqual([['-2700', 'JPY']]);
    expect(yen.statements[0]).toMatchObject({ opening: '10000', closing: '7300', balanced: true, controlTotalsOk: true });
    const dinar = importText(file('02,R,B,1,240229,,USD,/', '03,A2,KWD,010,1000,,,015,2234,,/', ['16,175,1234,,,,IN/'], { account: '4468', group: '4468', file: '4468' }));
    expect(dinar.transactions.map((transaction) => [transaction.amount, transaction.currency])).toEqual([['1.234', 'KWD']]);
    expect(dinar.statements[0]).toMatchObject({ opening: '1.000', closing: '2.234', balanced: true });
  });

  it('defaults a missing group currency to USD and an account currency to its group', () => {
    const result = importText(file('02,R,B,1,240229/', '03,A1/', ['16,175,150,,,,IN/'], { account: '150', group: '150', file: '150' }));
    expect(result.statements[0]?.currency).toBe('USD');
    expect(result.transactions[0]?.amount).toBe('1.50');
    expect(result.statements[0]?.opening).toBeNull();
  });

  it('reads every funds type: S availability amounts, V value date, D distributions, Z, 0', () => {
    const details = [
      '16,175,100,S,50,25,25,BS,CS,TEXT S/',
      '16,175,100,V,240228,1200,BV,CV,TEXT V/',
      '16,175,100,D,2,0,60,1,40,BD,CD,TEXT D/',
      '16,175,100,Z,BZ,CZ,TEXT Z/',
      '16,475,100,0,B0,C0,TEXT, WITH, COMMAS/',
    ];
    const result = importText(file('02,R,B,1,240229,,USD,/', '03,A1,USD/', details, { account: '500', group: '500', file: '500' }));
    expect(result.rejected).toEqual([]);
    expect(result.transactions.map((transaction) => [transaction.references.bankReference, transaction.references.externalId, transaction.valueDate, transaction.description])).toEqual([
      ['BS', 'CS', null, 'TEXT S'],
      ['BV', 'CV', '2024-02-28', 'TEXT V'],
      ['BD', 'CD', null, 'TEXT D'],
      ['BZ', 'CZ', null, 'TEXT Z'],
      ['B0', 'C0', null, 'TEXT, WITH, COMMAS'],
    ]);
    expect(result.statements[0]?.controlTotalsOk).toBe(true);
  });

  it('continues fixed fields onto an 88 when the 16 is not ended by a slash', () => {
    const result = importText(file('02,R,B,1,240229,,USD,/', '03,A1,USD/', ['16,175,100,V,240228\n88,,BANKREF,CUSTREF,FIRST LINE\n88,SECOND LINE'], { account: '100', group: '100', file: '100' }));
    expect(result.transactions[0]).toMatchObject({ valueDate: '2024-02-28', references: { bankReference: 'BANKREF', externalId: 'CUSTREF' }, description: 'FIRST LINE SECOND LINE' });
  });

  it.each([
    ['a non-transaction type code', '16,890,100,,,,INFO/', 'field_invalid', '16.typeCode'],
    ['a signed amount', '16,175,-100,,,,X/', 'amount_not_decimal', '16.amount'],
    ['a decimal point in the amount', '16,175,1.00,,,,X/', 'amount_not_decimal', '16.amount'],
    ['an empty amount', '16,175,,,,,X/', 'amount_empty', '16.amount'],
    ['a 19-digit amount', '16,175,1234567890123456789,,,,X/', 'amount_too_long', '16.amount'],
    ['an impossible value date', '16,175,100,V,240230,,,,X/', 'date_invalid', '16.valueDate'],
    ['an unknown funds type', '16,175,100,Q,,,X/', 'field_invalid', '16.fundsType'],
    ['an absurd distribution count', '16,175,100,D,99,,,X/', 'field_invalid', '16.fundsType'],
    ['an absurdly long reference', `16,175,100,,${'R'.repeat(200)},,X/`, 'field_too_long', '16.bankReference'],
    ['an absurdly long text', `16,175,100,,,,X\n${Array.from({ length: Math.ceil(TEXT_LENGTH_MAX / 70) + 1 }, () => `88,${'T'.repeat(70)}`).join('\n')}`, 'field_too_long', '16.text'],
    ['an unknown record inside an account', '17,175,100,,,,X/', 'record_unknown', 1],
  ])('rejects a detail with %s and imports the rest', (_name, bad, code, column) => {
    const result = importText(file('02,R,B,1,240229,,USD,/', '03,A1,USD/', [bad, '16,175,200,,OK,,GOOD/'], { account: '0', group: '0', file: '0' }));
    expect(result.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([[4, column, code]]);
    expect(result.transactions.map((transaction) => transaction.references.bankReference)).toEqual(['OK']);
    expect(result.rowsRead).toBe(2);
  });
});

describe('BAI2 control totals and malformed files', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

  it('reports a wrong 49 control total as an issue on that statement and still imports the details', () => {
    const result = importBytes(fixture('wrong-control-total.bai2'), 'wrong-control-total.bai2');
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['210.00', '-75.00']);
    expect(result.transactions.map((transaction) => transaction.currency)).toEqual(['EUR', 'EUR']);
    expect(result.statements[0]).toMatchObject({ account: 'DE44500105175407324931', controlTotalsOk: false, balanced: false });
    const mismatches = result.issues.filter((issue) => issue.code === 'control_total_mismatch');
    expect(mismatches.map((issue) => issue.line)).toEqual([6]);
    expect(mismatches[0]?.message).toContain('49 control total 240000 != 241000');
    expect(result.issues.map((issue) => issue.code).sort()).toEqual(['balance_mismatch', 'control_total_mismatch']);
  });

  it('imports a file whose last record is a whole 98 without its 99 trailer, with a warning', () => {
    const result = importBytes(fixture('missing-99-trailer.bai2'), 'missing-99-trailer.bai2');
    // 5000.00 + 10.00 - 10.00 = 5000.00; the 98 checked the group's total.
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['10.00', '-10.00']);
    expect(result.statements[0]).toMatchObject({ balanced: true, controlTotalsOk: true });
    expect(result.issues.filter((issue) => issue.code === 'format_rule_broken').map((issue) => [issue.line, issue.message])).toEqual([[7, expect.stringContaining('99')]]);
  });

  it.each([
    ['a detail', '16,175,10'],
    ['an account trailer', '16,175,1000,,,,X/\n49,3'],
  ])('refuses a file that ends inside %s as truncated (a cut record can look whole)', (_name, tail) => {
    const text = `01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n${tail}`;
    const error = thrown(() => importText(text, 'cut.bai2'));
    expect(error.code).toBe('file_truncated');
    expect(error.location).toMatchObject({ file: 'cut.bai2', column: '99' });
  });

  it.each([
    ['49 record count', '49,100,9/\n98,100,1,5/\n99,100,1,7/', [5]],
    ['98 account count and record count', '49,100,3/\n98,100,2,9/\n99,100,1,7/', [6, 6]],
    ['98 control total', '49,100,3/\n98,999,1,5/\n99,999,1,7/', [6]],
    ['99 group count, record count and total', '49,100,3/\n98,100,1,5/\n99,101,3,8/', [7, 7, 7]],
  ])('reports a wrong %s', (_name, trailers, lines) => {
    const text = `01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n16,175,100,,,,X/\n${trailers}`;
    const result = importText(text);
    expect(result.issues.filter((issue) => issue.code === 'control_total_mismatch').map((issue) => issue.line)).toEqual(lines);
    expect(result.statements[0]?.controlTotalsOk).toBe(false);
    expect(result.transactions).toHaveLength(1);
  });

  it('says each failed control check as a code and its values besides the English (99 group count, record count and total; the 100 summary)', () => {
    const trailers = `01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n16,175,100,,,,X/\n49,100,3/\n98,100,1,5/\n99,101,3,8/`;
    // The 99 states 101, 3 groups, 8 records; the file has the 98's 100, one group, 7 physical records (01 to 99).
    expect(importText(trailers, 'trail.bai2').issues.map((issue) => [issue.says, issue.params, issue.message])).toEqual([
      ['file_total', { line: '7', stated: '101', counted: '100' }, 'trail.bai2: line 7: 99 control total 101 != 100, the sum of the 98 totals'],
      ['file_groups', { line: '7', stated: '3', counted: '1' }, 'trail.bai2: line 7: 99 group count 3 != 1 groups in the file'],
      ['file_records', { line: '7', stated: '8', counted: '7' }, 'trail.bai2: line 7: 99 record count 8 != 7 records in the file'],
    ]);
    const summary = `01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD,100,300,2,,400,0,0,/\n16,175,100,,,,X/\n49,400,3/\n98,400,1,5/\n99,400,1,7/`;
    expect(importText(summary, 'sum.bai2').issues.map((issue) => [issue.says, issue.params, issue.message])).toEqual([
      ['credit_summary', { line: '3', stated: '300', statedItems: '2', counted: '100', countedItems: '1', account: 'A1', accountLine: '3' }, 'sum.bai2: line 3: 100 total credits 300 (2 items) != 100 (1 items) in the details of account A1 (line 3)'],
    ]);
  });

  it('checks the 100/400 summaries against the details', () => {
    const text = `01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD,100,300,2,,400,0,0,/\n16,175,100,,,,X/\n49,400,3/\n98,400,1,5/\n99,400,1,7/`;
    const result = importText(text);
    expect(result.issues.map((issue) => [issue.code, issue.line])).toEqual([['control_total_mismatch', 3]]);
    expect(result.issues[0]?.message).toContain('100 total credits 300 (2 items) != 100 (1 items)');
  });

  it.each([
    ['text that is not BAI2', 'date,amount\n2024-01-01,5.00\n', 'file_format_unrecognized', 1, 1],
    ['BAI version 1', '01,S,R,240301,0800,1,,,1/\n99,0,0,2/', 'file_format_unrecognized', 1, '01.versionNumber'],
    ['an empty file', '\n\n', 'file_empty', 1, 1],
    ['a detail outside an account', '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n16,175,100,,,,X/', 'file_malformed', 3, '16'],
    ['a group that never closes', '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n99,0,1,3/', 'file_malformed', 3, '99'],
    ['a record after the file trailer', '01,S,R,240301,0800,1,,,2/\n99,0,0,2/\n02,R,B,1,240229,,USD,/', 'file_malformed', 3, '02'],
    ['an impossible as-of date', '01,S,R,240301,0800,1,,,2/\n02,R,B,1,241301,,USD,/', 'file_malformed', 2, '02.asOfDate'],
    ['an unknown currency', '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,XYZ/', 'file_malformed', 3, '03.currency'],
    ['a bad summary amount', '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD,010,12.00,,/', 'file_malformed', 3, '03.amount'],
    ['an unreadable trailer', '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n49,abc,2/', 'file_malformed', 4, '49.controlTotal'],
    ['an absurdly long account number', `01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,${'9'.repeat(100)},USD/`, 'field_too_long', 3, '03.account'],
  ])('refuses %s', (_name, text, code, line, column) => {
    const error = thrown(() => importText(text, 'bad.bai2'));
    expect(error.code).toBe(code);
    expect(error.location).toEqual({ file: 'bad.bai2', line, column });
  });
});

describe('BAI2 refusals and rejections said as a code and values (for another language)', () => {
  const h = '01,S,R,240301,0800,1,,,2/\n';
  const g = '02,R,B,1,240229,,USD,/\n';
  it.each([
    ['88,X/\n01,S,R,240301,0800,1,,,2/', 'line 1, 88: an 88 continuation before any record (a BAI2 file starts with its 01 file header)', { says: 'bai2_malformed', line: '1', column: '88', problem: 'continuation_first' }],
    ['02,R,B/', 'line 1: not a BAI2 file (the first record must be the 01 file header)', { says: 'bai2_not_bai2', line: '1' }],
    ['\n\n', 'no BAI2 records', { says: 'bai2_empty' }],
    ['01,S,R,240301,0800,1,,,1/', 'line 1: BAI version "1"; only BAI2 (version 2) is read', { says: 'bai2_version', line: '1', value: '1' }],
    [`${h}${g}03,A1,USD,,5,,/`, 'line 3, 03.typeCode: amount "5" in a summary group without its type code', { says: 'bai2_malformed', line: '3', column: '03.typeCode', problem: 'summary_amount_untyped', value: '5' }],
    [`${h}${g}03,A1,USD,,,,Q/`, 'line 3, 03.fundsType: funds type "Q" in a summary group without its type code', { says: 'bai2_malformed', line: '3', column: '03.fundsType', problem: 'summary_funds_untyped', value: 'Q' }],
    [`${h}${g}03,A1,USD,10,5,,/`, 'line 3, 03.typeCode: type code "10" is not three digits', { says: 'bai2_malformed', line: '3', column: '03.typeCode', problem: 'type_code_digits', value: '10' }],
    [`${h}${g}03,A1,USD,010,12.00,,/`, 'line 3, 03.amount: amount "12.00" for type 010 (amount_not_decimal)', { says: 'bai2_malformed', line: '3', column: '03.amount', problem: 'summary_amount_not_decimal', value: '12.00', typeCode: '010' }],
    [`${h}${g}03,A1,USD,010,${'1'.repeat(19)},,/`, `line 3, 03.amount: amount "${'1'.repeat(19)}" for type 010 (amount_too_long)`, { says: 'bai2_malformed', line: '3', column: '03.amount', problem: 'summary_amount_too_long', value: '1'.repeat(19), typeCode: '010' }],
    [`${h}${g}03,A1,USD,010,5,x,/`, 'line 3, 03.itemCount: item count "x" is not a number', { says: 'bai2_malformed', line: '3', column: '03.itemCount', problem: 'item_count', value: 'x' }],
    [`${h}${g}03,A1,USD,010,5,,V,240230,/`, 'line 3, 03.fundsType: value date "240230" is not a calendar date (YYMMDD)', { says: 'bai2_malformed', line: '3', column: '03.fundsType', problem: 'value_date_yymmdd', value: '240230' }],
    [`${h}${g}03,A1,USD,010,5,,D,99/`, 'line 3, 03.fundsType: distributed availability count "99" is not 0-31', { says: 'bai2_malformed', line: '3', column: '03.fundsType', problem: 'bai2_distribution_count', value: '99', max: '31' }],
    [`${h}${g}03,A1,USD,010,5,,Q/`, 'line 3, 03.fundsType: funds type "Q" is not 0, 1, 2, S, V, D or Z', { says: 'bai2_malformed', line: '3', column: '03.fundsType', problem: 'bai2_funds_type', value: 'Q' }],
    [`${h}${g}03,A1,USD/\n49,1.00,2/`, 'line 4, 49.controlTotal: control total "1.00" (amount_not_decimal)', { says: 'bai2_malformed', line: '4', column: '49.controlTotal', problem: 'total_not_decimal', value: '1.00' }],
    [`${h}${g}03,A1,USD/\n49,${'1'.repeat(19)},2/`, `line 4, 49.controlTotal: control total "${'1'.repeat(19)}" (amount_too_long)`, { says: 'bai2_malformed', line: '4', column: '49.controlTotal', problem: 'total_too_long', value: '1'.repeat(19) }],
    [`${h}${g}03,A1,USD/\n49,0,two/`, 'line 4, 49.recordCount: recordCount "two" is not a number', { says: 'bai2_malformed', line: '4', column: '49.recordCount', problem: 'count_not_number', name: 'recordCount', value: 'two' }],
    [`${h}${g}03, ,USD/`, 'line 3, 03.account: the account number is empty', { says: 'bai2_malformed', line: '3', column: '03.account', problem: 'account_empty' }],
    [`${h}${g}03,${'9'.repeat(65)},USD/`, 'line 3: account number longer than 64 characters', { says: 'bai2_account_too_long', line: '3', max: '64' }],
    [`${h}02,R,B,1,240229,,XYZ,/`, 'line 2, 02.currency: currency "XYZ" is not an ISO 4217 code', { says: 'bai2_malformed', line: '2', column: '02.currency', problem: 'currency_unknown', value: 'XYZ' }],
    [`${h}02,R,B,1,241301,,USD,/`, 'line 2, 02.asOfDate: as-of date "241301" is not a calendar date (YYMMDD)', { says: 'bai2_malformed', line: '2', column: '02.asOfDate', problem: 'as_of_date', value: '241301' }],
    [`${h}99,0,0,2/\n${g}`, 'line 3, 02: a record after the 99 file trailer at line 2', { says: 'bai2_malformed', line: '3', column: '02', problem: 'record_after_trailer', at: '2' }],
    [`${h}${h}`, 'line 2, 01: a second file header (the first is at line 1)', { says: 'bai2_malformed', line: '2', column: '01', problem: 'header_twice', at: '1' }],
    [`${h}${g}${g}`, 'line 3, 02: a group header before the 98 trailer of the group at line 2', { says: 'bai2_malformed', line: '3', column: '02', problem: 'group_open', at: '2' }],
    [`${h}03,A1,USD/`, 'line 2, 03: an account record outside a group (02 ... 98)', { says: 'bai2_malformed', line: '2', column: '03', problem: 'account_outside_group' }],
    [`${h}${g}03,A1,USD/\n03,A2,USD/`, 'line 4, 03: an account record before the 49 trailer of the account at line 3', { says: 'bai2_malformed', line: '4', column: '03', problem: 'account_open', at: '3' }],
    [`${h}${g}16,175,100,,,,X/`, 'line 3, 16: a transaction detail outside an account (03 ... 49)', { says: 'bai2_malformed', line: '3', column: '16', problem: 'detail_outside_account' }],
    [`${h}${g}49,0,2/`, 'line 3, 49: an account trailer without its 03 account record', { says: 'bai2_malformed', line: '3', column: '49', problem: 'account_trailer_alone' }],
    [`${h}98,0,0,2/`, 'line 2, 98: a group trailer without its 02 group header', { says: 'bai2_malformed', line: '2', column: '98', problem: 'group_trailer_alone' }],
    [`${h}${g}03,A1,USD/\n98,0,1,3/`, 'line 4, 98: the account at line 3 has no 49 trailer', { says: 'bai2_malformed', line: '4', column: '98', problem: 'account_unclosed', at: '3' }],
    [`${h}${g}99,0,1,3/`, 'line 3, 99: the group at line 2 has no 98 trailer', { says: 'bai2_malformed', line: '3', column: '99', problem: 'group_unclosed', at: '2' }],
    [`${h}${g}17,X/`, 'line 3, 17: unknown record type "17" (expected 02, 03, 16, 49, 88, 98 or 99)', { says: 'bai2_malformed', line: '3', column: '17', problem: 'record_unknown', record: '17' }],
    [`${h}${g}03,A1,USD/\n16,175,100,,,,X`, 'the file ends at line 4 without its 99 file trailer', { says: 'bai2_truncated', line: '4' }],
  ])('refuses %j with its English and the same as a code and values', (text, words, details) => {
    const error = thrown(() => readBai2(text, 'x.bai2'));
    expect([error.message, error.details]).toEqual([`x.bai2: ${words}`, details]);
  });

  it('refuses a record with more than 500 continuations, as a code and values', () => {
    const error = thrown(() => readBai2(`01,S,R,240301,0800,1,,,2/\n${Array.from({ length: 501 }, () => '88,X').join('\n')}`, 'x.bai2'));
    expect([error.message, error.details]).toEqual(['x.bai2: line 502: record 01 at line 1 has more than 500 88 continuations', { says: 'bai2_continuations', line: '502', record: '01', recordLine: '1', max: '500' }]);
  });

  it('says each rejected detail as a code and values beside its unchanged English', () => {
    const details = [
      '16,1X,100,,,,X/',
      '16,890,100,,,,X/',
      '16,175,1.00,,,,X/',
      '16,175,100,V,240230,,,,X/',
      '16,175,100,D,99,,,X/',
      '16,175,100,Q,,,X/',
      `16,175,100,,${'R'.repeat(129)},,X/`,
      `16,175,100,,,,X\n${Array.from({ length: 60 }, () => `88,${'T'.repeat(70)}`).join('\n')}`,
      '17,175,100,,,,X/',
    ];
    const { rejected } = readBai2(`01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,JPY/\n${details.join('\n')}\n49,,/\n98,,,/\n99,,,/`, 'x.bai2').output;
    expect(rejected.map((rejection) => [rejection.reason, rejection.says, rejection.params])).toEqual([
      ['type code "1X" is not three digits', 'bai2_type_code_digits', { value: '1X' }],
      ['type code 890 is neither a credit (100-399) nor a debit (400-699) transaction', 'bai2_type_code_range', { value: '890' }],
      ['amount "1.00": expected unsigned digits with the decimal point implied by JPY', 'bai2_amount', { value: '1.00', currency: 'JPY' }],
      ['value date "240230" is not a calendar date (YYMMDD)', 'value_date_yymmdd', { value: '240230' }],
      ['distributed availability count "99" is not 0-31', 'bai2_distribution_count', { value: '99', max: '31' }],
      ['funds type "Q" is not 0, 1, 2, S, V, D or Z', 'bai2_funds_type', { value: 'Q' }],
      ['reference longer than 128 characters', 'bai2_reference_too_long', { max: '128' }],
      ['text longer than 4096 characters', 'bai2_text_too_long', { max: '4096' }],
      ['unknown record type "17" inside account A1', 'bai2_record_unknown', { record: '17', account: 'A1' }],
    ]);
  });
});

describe('BAI2 files that break a rule where the money is still readable (issue 14)', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, ISSUE14)));
  const importFixture = (name: string) => importBytes(fixture(name), name);
  const ruleIssues = (result: ImportResult) => result.issues.filter((issue) => issue.code === 'format_rule_broken');
  const noMismatch = (result: ImportResult) => expect(result.issues.filter((issue) => issue.code === 'control_total_mismatch')).toEqual([]);

  it('joins 03 summary groups that continue on an 88, whichever field the line break falls before', () => {
    const result = importFixture('summary-continuation.bai2');
    // 5000.00 + 300.00 - 100.00 = 5200.00; 2000.00 - 500.00 = 1500.00.
    expect(result.statements.map((statement) => [statement.account, statement.opening, statement.closing, statement.balanced])).toEqual([
      ['123456789', '5000.00', '5200.00', true],
      ['987654321', '2000.00', '1500.00', true],
    ]);
    noMismatch(result);
    expect(result.rejected).toEqual([]);
  });

  it('skips an empty summary group (,,,,) anywhere in an 03 record', () => {
    const result = importFixture('empty-summary-groups.bai2');
    // 1000.00 + 200.00 = 1200.00.
    expect(result.statements[0]).toMatchObject({ opening: '1000.00', closing: '1200.00', balanced: true, controlTotalsOk: true });
    noMismatch(result);
  });

  it('refuses an 88 on the first line as a BAI2 error, not an unrecognized format', () => {
    const error = thrown(() => importFile(IMPORTERS, fixture('first-line-88.bai2'), 'first-line-88.bai2', { format: 'auto', pseudonymization: { mode: 'off' } }));
    expect(error.code).toBe('file_malformed');
    expect(error.location).toEqual({ file: 'first-line-88.bai2', line: 1, column: '88' });
  });

  it('imports a file with blank 49 and 98 control totals with one warning naming both lines', () => {
    const result = importFixture('blank-control-total.bai2');
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['250.00']);
    // 1000.00 + 250.00 = 1250.00; the 99 total 250000 = 100000 + 125000 + 25000, the amounts the blank totals stand for.
    expect(result.statements[0]).toMatchObject({ balanced: true, controlTotalsOk: true });
    noMismatch(result);
    expect(ruleIssues(result).map((issue) => issue.line)).toEqual([5]);
    expect(ruleIssues(result)[0]?.message).toContain('lines 5, 6');
  });

  it('imports fields padded with stray spaces with one warning listing the lines', () => {
    const result = importFixture('stray-spaces.bai2');
    expect(sniffBai2(new TextDecoder().decode(fixture('stray-spaces.bai2')), 'stray-spaces.bai2')).toBe(true);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.references.bankReference, transaction.description])).toEqual([['-100.00', 'BR1', 'CHEQUE']]);
    // 1000.00 - 100.00 = 900.00.
    expect(result.statements[0]).toMatchObject({ opening: '1000.00', closing: '900.00', balanced: true, controlTotalsOk: true });
    noMismatch(result);
    expect(ruleIssues(result).map((issue) => issue.message)).toEqual([expect.stringContaining('lines 1, 2, 3, 4, 5, 6, 7')]);
  });

  it('splits several records written on one line after each ending slash', () => {
    const result = importFixture('several-records-per-line.bai2');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.references.bankReference])).toEqual([
      ['500.00', 'BR1'],
      ['-200.00', 'BR2'],
    ]);
    // 1000.00 + 500.00 - 200.00 = 1300.00.
    expect(result.statements[0]).toMatchObject({ balanced: true, controlTotalsOk: true });
    noMismatch(result);
    expect(ruleIssues(result).map((issue) => issue.message)).toEqual([expect.stringContaining('lines 1, 2, 3')]);
  });

  it('reads a file written in UTF-16 without a BOM (its zero bytes give it away), not an unrecognized format', () => {
    const text = new TextDecoder().decode(fixture('blank-control-total.bai2'));
    const utf16be = new Uint8Array([...text].flatMap((char) => [char.charCodeAt(0) >> 8, char.charCodeAt(0) & 0xff]));
    const result = importFile(IMPORTERS, utf16be, 'utf16.bai2', { format: 'auto', pseudonymization: { mode: 'off' } });
    expect(result.file.format).toBe('bai2');
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['250.00']);
  });

  it('keeps a slash inside a detail text as text', () => {
    const text = '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n16,175,100,,BR9,,INVOICE 12/03,04/\n49,100,3/\n98,100,1,5/\n99,100,1,7/';
    const result = importText(text);
    expect(result.transactions.map((transaction) => transaction.description)).toEqual(['INVOICE 12/03,04']);
    expect(ruleIssues(result)).toEqual([]);
  });

  it('points a rejected detail at its account statement', () => {
    const text = '01,S,R,240301,0800,1,,,2/\n02,R,B,1,240229,,USD,/\n03,A1,USD/\n49,0,2/\n03,A2,USD/\n16,890,100,,,,INFO/\n49,100,3/\n98,100,2,7/\n99,100,1,9/';
    expect(importText(text).rejected).toEqual([expect.objectContaining({ line: 6, code: 'field_invalid', statementIndex: 1 })]);
  });
});

describe('BAI2 parser under hostile input (fast-check)', () => {
  const parsesOrFailsTyped = (text: string): void => {
    expectParsesOrFailsTyped(() => readBai2(text, 'fuzz.bai2').output, 'fuzz.bai2', 'bai2', text.length);
  };

  // Our own fixtures too, so the fuzzing has samples on a clone without the shared corpus.
  const realTexts = [...bai2Files.map((file) => readRealWorldText(file.path)), ...['wrong-control-total.bai2', 'missing-99-trailer.bai2'].map((name) => readFileSync(new URL(name, FIXTURES), 'utf8'))];
  const pieces = textPieces(['\n', '\r\n', '01,', '02,', '03,', '16,', '88,', '49,', '98,', '99,', ',', '/', ',,', 'V', 'S', 'D', '99', '175', '475', '890', '+', '-', 'JPY', '240230']);

  it('never crashes on arbitrary text', () => {
    const bai2ish = fc.array(pieces, { maxLength: 60 }).map((parts) => `01,S,R,240301,0800,1,,,2/\n${parts.join('')}`);
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), bai2ish), parsesOrFailsTyped), { numRuns: 400 });
  });

  it('never crashes on mutated real files', () => {
    fc.assert(fc.property(editedTexts(realTexts, pieces), parsesOrFailsTyped), { numRuns: 600 });
  });
  // Issue 14: byte and line mutations of whole files, through decoding and the pipeline. Every
  // line that starts a 16 is imported or rejected, or the file is refused with a typed error.
  const RUN_MS_MAX = 2000;
  const samples = [
    ...realTexts,
    ...['summary-continuation.bai2', 'empty-summary-groups.bai2', 'blank-control-total.bai2', 'stray-spaces.bai2', 'several-records-per-line.bai2'].map((name) => readFileSync(new URL(name, ISSUE14), 'utf8')),
  ];
  const seen = { imported: 0, refused: 0 };
  const detailLines = (bytes: Uint8Array): number => {
    const text = new TextDecoder().decode(bytes);
    return text.split(/\r\n|\r|\n/).filter((line) => /^\s*16\s*,/.test(line)).length;
  };
  const importsOrRefuses = (bytes: Uint8Array): void => {
    const started = performance.now();
    try {
      const result = importFile([['bai2', bai2Importer]], bytes, 'fuzz.bai2', { format: 'bai2', pseudonymization: { mode: 'off' } });
      expect(result.entriesRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length + result.conflicts.length);
      expect(result.entriesRead).toBeGreaterThanOrEqual(detailLines(bytes));
      seen.imported++;
    } catch (error) {
      expect(error).toBeInstanceOf(FileImportError);
      seen.refused++;
    }
    expect(performance.now() - started).toBeLessThan(RUN_MS_MAX);
  };

  it('imports or refuses byte-mutated files, every row accounted for', () => {
    const mutated = byteMutated(samples.map((sample) => new TextEncoder().encode(sample)), [0x0a, 0x2c, 0x2f, 0x20, 0x00], 8);
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 300 });
  });

  it('imports or refuses line-mutated files (lines lost, repeated, swapped, joined, padded)', () => {
    const edit = fc.record({ at: fc.nat(), other: fc.nat(), kind: fc.constantFrom('delete', 'repeat', 'swap', 'join', 'indent', 'blank-total', 'insert'), piece: pieces });
    const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([sample, edits]) => {
      const lines = sample.split('\n');
      for (const { at, other, kind, piece } of edits) {
        const index = at % lines.length;
        const line = lines[index] ?? '';
        if (kind === 'delete') lines.splice(index, 1);
        else if (kind === 'repeat') lines.splice(index, 0, line);
        else if (kind === 'swap') [lines[index], lines[other % lines.length]] = [lines[other % lines.length] ?? '', line];
        else if (kind === 'join') lines.splice(index, 2, line + (lines[index + 1] ?? ''));
        else if (kind === 'indent') lines[index] = line.replaceAll(',', ' , ');
        else if (kind === 'blank-total') lines[index] = line.replace(/^(49|98|99),[^,]*/, '$1,');
        else lines.splice(index, 0, piece);
      }
      return new TextEncoder().encode(lines.join('\n'));
    });
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 300 });
  });

  it('reached both outcomes while mutating', () => {
    expectBothOutcomes(seen, 20);
  });
});
