import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileImportError } from '../ingest/errors.ts';
import { decodeGuessingSingleByte, decodeText } from '../ingest/decode.ts';
import { importFile } from '../ingest/import-file.ts';
import type { ImportResult } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { CanonicalTransaction } from '../transactions/schema.ts';
import { sniffBai2 } from './bai2.ts';
import { FIELD_86_LENGTH_MAX, mt940Importer, parseMt940, sniffMt940 } from './mt940.ts';
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
import { LINE_LENGTH_MAX } from './text-lines.ts';

const FIXTURES = new URL('./fixtures/mt940/', import.meta.url);
const ISSUE14 = new URL('./fixtures/mt940-issue14/', import.meta.url);

interface ManifestStatement extends ManifestAccountTotals {
  readonly reference_20: string;
  readonly balances_reconcile: boolean | null;
  readonly opening_tag: string;
  readonly closing_tag: string;
}

interface ManifestSample {
  readonly amount: string;
  readonly booking_date: string | null;
  readonly value_date: string | null;
  readonly reference: string;
  readonly bank_reference: string | null;
}

const mt940Files = manifestFiles<{
  readonly entry_count: number;
  readonly statement_count: number;
  readonly accounts: readonly ManifestAccountTotals[];
  readonly statements: readonly ManifestStatement[];
  readonly sample_entries: readonly ManifestSample[];
}>(['mt940']);

function importBytes(bytes: Uint8Array, fileName: string): ImportResult {
  return importBytesWith(mt940Importer, 'mt940', bytes, fileName);
}

function importText(text: string, fileName = 'inline.sta'): ImportResult {
  return importBytes(new TextEncoder().encode(text), fileName);
}

const thrown = (run: () => unknown): FileImportError => thrownBy(run, FileImportError);

describeRealWorld('MT940 real files', () => describe.each(mt940Files.map((file) => [file.path, file] as const))('MT940 real file %s', (path, file) => {
  const bytes = readRealWorld(path);
  const result = importBytes(bytes, path);
  const { expected } = file;

  it('is the file the manifest describes, and sniffs as MT940 only', () => {
    expectManifestFile(bytes, file);
    const head = new TextDecoder().decode(bytes.subarray(0, 4096));
    expect(sniffMt940(head, path)).toBe(true);
    expect(sniffBai2(head, path)).toBe(false);
  });

  it('imports every entry, none rejected, each a valid canonical transaction', () => {
    expectAllImported(result, expected.entry_count);
    for (const transaction of result.transactions) {
      expect(() => CanonicalTransaction.parse(transaction)).not.toThrow();
      expect(transaction.kind).toBe('transfer');
      expect(transaction.occurredAt).toBe(transaction.bookingDate);
      expect(transaction.raw[':61:']).toBeTruthy();
    }
  });

  it('reads every statement: id, account, currency, balances and tags, entries, sums, balance check', () => {
    expect(result.statements).toHaveLength(expected.statement_count);
    expected.statements.forEach((want, index) => {
      const got = result.statements[index];
      expect(got).toBeDefined();
      if (got === undefined) return;
      expect(got.statementId).toBe(want.reference_20);
      expect(got.account).toBe(want.account);
      expect(got.currency).toBe(want.currency);
      expectAmount(got.opening, want.opening_balance);
      expectAmount(got.closing, want.closing_balance);
      expect(got.openingTag).toBe(want.opening_tag);
      expect(got.closingTag).toBe(want.closing_tag);
      expectSectionTotals(got, want);
      expect(got.controlTotalsOk).toBeNull();
    });
    expectBalanceIssues(result, expected.statements);
  });

  it('totals per account and currency over the whole file', () => {
    expectAccountTotals(result, expected.accounts);
  });

  it.each(expected.sample_entries.map((sample, index) => [index, sample] as const))('has sample entry %i', (_index, sample) => {
    const matches = result.transactions.filter(
      (transaction) =>
        new Decimal(transaction.amount).equals(sample.amount) &&
        transaction.bookingDate === sample.booking_date &&
        transaction.valueDate === sample.value_date &&
        transaction.references.bankReference === sample.bank_reference &&
        transaction.references.externalId === (sample.reference === 'NONREF' ? null : sample.reference),
    );
    expect(matches.length).toBeGreaterThanOrEqual(1);
    for (const match of matches) expect(match.raw[':61:']).toContain(sample.reference);
  });
}));

describeRealWorld('MT940 details read from the real files', () => {
  const read = (name: string) => importBytes(readRealWorld(`mt940/${name}`), name);

  it('reads structured >20.. subfields (Triodos) into remittance text and counterparty account', () => {
    const [first, second] = read('triodos-structured-86.sta').transactions;
    expect(first?.description).toBe('ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010');
    expect(first?.counterparty).toEqual({ name: null, account: '0390123456' });
    expect(second?.description).toBe('HUUR KANTOOR - FEB 2010');
    expect(first?.raw[':86:']).toBe('000>100987654321\n>20ALGEMENE TUSSENREKENING KOS>21TEN VAN 01-10-2010 TOT EN M\n>22ET 31-12-2010>310390123456');
  });

  it("reads Knab's REK:/NAAM: counterparty and a customer reference with spaces", () => {
    const transactions = read('knab-two-statements.sta').transactions;
    expect(transactions[1]?.counterparty).toEqual({ name: 'PICQER', account: 'NL65INGB0123456789' });
    expect(transactions[2]?.counterparty).toEqual({ name: 'MMS ONLINE NEDERLAND B.V.', account: 'NL84INGB0234561789' });
    expect(transactions[2]?.references.externalId).toBe('29-07-2014 10:05');
  });

  it('keeps multi-line :86: free text and the :61: supplementary line (mBank)', () => {
    const [first] = read('mbank-pln-soh-etx.sta').transactions;
    expect(first?.raw[':61:']).toBe('1701190119CN0,01NTRFNONREF//MB170119012058\n911-TRANSAKCJA IPH');
    expect(first?.description).toMatch(/^911 TRANSAKCJA COLLECT; ID IPH: XX000000000001; Z RACH\.: 56114010810000267002001001; OD: JAN NOWAK UL\. NIJAKA/);
  });

  it("does not attach ING's :86: after :62F: to the last entry", () => {
    const transactions = read('ing-legacy.sta').transactions;
    expect(transactions.at(-1)?.raw[':86:']).not.toContain('D000004C000002');
    expect(transactions.at(-1)?.description).toBe('0111111111 Hr S Marechal ROSMALEN Hr S Marechal ROSMALEN Betaling transactiedatum: 22-07-2010');
  });
});

describe('MT940 dialects', () => {
  const statement = (lines61: string, opening = 'C240101EUR0,00', closing = 'C240101EUR0,00') =>
    `:20:T1\n:25:ACC1\n:28C:1\n:60F:${opening}\n${lines61}\n:62F:${closing}\n-\n`;

  it('signs reversals: RC (reversal of a credit) is money out, RD (reversal of a debit) money in', () => {
    const result = importText(statement(':61:2401010101RC10,00NTRFNONREF\n:61:2401010101RD2,5NTRFNONREF\n:61:2401010101RDE3,NTRFNONREF', 'C240101EUR10,00', 'C240101EUR5,50'));
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['-10.00', '2.50', '3.00']);
    expect(result.statements[0]?.balanced).toBe(true);
  });

  it('dates an entry booked in January for a December value date in the next year', () => {
    const result = importText(statement(':61:2312310102D1,00NTRFNONREF', 'C231231EUR1,00'));
    expect(result.transactions[0]?.valueDate).toBe('2023-12-31');
    expect(result.transactions[0]?.bookingDate).toBe('2024-01-02');
  });

  it('scales amounts to the currency: JPY has no minor unit, a JPY fraction is rejected', () => {
    const result = importText(statement(':61:240101D2700,NTRFNONREF\n:61:240101D1,5NTRFNONREF', 'C240101JPY3000,', 'C240101JPY300,'));
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['-2700']);
    expect(result.rejected.map((rejection) => [rejection.code, rejection.line])).toEqual([['amount_minor_units', 6]]);
  });

  it('reads ?-numbered subfields with SEPA keys, split across lines mid-field', () => {
    const result = importText(statement(':61:240101C5,00NTRFNONREF\n:86:166?00GUTSCHRIFT?100599?20EREF+E2E-1 SVWZ+Rechnung 4\n711?21 vom 1.1.?30COBADEFFXXX?31DE89370400440532013000?32Muster GmbH?33 Berlin', 'C240101EUR0,00', 'C240101EUR5,00'));
    const [transaction] = result.transactions;
    expect(transaction?.description).toBe('Rechnung 4711 vom 1.1.');
    expect(transaction?.references.endToEndId).toBe('E2E-1');
    expect(transaction?.counterparty).toEqual({ name: 'Muster GmbH Berlin', account: 'DE89370400440532013000' });
  });

  it('reads /KEY/ subfields (ABN AMRO SEPA) and ING /CNTP/', () => {
    const result = importText(
      statement(
        ':61:240101D5,00N658NONREF\n:86:/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/J\nANSEN/REMI/Factuur 12/EREF/NOTPROVIDED\n:61:240101D1,00NTRFNONREF\n:86:/CNTP/NL20INGB0001234567/INGBNL2A/Shop BV/Amsterdam/REMI/USTD//Order 9/',
        'C240101EUR6,00',
      ),
    );
    const [abn, ing] = result.transactions;
    expect(abn?.counterparty).toEqual({ name: 'JANSEN', account: 'NL44RABO0123456789' });
    expect(abn?.description).toBe('Factuur 12');
    expect(abn?.references.endToEndId).toBeNull();
    expect(ing?.counterparty).toEqual({ name: 'Shop BV', account: 'NL20INGB0001234567' });
    expect(ing?.description).toBe('Order 9');
  });

  it('reads statements in a SWIFT envelope and statements without end markers', () => {
    const text = `{1:F01BANKBEBBAXXX0000000000}{2:O940BANKBEBBAXXXX}{4:\n:20:A\n:25:ACC1\n:28C:1\n:60F:C240101EUR0,\n:61:240101C1,NTRFNONREF\n:62F:C240101EUR1,\n:20:B\n:25:ACC1\n:28C:2\n:60F:C240102EUR1,\n:62F:C240102EUR1,\n-}\n`;
    expect(sniffMt940(text, 'x.fin')).toBe(true);
    const result = importText(text);
    expect(result.statements.map((each) => [each.statementId, each.balanced])).toEqual([
      ['A', true],
      ['B', true],
    ]);
  });

  it('uses a customer reference other than NONREF as external id and a // part as bank reference', () => {
    const result = importText(statement(':61:240101C1,NTRFINV-2024-1//BANKREF9\n:61:240101C1,NTRFnonref', 'C240101EUR0,', 'C240101EUR2,'));
    expect(result.transactions.map((transaction) => transaction.references)).toEqual([
      { externalId: 'INV-2024-1', batchId: null, endToEndId: null, bankReference: 'BANKREF9' },
      { externalId: null, batchId: null, endToEndId: null, bankReference: null },
    ]);
  });

  it('does not sniff CSV, BAI2 or camt text', () => {
    expect(sniffMt940('date,amount\n2024-01-01,5.00\n', 'a.csv')).toBe(false);
    expect(sniffMt940('01,SENDER,RECEIVER,240301,0800,1,,,2/\n', 'a.bai2')).toBe(false);
    expect(sniffMt940('<?xml version="1.0"?><Document>', 'a.xml')).toBe(false);
  });
});

describe('MT940 malformed files', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

  it('rejects an entry with a bad date, imports the rest, and the statement shows the gap', () => {
    const result = importBytes(fixture('bad-date.sta'), 'bad-date.sta');
    expect(result.rejected).toEqual([
      { line: 7, column: ':61:', code: 'date_invalid', reason: expect.stringContaining('240231'), raw: expect.stringContaining(':86:ENTRY DATED 31 FEBRUARY'), statementIndex: 0, says: 'value_date_yymmdd', params: { value: '240231' } },
    ]);
    expect(result.transactions.map((transaction) => transaction.references.bankReference)).toEqual(['REF1', 'REF3']);
    expect(result.rowsRead).toBe(result.transactions.length + result.rejected.length);
    // A statement that lost an entry is never balanced: its sums lack the rejected 20.00.
    expect(result.statements[0]?.balanced).toBe(false);
    expect(result.issues.map((issue) => issue.code)).toEqual(['statement_incomplete']);
  });

  it('rejects an entry with a bad amount and imports the rest', () => {
    const result = importBytes(fixture('bad-amount.sta'), 'bad-amount.sta');
    expect(result.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([[5, ':61:', 'amount_not_decimal']]);
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['7.50']);
    expect(result.rowsRead).toBe(2);
  });

  it.each([
    ['a wrong mark', ':61:240101X1,00NTRFNONREF', 'field_invalid'],
    ['a missing transaction type', ':61:240101C1,00', 'field_invalid'],
    ['a bad entry date', ':61:2401011301C1,00NTRFNONREF', 'date_invalid'],
    ['29 February outside a leap year', ':61:230229C1,00NTRFNONREF', 'date_invalid'],
    ['an empty :61:', ':61:', 'date_missing'],
    ['an empty amount', ':61:240101CNTRFNONREF', 'amount_empty'],
    ['a 16-digit amount', ':61:240101C1234567890123,45NTRFNONREF', 'amount_too_long'],
    ['two decimal commas', ':61:240101C1,2,3NTRFNONREF', 'amount_not_decimal'],
    ['an absurdly long :86:', `:61:240101C1,NTRFNONREF\n:86:${Array.from({ length: Math.ceil(FIELD_86_LENGTH_MAX / 60) + 1 }, () => 'Y'.repeat(60)).join('\n')}`, 'field_too_long'],
  ])('rejects an entry with %s', (_name, line61, code) => {
    const text = `:20:T1\n:25:ACC1\n:28C:1\n:60F:C240101EUR0,\n${line61}\n:61:240101C2,NTRFNONREF\n:62F:C240101EUR2,\n`;
    const result = importText(text);
    expect(result.rejected.map((rejection) => [rejection.code, rejection.statementIndex])).toEqual([[code, 0]]);
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['2.00']);
    // 0.00 + 2.00 = 2.00 would balance, but the statement lost an entry: not balanced.
    expect(result.statements[0]?.balanced).toBe(false);
  });

  it.each([
    ['text without statements', 'hello\nworld\n', 'file_format_unrecognized', 1, 1],
    ['an empty file', '', 'file_format_unrecognized', 1, 1],
    ['an entry before :20:', ':61:240101C1,NTRFNONREF\n', 'file_malformed', 1, ':61:'],
    ['a statement without :25:', ':20:T\n:60F:C240101EUR0,\n:62F:C240101EUR0,\n-\n', 'file_malformed', 1, ':25:'],
    ['a bad opening balance', ':20:T\n:25:A\n:60F:C240101EUR1.5\n:62F:C240101EUR0,\n-\n', 'file_malformed', 3, ':60F:'],
    ['an unknown currency', ':20:T\n:25:A\n:60F:C240101XYZ1,\n:62F:C240101XYZ1,\n-\n', 'file_malformed', 3, ':60F:'],
    ['an entry after the closing balance', ':20:T\n:25:A\n:60F:C240101EUR0,\n:62F:C240101EUR0,\n:61:240101C1,NTRFNONREF\n-\n', 'file_malformed', 5, ':61:'],
    ['an absurdly long account', `:20:T\n:25:${'9'.repeat(200)}\n:60F:C240101EUR0,\n:62F:C240101EUR0,\n-\n`, 'field_too_long', 2, ':25:'],
    ['an absurdly long line', `:20:T\n:25:A\n:86:${'x'.repeat(LINE_LENGTH_MAX)}\n`, 'field_too_long', 3, LINE_LENGTH_MAX + 1],
  ])('refuses %s', (_name, text, code, line, column) => {
    const error = thrown(() => importText(text, 'bad.sta'));
    expect(error.code).toBe(code);
    expect(error.location).toEqual({ file: 'bad.sta', line, column });
  });
});

describe('MT940 refusals and rejections said as a code and values (for another language)', () => {
  const head = ':20:T\n:25:A\n:60F:C240101EUR0,\n';
  it.each([
    ['hello\n', 'no MT940 statement found (expected a line starting with :20:)', { says: 'mt940_no_statement' }],
    [':61:240101C1,NTRFNONREF\n', 'line 1, :61: appears before any :20: (a statement starts with :20:)', { says: 'mt940_malformed', line: '1', tag: '61', problem: 'before_statement' }],
    [':20: \n', 'line 1, :20: is empty', { says: 'mt940_malformed', line: '1', tag: '20', problem: 'identifier_empty' }],
    [`:20:${'T'.repeat(65)}\n`, 'line 1, :20: longer than 64 characters', { says: 'mt940_identifier_too_long', line: '1', tag: '20', max: '64' }],
    [':20:T\n:25:A\n:60F:X\n', 'line 3, :60F: "X": expected C or D, a YYMMDD date, a currency and an amount such as C110522EUR3236,28', { says: 'mt940_malformed', line: '3', tag: '60F', problem: 'balance_layout', value: 'X' }],
    [':20:T\n:25:A\n:60F:C240230EUR0,\n', 'line 3, :60F: date "240230" is not a calendar date (YYMMDD)', { says: 'mt940_malformed', line: '3', tag: '60F', problem: 'balance_date', value: '240230' }],
    [':20:T\n:25:A\n:60F:C240101XYZ0,\n', 'line 3, :60F: currency "XYZ" is not an ISO 4217 code', { says: 'mt940_malformed', line: '3', tag: '60F', problem: 'balance_currency', value: 'XYZ' }],
    // 1,5 in JPY: 1.5 has a decimal where the yen has none.
    [':20:T\n:25:A\n:60F:C240101JPY1,5\n', 'line 3, :60F: amount "1,5" has more decimals than JPY allows (0)', { says: 'mt940_balance_amount', line: '3', tag: '60F', amountSays: 'amount_text_minor_units', value: '1,5', currency: 'JPY', digits: '0' }],
    [':20:T\n:25:A\n:60F:C240101EUR1.5\n', 'line 3, :60F: amount "1.5": expected digits and a decimal comma, such as 1234,56', { says: 'mt940_balance_amount', line: '3', tag: '60F', amountSays: 'mt940_amount_not_decimal', value: '1.5' }],
    [':20:T\n:25:A\n:25:B\n', 'line 3, :25: a statement has one account (:25:)', { says: 'mt940_malformed', line: '3', tag: '25', problem: 'account_twice' }],
    [`${head}:60F:C240101EUR0,\n`, 'line 4, :60F: a statement has one opening balance', { says: 'mt940_malformed', line: '4', tag: '60F', problem: 'opening_twice' }],
    [':20:T\n:25:A\n:61:240101C1,NTRFNONREF\n', 'line 3, :61: an entry before the opening balance :60F:/:60M:', { says: 'mt940_malformed', line: '3', tag: '61', problem: 'entry_before_opening' }],
    [`${head}:62F:C240101EUR0,\n:61:240101C1,NTRFNONREF\n`, 'line 5, :61: an entry after the closing balance :62F:/:62M:', { says: 'mt940_malformed', line: '5', tag: '61', problem: 'entry_after_closing' }],
    [':20:T\n:25:A\n:62F:C240101EUR0,\n', 'line 3, :62F: a closing balance without an opening balance :60F:/:60M:', { says: 'mt940_malformed', line: '3', tag: '62F', problem: 'closing_without_opening' }],
    [`${head}:62F:C240101EUR0,\n:62F:C240101EUR0,\n`, 'line 5, :62F: a statement has one closing balance', { says: 'mt940_malformed', line: '5', tag: '62F', problem: 'closing_twice' }],
    [':20:T\n:60F:C240101EUR0,\n', 'line 1, :25: missing: statement starting at line 1 names no account', { says: 'mt940_malformed', line: '1', tag: '25', problem: 'account_missing', start: '1' }],
    [':20:T\n:25:A\n', 'line 1, :60F: missing: statement starting at line 1 has no opening balance', { says: 'mt940_malformed', line: '1', tag: '60F', problem: 'opening_missing', start: '1' }],
    [`${head}:62F:C240101USD0,\n`, 'line 4, :62F: closing currency USD differs from opening currency EUR', { says: 'mt940_malformed', line: '4', tag: '62F', problem: 'currencies_differ', closing: 'USD', opening: 'EUR' }],
  ])('refuses %j with its English and the same as a code and values', (text, words, details) => {
    const error = thrown(() => parseMt940(text, 'x.sta'));
    expect([error.message, error.details]).toEqual([`x.sta: ${words}`, details]);
  });

  it('says each rejected entry as a code and values beside its unchanged English', () => {
    const entries = [
      ':61:',
      ':61:240231C1,NTRFNONREF',
      ':61:2401011301C1,NTRFNONREF',
      ':61:240101X1,00NTRFNONREF',
      ':61:240101CNTRFNONREF',
      ':61:240101C1234567890123,45NTRFNONREF',
      ':61:240101C1.5NTRFNONREF',
      ':61:240101C1,2,3NTRFNONREF',
      ':61:240101C1,005NTRFNONREF',
      ':61:240101C1,00',
      `:61:240101C1,NTRF${'R'.repeat(300)}`,
      `:61:240101C1,NTRFNONREF\n:86:${Array.from({ length: 70 }, () => 'Y'.repeat(60)).join('\n')}`,
      '61:240101C1,NTRFLOST',
    ];
    const { rejected } = parseMt940(`${head}${entries.join('\n')}\n:62F:C240101EUR0,\n`, 'x.sta');
    expect(rejected.map((rejection) => [rejection.reason, rejection.says, rejection.params])).toEqual([
      [':61: is empty; expected a YYMMDD value date first', 'mt940_61_empty', {}],
      ['value date "240231" is not a calendar date (YYMMDD)', 'value_date_yymmdd', { value: '240231' }],
      ['entry date "1301" is not a calendar date (MMDD)', 'mt940_entry_date', { value: '1301' }],
      ['expected the debit/credit mark C, D, RC or RD at "X1,00NTRFNON…"', 'mt940_mark_expected', { near: 'X1,00NTRFNON…' }],
      ['amount is missing', 'mt940_amount_missing', {}],
      ['amount "1234567890123,45" has more than the 15 significant characters MT940 allows', 'mt940_amount_too_long', { value: '1234567890123,45', max: '15' }],
      ['amount "1.5": expected digits and a decimal comma, such as 1234,56', 'mt940_amount_not_decimal', { value: '1.5' }],
      ['amount "1,2,3": more than one decimal separator ","', 'amount_text_unreadable', { value: '1,2,3', problem: 'decimal_twice', decimalSeparator: ',' }],
      ['amount "1,005" has more decimals than EUR allows (2)', 'amount_text_minor_units', { value: '1,005', currency: 'EUR', digits: '2' }],
      ['expected a transaction type such as NTRF after the amount at ""', 'mt940_type_expected', { near: '' }],
      [':61: is longer than 256 characters', 'mt940_field_too_long', { tag: '61', max: '256' }],
      [':86: is longer than 4096 characters', 'mt940_field_too_long', { tag: '86', max: '4096' }],
      ['"61:240101C1,…": a tag line without its leading colon (expected :61:)', 'mt940_colon_lost', { value: '61:240101C1,…', tag: '61' }],
    ]);
  });
});

describe('MT940 files that break a rule where the money is still readable (issue 14)', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, ISSUE14)));
  const importFixture = (name: string) => importBytes(fixture(name), name);
  const ruleIssues = (result: ImportResult) => result.issues.filter((issue) => issue.code === 'format_rule_broken').map((issue) => issue.line);

  it('accepts any run of leading zeros, keeps the 15-character limit on significant digits, reads a comma-less amount with a warning', () => {
    const result = importFixture('zero-padded-amounts.sta');
    // 0000000001000,89 -> 1000.89; 00000000000000000000050,00 -> 50.00 debit; 500 (no comma) -> 500.00.
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['1000.89', '-50.00', '500.00']);
    expect(result.statements[0]?.opening).toBe('100.00');
    // 1234567890123,45 is 16 significant characters, over the 15 MT940 allows.
    expect(result.rejected).toEqual([expect.objectContaining({ line: 9, column: ':61:', code: 'amount_too_long', statementIndex: 0 })]);
    // 100.00 + 1000.89 - 50.00 + 500.00 = 1550.89, the closing balance.
    expect(result.statements[0]?.closing).toBe('1550.89');
    expect(result.statements[0]?.credits).toBe('1500.89');
    expect(ruleIssues(result)).toEqual([11]);
    expect(result.issues.find((issue) => issue.code === 'format_rule_broken')?.message).toContain('decimal comma');
    // The same rule as a code and values, for another language: one line listed, none more.
    expect(result.issues.filter((issue) => issue.code === 'format_rule_broken').map((issue) => [issue.says, issue.params])).toEqual([['comma_missing', { lines: '11', more: '' }]]);
  });

  it('accepts a transaction type S, N or F followed by three characters with spaces, kept in raw', () => {
    const result = importFixture('type-code-spaces.sta');
    expect(result.rejected).toEqual([]);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.references.bankReference])).toEqual([
      ['25.00', 'BANK1'],
      ['-5.00', 'BANK2'],
    ]);
    expect(result.transactions[0]?.raw[':61:']).toContain('S   XREF1');
    expect(result.transactions[1]?.raw[':61:']).toContain('F 12NONREF');
    // 0.00 + 25.00 - 5.00 = 20.00.
    expect(result.statements[0]?.balanced).toBe(true);
  });

  it('reports a tag that lost its leading colon as a rejected line, before and after :62F:, without swallowing it', () => {
    const result = importFixture('corrupted-tag.sta');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.references.bankReference])).toEqual([
      ['10.00', 'OK1'],
      ['5.00', 'OK2'],
    ]);
    expect(result.transactions[0]?.raw[':86:']).toBe('GOOD ENTRY');
    expect(result.transactions.map((transaction) => JSON.stringify(transaction.raw))).not.toContain('LOST');
    expect(result.rejected).toEqual([
      expect.objectContaining({ line: 7, column: ':61:', code: 'record_malformed', statementIndex: 0, raw: expect.stringContaining('LOST1') }),
      expect.objectContaining({ line: 11, column: ':61:', code: 'record_malformed', statementIndex: 0, raw: expect.stringContaining('LOST2') }),
    ]);
    expect(result.rowsRead).toBe(4);
    // 100.00 + 10.00 + 5.00 = 115.00 is not the stated 85.00 (the lost 30.00 debit is in it).
    expect(result.statements[0]?.balanced).toBe(false);
  });

  it('reads a tag line indented by spaces as the tag, never as text of the field before, with a warning', () => {
    const result = importFixture('indented-tags.sta');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.raw[':86:']])).toEqual([
      ['1.00', 'FIRST'],
      ['2.00', 'SECOND'],
    ]);
    // 10.00 + 1.00 + 2.00 = 13.00.
    expect(result.statements[0]?.balanced).toBe(true);
    expect(ruleIssues(result)).toEqual([7]);
  });

  it('reads a :61: with stray spaces between date, mark and amount, with a warning', () => {
    const text = ':20:T1\n:25:ACC1\n:28C:1\n:60F:C240101EUR0,\n:61: 240101 0101 D 1,50 NTRFNONREF//SP1\n:61:240101C4,NTRFNONREF//SP2\n:62F:C240101EUR2,50\n-\n';
    const result = importText(text);
    // 0.00 - 1.50 + 4.00 = 2.50.
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.bookingDate, transaction.references.bankReference])).toEqual([
      ['-1.50', '2024-01-01', 'SP1'],
      ['4.00', '2024-01-01', 'SP2'],
    ]);
    expect(result.statements[0]?.balanced).toBe(true);
    expect(ruleIssues(result)).toEqual([5]);
  });

  it('reads a balance without its C/D mark when it is zero, leaves a non-zero one out (its sign would be a guess)', () => {
    const result = importFixture('balance-without-mark.sta');
    expect(result.statements[0]).toMatchObject({ opening: '0.00', closing: null, closingTag: null, balanced: null });
    // 12.50 - 2.50 = 10.00: both entries import.
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['12.50', '-2.50']);
    expect(ruleIssues(result)).toEqual([4, 7]);
    expect(result.issues.find((issue) => issue.line === 7)?.message).toContain('left out');
  });

  it('imports a statement without :62F: with a warning on its last line', () => {
    const result = importBytes(readFileSync(new URL('missing-62f.sta', FIXTURES)), 'missing-62f.sta');
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['1.00']);
    expect(result.statements.map((statement) => [statement.statementId, statement.closing, statement.balanced])).toEqual([
      ['NOCLOSE1', null, null],
      ['NOCLOSE2', '101.00', true],
    ]);
    expect(ruleIssues(result)).toEqual([6]);
  });

  it('imports a file that ends before :62F:, rejecting the cut entry (its type code is missing)', () => {
    const result = importBytes(readFileSync(new URL('truncated-statement.sta', FIXTURES)), 'truncated-statement.sta');
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['50.00']);
    expect(result.rejected).toEqual([expect.objectContaining({ line: 7, code: 'field_invalid', statementIndex: 0 })]);
    expect(result.statements[0]?.closing).toBeNull();
    expect(ruleIssues(result)).toEqual([7]);
    expect(result.issues.find((issue) => issue.code === 'format_rule_broken')?.message).toContain('ends');
  });
});

describe('MT940 narrative in a single-byte code page (issue 14)', () => {
  const importAuto = (name: string, encoding?: 'utf-8') =>
    importFile([['mt940', mt940Importer]], new Uint8Array(readFileSync(new URL(name, ISSUE14))), name, { format: 'auto', encoding, pseudonymization: { mode: 'off' } });

  it('reads Windows-1250 narrative, imports every amount, and warns with the lines it guessed', () => {
    const result = importAuto('narrative-cp1250.sta');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.description])).toEqual([
      ['-250.00', 'Płatność za fakturę 12/2024 Łódź, ul. Źródlana'],
      ['40.00', 'Zwrot opłaty'],
    ]);
    // 1000.00 - 250.00 + 40.00 = 790.00.
    expect(result.statements[0]?.balanced).toBe(true);
    const warning = result.issues.find((issue) => issue.code === 'encoding_replaced');
    expect(warning?.line).toBe(6);
    expect(warning?.message).toContain('windows-1250');
    expect(warning?.message).toContain('6, 7, 9');
  });

  it('reads CP852 narrative', () => {
    const result = importAuto('narrative-cp852.sta');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.description])).toEqual([['120.50', 'Przelew środków, Gdańsk Żory']]);
    expect(result.issues.find((issue) => issue.code === 'encoding_replaced')?.message).toContain('cp852');
  });

  it('rejects an entry whose reference holds a guessed character, never a reference that depends on the code page', () => {
    const result = importAuto('reference-not-utf8.sta');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.description])).toEqual([['-2.00', 'Gebühr Straße']]);
    expect(result.rejected).toEqual([expect.objectContaining({ line: 5, code: 'field_invalid', statementIndex: 0, says: 'reference_guessed_bytes', params: { encoding: 'windows-1252' } })]);
    expect(result.rejected[0]?.reason).toBe('the account or a reference holds bytes that are not UTF-8 (read as windows-1252, a guess): name the file\'s encoding to import this entry');
    expect(result.issues.find((issue) => issue.code === 'encoding_replaced')?.message).toContain('5, 6, 8');
  });

  it('still refuses the file when an encoding was named and the bytes do not fit it', () => {
    const error = thrown(() => importAuto('narrative-cp1250.sta', 'utf-8'));
    expect(error.code).toBe('file_encoding_invalid');
    expect(error.location).toMatchObject({ line: 6 });
  });
});

describe('MT940 parser under hostile input (fast-check)', () => {
  const parsesOrFailsTyped = (text: string): void => {
    expectParsesOrFailsTyped(() => parseMt940(text, 'fuzz.sta'), 'fuzz.sta', 'mt940', text.length);
  };

  // Our own fixtures too, so the fuzzing has samples on a clone without the shared corpus.
  const realTexts = [...mt940Files.map((file) => readRealWorldText(file.path)), ...['bad-amount.sta', 'bad-date.sta', 'missing-62f.sta'].map((name) => readFileSync(new URL(name, FIXTURES), 'utf8'))];
  const pieces = textPieces(['\n', '\r\n', ':20:', ':25:', ':60F:', ':61:', ':86:', ':62F:', '-', 'C', 'D', 'RC', 'RD', ',', '//', '?20', '>31', '/NAME/', '\u0001', '\u0003', '2402300230', '9']);

  it('never crashes on arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join(''))), parsesOrFailsTyped), { numRuns: 400 });
  });

  it('never crashes on mutated real files', () => {
    fc.assert(fc.property(editedTexts(realTexts, pieces), parsesOrFailsTyped), { numRuns: 600 });
  });
  // Issue 14: byte and line mutations of whole files, through decoding (UTF-16 sniffing, the
  // single-byte fallback) and the pipeline. Every :61: line (or money tag that lost its colon) is
  // imported or rejected, or the file is refused with a typed error; no run takes long.
  const RUN_MS_MAX = 2000;
  const sampleBytes = [
    ...realTexts.map((text) => new TextEncoder().encode(text)),
    ...['narrative-cp1250.sta', 'corrupted-tag.sta', 'zero-padded-amounts.sta', 'balance-without-mark.sta'].map((name) => new Uint8Array(readFileSync(new URL(name, ISSUE14)))),
  ];
  const seen = { imported: 0, refused: 0 };
  const rowLines = (bytes: Uint8Array): number => {
    const text = (() => {
      try {
        return decodeText(bytes, 'fuzz.sta').text;
      } catch {
        return decodeGuessingSingleByte(bytes).text;
      }
    })();
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((line) => line.replaceAll('\u0001', '').replaceAll('\u0003', ''));
    return lines.filter((line) => /^\s*:61:/.test(line) || /^\s*(?:61|6[02][FM]):[CD]?\d{6}/.test(line)).length;
  };
  const importsOrRefuses = (bytes: Uint8Array): void => {
    const started = performance.now();
    try {
      const result = importFile([['mt940', mt940Importer]], bytes, 'fuzz.sta', { format: 'mt940', pseudonymization: { mode: 'off' } });
      expect(result.entriesRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length + result.conflicts.length);
      expect(result.entriesRead).toBe(rowLines(bytes));
      seen.imported++;
    } catch (error) {
      expect(error).toBeInstanceOf(FileImportError);
      seen.refused++;
    }
    expect(performance.now() - started).toBeLessThan(RUN_MS_MAX);
  };

  it('imports or refuses byte-mutated files, every row accounted for', () => {
    const mutated = byteMutated(sampleBytes, [0x0a, 0x3a, 0x2c, 0x00, 0xe9], 8);
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 300 });
  });

  it('imports or refuses line-mutated files (lines lost, repeated, swapped, joined, colons dropped, spaces added)', () => {
    const edit = fc.record({ at: fc.nat(), other: fc.nat(), kind: fc.constantFrom('delete', 'repeat', 'swap', 'join', 'uncolon', 'indent', 'insert'), piece: pieces });
    const mutated = fc.tuple(fc.constantFrom(...sampleBytes), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([sample, edits]) => {
      const lines = decodeGuessingSingleByte(sample).text.split('\n');
      for (const { at, other, kind, piece } of edits) {
        const index = at % lines.length;
        const line = lines[index] ?? '';
        if (kind === 'delete') lines.splice(index, 1);
        else if (kind === 'repeat') lines.splice(index, 0, line);
        else if (kind === 'swap') [lines[index], lines[other % lines.length]] = [lines[other % lines.length] ?? '', line];
        else if (kind === 'join') lines.splice(index, 2, line + (lines[index + 1] ?? ''));
        else if (kind === 'uncolon') lines[index] = line.replace(/^:/, '');
        else if (kind === 'indent') lines[index] = ` ${line}`;
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
