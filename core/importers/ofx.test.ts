import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileImportError } from '../ingest/errors.ts';
import { importFile } from '../ingest/import-file.ts';
import type { ImportResult } from '../ingest/result.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { Decimal } from '../money/decimal.ts';
import { idFromReference } from '../transactions/identity.ts';
import { CanonicalTransaction } from '../transactions/schema.ts';
import { camt053Importer } from './camt.ts';
import { ofxImporter, parseOfxDate, readOfx } from './ofx.ts';
import {
  expectAllImported,
  expectAmount,
  expectBothOutcomes,
  expectManifestFile,
  expectParsesOrFailsTyped,
  importTextWith,
  byteMutated,
  describeRealWorld,
  manifestFiles,
  mutatedMarkup,
  readRealWorld,
  readRealWorldText,
  thrownBy,
} from './real-world-manifest.test-support.ts';

const ofxFiles = manifestFiles<{
  entry_count: number;
  statement_count: number;
  accounts: Array<{
    account: string;
    currency: string;
    statement_kind: string;
    opening_balance: string | null;
    derived_opening_balance: string;
    closing_balance: string;
    closing_balance_asof: string;
    available_balance: string;
    entry_count: number;
    sum_credits: string;
    sum_debits: string;
    banktranlist_count: number;
  }>;
  sample_entries: Array<{ amount: string; booking_date: string; date_posted_raw: string; reference: string; name: string; trntype: string }>;
}>(['ofx']);

function run(text: string, fileName = 'test.ofx'): ImportResult {
  return importTextWith(ofxImporter, 'ofx', text, fileName);
}

const failure = (runIt: () => unknown) => thrownBy(runIt);

describeRealWorld('real OFX files', () => describe.each(ofxFiles.map((file) => [file.path, file] as const))('real OFX file %s yields every MANIFEST fact', (_path, entry) => {
  const bytes = readRealWorld(entry.path);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const result = run(text, entry.path);
  const document = readOfx(text, entry.path);
  const expected = entry.expected;

  it('is the file the MANIFEST describes, sniffed as OFX and not as camt', () => {
    expectManifestFile(bytes, entry);
    expect(ofxImporter.sniff(text.slice(0, 4096), 'statement.dat')).toBe(true);
    expect(camt053Importer.sniff(text.slice(0, 4096), entry.path)).toBe(false);
  });

  it('accounts for every transaction and statement', () => {
    expectAllImported(result, expected.entry_count);
    expect(result.statements).toHaveLength(expected.statement_count);
    expect(document.statements).toHaveLength(expected.statement_count);
    for (const transaction of result.transactions) expect(CanonicalTransaction.parse(transaction)).toEqual(transaction);
  });

  it('reads each account: kind, balances (LEDGERBAL closing, no opening), counts and sums', () => {
    expect(result.statements.map((summary) => `${summary.account} ${summary.currency}`)).toEqual(expected.accounts.map((account) => `${account.account} ${account.currency}`));
    expected.accounts.forEach((account, index) => {
      const summary = result.statements[index];
      const statement = document.statements[index];
      expect(statement?.kind).toBe(account.statement_kind);
      expect(statement?.bankTranListCount).toBe(account.banktranlist_count);
      expect(statement?.ledgerBalance?.asOf).toBe(account.closing_balance_asof);
      expectAmount(statement?.availableBalance?.amount, account.available_balance, 'available balance');
      expectAmount(summary?.opening, account.opening_balance, 'opening');
      expect(summary?.openingTag).toBeNull();
      expectAmount(summary?.closing, account.closing_balance, 'closing');
      expect(summary?.closingTag).toBe('LEDGERBAL');
      expect(summary?.balanced).toBeNull();
      expect(summary?.controlTotalsOk).toBeNull();
      expect(summary?.entries).toBe(account.entry_count);
      expectAmount(summary?.credits, account.sum_credits, 'credits');
      expectAmount(summary?.debits, account.sum_debits, 'debits');
      const derived = new Decimal(summary?.closing ?? 'NaN').minus(summary?.credits ?? 'NaN').plus(summary?.debits ?? 'NaN');
      expectAmount(derived.toFixed(), account.derived_opening_balance, 'derived opening');
    });
  });

  it('reads the sample transactions: amount, date, FITID, name and type', () => {
    expected.sample_entries.forEach((sample, index) => {
      const transaction = result.transactions[index];
      expect(transaction).toBeDefined();
      if (transaction === undefined) return;
      expectAmount(transaction.amount, sample.amount, `sample ${index}`);
      expect(transaction.bookingDate).toBe(sample.booking_date);
      expect(transaction.occurredAt.slice(0, 10)).toBe(sample.booking_date);
      expect(transaction.raw.DTPOSTED).toBe(sample.date_posted_raw);
      expect(transaction.references.bankReference).toBe(sample.reference);
      expect(transaction.id).toBe(idFromReference(`bank:${expected.accounts[0]?.account ?? ''}`, transaction.account, sample.reference));
      expect(transaction.counterparty.name).toBe(sample.name);
      expect(transaction.raw.TRNTYPE).toBe(sample.trntype);
      // A time with a zone gives the instant; a time without one keeps only the date.
      const zoned = /\[[+-]?\d/.test(sample.date_posted_raw) && sample.date_posted_raw.length > 8;
      expect(transaction.occurredAt === sample.booking_date).toBe(!zoned);
    });
  });
}));

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/ofx/${name}`, import.meta.url), 'utf8');
/** Regression fixtures of issue 14 ("Trust every file"). */
const issue14 = (name: string): string => readFileSync(new URL(`./fixtures/ofx-issue14/${name}`, import.meta.url), 'utf8');

describe('parseOfxDate', () => {
  it.each([
    ['20131215', { date: '2013-12-15', instant: null }],
    ['20110331120000.000', { date: '2011-03-31', instant: null }],
    ['20090401122017.000[-5:EST]', { date: '2009-04-01', instant: '2009-04-01T12:20:17.000-05:00' }],
    ['20240131120000[-5:EST]', { date: '2024-01-31', instant: '2024-01-31T12:00:00-05:00' }],
    ['20240201093000[+5.5:IST]', { date: '2024-02-01', instant: '2024-02-01T09:30:00+05:30' }],
    ['20240201093000[0:GMT]', { date: '2024-02-01', instant: '2024-02-01T09:30:00+00:00' }],
    ['202402010930[-3.5]', { date: '2024-02-01', instant: '2024-02-01T09:30:00-03:30' }],
    ['20240229', { date: '2024-02-29', instant: null }],
  ])('%s', (text, expected) => {
    expect(parseOfxDate(text)).toEqual(expected);
  });

  it.each(['20230229', '20241301', '2024013', '20240131250000', '20240131120000[-15:X]', '20240131120000[-5.13:X]', 'yesterday', ''])('refuses %j', (text) => {
    expect(parseOfxDate(text)).toBeNull();
  });
});

describe('OFX transactions that cannot be read become Rejections; the rest imports', () => {
  const text = fixture('ofx-bad-entries.ofx');
  const result = run(text);
  const lineOf = (fitId: string): number => text.split('\n').findIndex((line) => line.includes(`<FITID>${fitId}<`) || line.includes(`<FITID>${fitId}\n`)) + 1;

  it('imports good transactions: comma decimals, entities, zones, no FITID', () => {
    expect(result.rowsRead).toBe(7);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.occurredAt, transaction.counterparty.name, transaction.source.line])).toEqual([
      ['100.25', '2024-01-31T12:00:00-05:00', 'AT&T & Co', lineOf('F1')],
      ['-2.50', '2024-02-01T09:30:00.5+05:30', 'Fee', 16],
    ]);
    expect(result.statements).toEqual([
      expect.objectContaining({ account: '9876', currency: 'USD', closing: '97.75', closingTag: 'LEDGERBAL', credits: '100.25', debits: '2.50', entries: 2 }),
    ]);
  });

  it('rejects each bad transaction with its line, element and code', () => {
    expect(result.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([
      [lineOf('F2'), 'STMTTRN/TRNAMT', 'amount_not_decimal'],
      [lineOf('F3'), 'STMTTRN/DTPOSTED', 'date_invalid'],
      [lineOf('F4'), 'STMTTRN/DTPOSTED', 'date_missing'],
      [lineOf('F5'), 'STMTTRN/TRNAMT', 'amount_minor_units'],
      [lineOf('F6'), 'STMTTRN/TRNAMT', 'field_missing'],
    ]);
    for (const rejection of result.rejected) expect(rejection.raw.startsWith('<STMTTRN>')).toBe(true);
  });

  it('says what each reason says as a code and its values, the English reason unchanged', () => {
    expect(result.rejected.map((rejection) => [rejection.reason, rejection.says, rejection.params])).toEqual([
      ['amount "12.3.4": more than one decimal separator "."', 'amount_text_unreadable', { value: '12.3.4', problem: 'decimal_twice', decimalSeparator: '.' }],
      ['DTPOSTED "20240231": expected YYYYMMDD[HHMMSS[.XXX]][[offset:zone]]', 'ofx_date_invalid', { element: 'DTPOSTED', value: '20240231' }],
      ['the transaction has no DTPOSTED', 'ofx_date_missing', {}],
      ['amount "-1.005" has more decimals than USD allows (2)', 'amount_text_minor_units', { value: '-1.005', currency: 'USD', digits: '2' }],
      ['the transaction has no TRNAMT', 'ofx_amount_missing', {}],
    ]);
    // The F1 transaction with one fact broken each: an available date, its currency.
    const said = (from: string, to: string) => run(text.replace(from, to)).rejected.map((rejection) => [rejection.reason, rejection.says, rejection.params])[0];
    expect(said('<TRNTYPE>CREDIT<DTPOSTED>', '<TRNTYPE>CREDIT<DTAVAIL>soon<DTPOSTED>')).toEqual(['DTAVAIL "soon": expected YYYYMMDD[HHMMSS[.XXX]][[offset:zone]]', 'ofx_date_invalid', { element: 'DTAVAIL', value: 'soon' }]);
    expect(said('<FITID>F1<NAME>', '<FITID>F1<CURRENCY><CURSYM>XYZ<CURRATE>1</CURRENCY><NAME>')).toEqual(['unknown currency "XYZ"', 'currency_text_unknown', { value: 'XYZ' }]);
    expect(said('<CURDEF>USD', '<CURDEF>')).toEqual(['CURDEF is empty and the transaction names no CURRENCY/CURSYM', 'ofx_currency_missing', {}]);
  });
});

describe('OFX 2.x credit-card statement with a foreign-currency transaction', () => {
  const result = run(fixture('ofx-v200-creditcard.ofx'));

  it('reads CCSTMTRS and keeps a CURRENCY transaction in its own currency section', () => {
    expect(result.statements.map((summary) => [summary.account, summary.currency, summary.closing, summary.entries, summary.debits])).toEqual([
      ['4111-XXXX', 'EUR', '-19.99', 1, '19.99'],
      ['4111-XXXX', 'USD', null, 1, '5.00'],
    ]);
    expect(result.transactions.map((transaction) => transaction.raw['CURRENCY/CURRATE'] ?? null)).toEqual([null, '1.1']);
  });
});

describe('OFX files that break a rule while the money is unambiguous import with a warning (issue 14)', () => {
  const warnings = (result: ImportResult) => result.issues.filter((issue) => issue.code === 'format_rule_broken');

  it('reads an OFX 2 (XML) header over an SGML body as SGML', () => {
    const text = issue14('xml-header-sgml-body.ofx');
    expect(readOfx(text, 'x.ofx').syntax).toBe(1);
    const result = run(text);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.currency, transaction.references.bankReference])).toEqual([
      ['120.00', 'EUR', 'X1'],
      ['-45.50', 'EUR', 'X2'],
    ]);
    expect(result.statements[0]).toMatchObject({ account: 'DE-4455', closing: '74.50', closingTag: 'LEDGERBAL' });
    expect(warnings(result).map((issue) => issue.line)).toEqual([1]);
    expect(warnings(result)[0]?.message).toContain('body is OFX 1 SGML');
    // An XML body that is simply broken stays an XML error.
    expect(failure(() => run('<?xml version="1.0"?><OFX><STMTRS></OFX>')).code).toBe('xml_malformed');
    // One leaf left open is SGML, though other leaves (one of them empty) have their end tags.
    const mixed = '<?xml version="1.0"?>\n<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</ACCTID><BANKID></BANKID></BANKACCTFROM><LEDGERBAL><BALAMT>0<DTASOF>20240101</LEDGERBAL></STMTRS></OFX>\n';
    expect(run(mixed).statements[0]).toMatchObject({ account: '1', currency: 'USD', closing: '0.00', entries: 0 });
  });

  it('takes an empty CURDEF when each transaction names its currency, and rejects one that names none', () => {
    const result = run(issue14('empty-curdef.ofx'));
    expect(result.rowsRead).toBe(3);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.currency])).toEqual([
      ['-12.00', 'GBP'],
      ['-800', 'JPY'],
    ]);
    expect(result.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code, rejection.statementIndex])).toEqual([[12, 'STMTTRN/CURRENCY/CURSYM', 'currency_missing', 0]]);
    // One section per currency named; LEDGERBAL has no currency to be read in, so no section has a closing balance.
    expect(result.statements.map((summary) => [summary.currency, summary.closing, summary.debits])).toEqual([
      ['GBP', null, '12.00'],
      ['JPY', null, '800'],
    ]);
    expect(warnings(result).map((issue) => issue.line)).toEqual([7, 14]);
  });

  it('reads an empty BALAMT as no balance, and an empty leaf as empty', () => {
    const text = issue14('empty-balance.ofx');
    const result = run(text);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.raw['MEMO'], transaction.description])).toEqual([['10.00', '', null]]);
    expect(result.statements[0]).toMatchObject({ currency: 'USD', closing: null, closingTag: null, balanced: null });
    expect(readOfx(text, 'x.ofx').statements[0]?.availableBalance).toEqual({ amount: '10.00', asOf: '20240531' });
    expect(warnings(result).map((issue) => issue.line)).toEqual([12]);
    expect(warnings(result)[0]?.message).toContain('LEDGERBAL/BALAMT is empty');
    expect(warnings(result).map((issue) => [issue.says, issue.params])).toEqual([['balamt_empty', { balance: 'LEDGERBAL', lines: '12', more: '' }]]);
  });

  it('closes a list left open at the end of the file, and says what was not closed', () => {
    const result = run(issue14('unclosed-list-eof.ofx'));
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['25.00', '-5.25']);
    // No LEDGERBAL (it would have come after the list): the statement stays unchecked, never "balanced".
    expect(result.statements[0]).toMatchObject({ credits: '25.00', debits: '5.25', closing: null, balanced: null });
    expect(warnings(result).map((issue) => issue.line)).toEqual([6, 11]);
    expect(warnings(result)[0]?.message).toContain('has no LEDGERBAL');
    expect(warnings(result)[1]?.message).toContain('<BANKTRANLIST> (line 9)');
    // The open elements as values for another language, innermost first as the message lists them (lines 9, 6, 6, 6, 5 of the fixture).
    expect(warnings(result)[1]?.message).toBe('test.ofx: line 11: the file ends with <BANKTRANLIST> (line 9), <STMTRS> (line 6), <STMTTRNRS> (line 6), <BANKMSGSRSV1> (line 6), <OFX> (line 5) not closed: read as closed there; if the file was cut short, what followed is missing');
    expect([warnings(result)[1]?.says, warnings(result)[1]?.params]).toEqual(['ends_unclosed', { elements: 'BANKTRANLIST,STMTRS,STMTTRNRS,BANKMSGSRSV1,OFX', elementLines: '9,6,6,6,5', lines: '11', more: '' }]);
  });

  it('closes a list that an enclosing end tag closes', () => {
    const result = run(`${issue14('unclosed-list-eof.ofx')}<LEDGERBAL><BALAMT>19.75<DTASOF>20240630</LEDGERBAL>\n</STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n`);
    // LEDGERBAL opens inside the unclosed BANKTRANLIST, so it is not the statement's: 25.00 - 5.25 = 19.75 is not checked.
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['25.00', '-5.25']);
    const closing = warnings(result).find((issue) => issue.line === 13);
    expect(closing?.message).toBe('test.ofx: line 13: </STMTRS> closes <BANKTRANLIST> (line 9), which has no end tag');
    expect([closing?.says, closing?.params]).toEqual(['end_tag_closes_open', { endTag: 'STMTRS', elements: 'BANKTRANLIST', elementLines: '9', lines: '13', more: '' }]);
  });

  it('reads a file that ends after a complete line inside a transaction, and refuses one cut inside a line', () => {
    const text = fixture('ofx-truncated.ofx');
    const result = run(text);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.references.bankReference])).toEqual([
      ['1.00', 'F1'],
      ['2.00', null],
    ]);
    expect(warnings(result).at(-1)?.message).toContain('<STMTTRN> (line 11)');
    expect(failure(() => run(text.trimEnd()))).toMatchObject({ code: 'file_truncated', location: { line: 11 } });
  });
});

describe('OFX amounts read by string steps equal decimal.js', () => {
  const EXPONENTS: Record<string, number> = { USD: 2, JPY: 0, KWD: 3 };
  it('for generated plain amounts in currencies of 0, 2 and 3 decimals', () => {
    const amount = fc.tuple(fc.constantFrom('', '-'), fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,14}$/)), fc.option(fc.stringMatching(/^\d{0,4}$/), { nil: undefined }));
    fc.assert(
      fc.property(fc.constantFrom('USD', 'JPY', 'KWD'), amount, (currency, [sign, whole, fraction]) => {
        const raw = `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        const text = `OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>${currency}<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST><STMTTRN><DTPOSTED>20240101<TRNAMT>${raw}</STMTTRN></BANKTRANLIST></STMTRS></OFX>\n`;
        const output = readOfx(text, 'x.ofx').output;
        const exponent = EXPONENTS[currency] ?? 2;
        // core/money reads "12." as 12, as decimal.js reads "12".
        const decimal = new Decimal(raw.endsWith('.') ? raw.slice(0, -1) : raw);
        if (decimal.isNaN() || decimal.decimalPlaces() > exponent) {
          expect(output.entries).toEqual([]);
          return;
        }
        // decimal.js's own text at the currency's scale, without a "-0".
        const expected = decimal.isZero() ? decimal.abs().toFixed(exponent) : decimal.toFixed(exponent);
        expect(output.entries.map((entry) => entry.amount)).toEqual([expected]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('OFX files refused whole, with typed errors', () => {
  it.each([
    ['ofx-xxe.ofx', 'xml_doctype_refused', 2],
    ['ofx-unclosed-transaction.ofx', 'file_malformed', 11],
  ])('%s -> %s at line %i', (name, code, line) => {
    expect(failure(() => run(fixture(name)))).toMatchObject({ code, location: { line } });
  });

  it.each([
    ['', 'file_empty'],
    ['just some text', 'file_format_unrecognized'],
    ['OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>USD</STMTRS></OFX>', 'file_malformed'],
    ['OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>XXX<BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS></OFX>', 'file_malformed'],
    ['OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><LEDGERBAL><BALAMT>x</LEDGERBAL></STMTRS></OFX>', 'file_malformed'],
    ['OFXHEADER:100\n\n<OFX></OFX><OFX></OFX>', 'file_malformed'],
    ['OFXHEADER:100\n\n<OFX><A B>1</OFX>', 'file_malformed'],
    ['OFXHEADER:100\n\n<OFX><A', 'file_malformed'],
    ['<?xml version="1.0"?><BANK></BANK>', 'file_format_mismatch'],
    ['<?xml version="1.0"?><OFX><A></OFX>', 'xml_malformed'],
    [`OFXHEADER:100\n\n${'<A>'.repeat(100)}`, 'xml_too_deep'],
    ['OFXHEADER:100\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD</INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>', 'file_format_unrecognized'],
    ['OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS>\n<STMTTRN><TRNAMT>1.00</STMTTRN></OFX>', 'file_malformed'],
    [`OFXHEADER:100\n\n<OFX><NAME>${'x'.repeat(100_001)}</OFX>`, 'field_too_long'],
  ])('%j -> %s', (text, code) => {
    expect(failure(() => run(text)).code).toBe(code);
  });

  it.each([
    ['', 'test.ofx: the file is empty', { says: 'file_empty' }],
    ['just some text', 'test.ofx: not an OFX file (expected an OFXHEADER: header or <OFX>)', { says: 'ofx_not_ofx' }],
    ['<?xml version="1.0"?><BANK></BANK>', 'test.ofx: the root element is <BANK>, an OFX file has <OFX>', { says: 'ofx_root', root: 'BANK' }],
    ['OFXHEADER:100\n\n<!DOCTYPE x>\n<OFX></OFX>', 'test.ofx: a DOCTYPE or ENTITY declaration at line 3, column 1 is refused (bank files never need one; it is how XXE and entity-expansion attacks work)', { says: 'xml_doctype_refused', line: '3', column: '1' }],
    [`OFXHEADER:100\n\n${'<A>'.repeat(100)}`, 'test.ofx: elements nest deeper than 64 levels at line 3', { says: 'ofx_too_deep', depthMax: '64', line: '3' }],
    ['OFXHEADER:100\n\n<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD</INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>', 'test.ofx: line 3: OFX investment statements (INVSTMTRS) are not supported', { says: 'ofx_investment', line: '3' }],
    ['<?xml version="1.0"?><OFX><INVSTMTRS></INVSTMTRS></OFX>', 'test.ofx: line 1: OFX investment statements (INVSTMTRS) are not supported', { says: 'ofx_investment', line: '1' }],
    [`OFXHEADER:100\n\n<OFX><NAME>${'x'.repeat(100_001)}</OFX>`, 'test.ofx: <NAME> at line 3 has 100001 characters, more than 100000', { says: 'ofx_field_too_long', element: 'NAME', line: '3', length: '100001', max: '100000' }],
    [`OFXHEADER:100\n\n<OFX><${'A'.repeat(50)}>x`, 'test.ofx: the file ends in the middle of a line inside <OFX> opened at line 3: the last value may be cut short', { says: 'ofx_truncated', element: 'OFX', line: '3' }],
  ])('says %j refused as a code and values beside its English', (text, message, details) => {
    const error = failure(() => run(text));
    expect([error.message, error.details]).toEqual([message, details]);
  });

  it.each([
    ['<OFX><STMTRS><CURDEF>USD</STMTRS></OFX>', '3, column 6: <STMTRS> has no BANKACCTFROM/ACCTID', { problem: 'account_missing', element: 'STMTRS', from: 'BANKACCTFROM' }],
    ['<OFX><STMTRS><CURDEF>XXX<BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS></OFX>', '3, column 14: <STMTRS> CURDEF "XXX" is not a known currency', { problem: 'curdef_unknown', element: 'STMTRS', value: 'XXX' }],
    ['<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><LEDGERBAL><BALAMT>x</LEDGERBAL></STMTRS></OFX>', '3, column 63: LEDGERBAL/BALAMT "x" is not an amount in USD', { problem: 'balance_unreadable', balance: 'LEDGERBAL', value: 'x', currency: 'USD' }],
    ['<OFX></OFX><OFX></OFX>', '3, column 12: expected one <OFX> element, found 2 top-level elements', { problem: 'roots_count', count: '2' }],
    ['<OFX><A B>1</OFX>', '3, column 6: <A B> is not an OFX tag name', { problem: 'tag_name_invalid', tag: 'A B' }],
    ['<OFX><A', '3, column 6: a tag is not closed with ">"', { problem: 'tag_open' }],
    ['<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM></STMTRS>\n<STMTTRN><TRNAMT>1.00</STMTTRN></OFX>', '4, column 1: a STMTTRN outside the BANKTRANLIST of a STMTRS or CCSTMTRS would be lost', { problem: 'transaction_stray' }],
    ['<OFX></B></OFX>', '3, column 6: </B> has no open <B>', { problem: 'end_unopened', tag: 'B' }],
    ['<OFX><A><B>1</B>text</A></OFX>', '3, column 17: text "text" outside a leaf element', { problem: 'text_outside_leaf', text: 'text' }],
    // A transaction whose first tag lost its '<' (fuzz-found): its text was taken as a leaf's and the STMTTRN silently dropped.
    ['<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>\n<STMTTRN>\nTRNTYPE>FEE<TRNAMT>-2.50</STMTTRN></BANKTRANLIST></STMTRS></OFX>', '5, column 1: text "TRNTYPE>FEE" outside a leaf element', { problem: 'text_outside_leaf', text: 'TRNTYPE>FEE' }],
    ['<OFX><STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>1</BANKACCTFROM><STMTRS></STMTRS></STMTRS></OFX>', '3, column 63: <STMTRS> opens inside the <STMTRS> of line 3', { problem: 'statement_nested', element: 'STMTRS', outer: 'STMTRS', outerLine: '3' }],
  ])('says %j malformed as a code and values beside its English', (body, words, values) => {
    const error = failure(() => run(`OFXHEADER:100\n\n${body}`));
    const [line, column] = words.split(': ')[0]?.split(', column ') ?? [];
    expect([error.message, error.details]).toEqual([`test.ofx: line ${words}`, { says: 'ofx_malformed', line, column, ...values }]);
  });

  it('says a transaction opened inside an unclosed one and one outside a statement, as codes and values', () => {
    const error = failure(() => run(fixture('ofx-unclosed-transaction.ofx')));
    expect([error.message, error.details]).toEqual(['test.ofx: line 11, column 1: it opens inside the <STMTTRN> of line 10, which is not closed', { says: 'ofx_malformed', line: '11', column: '1', problem: 'transaction_nested', openLine: '10' }]);
    const stray = failure(() => run('<?xml version="1.0"?><OFX><STMTTRN><TRNAMT>1</TRNAMT></STMTTRN></OFX>'));
    expect([stray.message, stray.details]).toEqual(['test.ofx: line 1, column 27: a STMTTRN outside the BANKTRANLIST of a STMTRS or CCSTMTRS would be lost', { says: 'ofx_malformed', line: '1', column: '27', problem: 'transaction_stray' }]);
  });

  it('does not backtrack on the input that stalls node-ofx-parser', () => {
    const started = performance.now();
    expect(failure(() => run(`OFXHEADER:100\n\n<OFX><${'A'.repeat(5000)}>x`)).code).toBe('file_truncated');
    expect(failure(() => run(`OFXHEADER:100\n\n<OFX><${'A'.repeat(5000)}`)).code).toBe('file_malformed');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('OFX fuzzing: a ParseOutput or a SettleDeskError, never a TypeError', () => {
  const samples = [...ofxFiles.map((file) => readRealWorldText(file.path)), fixture('ofx-bad-entries.ofx'), fixture('ofx-v200-creditcard.ofx')];
  const seen = { imported: 0, refused: 0 };

  function survives(text: string): void {
    seen[expectParsesOrFailsTyped(() => ofxImporter.parse(text, { fileName: 'test.ofx', sha256: sha256Hex(text), pseudonymize: (id) => id }), 'test.ofx', 'ofx', text.length)]++;
  }

  it('survives arbitrary strings', () => {
    const sgmlish = fc.string({ unit: fc.constantFrom('<', '>', '/', 'OFX', 'STMTTRN', 'TRNAMT', '1', '.', '-', '&', ';', '[', ']', ':', ' ', '\n', '<!--') });
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), sgmlish.map((body) => `OFXHEADER:100\n\n<OFX>${body}`)), survives), { numRuns: 400 });
  });

  it('survives mutated real files (deleted, replaced and inserted text, truncation)', () => {
    const pieces = ['<', '>', '</STMTTRN>', '<STMTTRN>', '<TRNAMT>1,5', '-', '1e5', '1,5', '0.001', '20240230', '20240101120000[+5.5:IST]', 'JPY', 'XXX', '-0.00', '&amp;', '&', '[-99:X]', '<CURRENCY><CURSYM>JPY</CURRENCY>', '', '<![CDATA[x]]>', '</OFX>'];
    fc.assert(fc.property(mutatedMarkup(samples, pieces, { lengthMax: 30, changesMax: 4 }), survives), { numRuns: 400 });
    expectBothOutcomes(seen, 20);
  });
});

/**
 * Issue 14: byte and line mutations of whole files, through decoding, sniffing and the pipeline.
 * Each run imports, with every STMTTRN start tag of the text imported, rejected, a duplicate or
 * a conflict, or refuses the file with a FileImportError (never an untyped throw), in bounded time.
 */
describe('OFX mutation test: byte and line mutations never lose a row, crash or hang', () => {
  const RUN_MS_MAX = 2000;
  const texts = [
    ...['ofx-bad-entries.ofx', 'ofx-v200-creditcard.ofx'].map(fixture),
    ...['xml-header-sgml-body.ofx', 'empty-curdef.ofx', 'empty-balance.ofx', 'unclosed-list-eof.ofx'].map(issue14),
  ];
  const samples = [...ofxFiles.map((file) => readRealWorld(file.path)), ...texts.map((text) => new TextEncoder().encode(text))];
  const seen = { imported: 0, refused: 0 };

  /** STMTTRN start tags in the text, counted without the parser. */
  const transactionTags = (bytes: Uint8Array): number => (new TextDecoder('utf-8').decode(bytes).match(/<\s*STMTTRN[\s>/]/g) ?? []).length;

  function importsOrRefuses(bytes: Uint8Array): void {
    const started = performance.now();
    try {
      const result = importFile([['ofx', ofxImporter]], bytes, 'fuzz.ofx', { format: 'auto', pseudonymization: { mode: 'off' } });
      expect(result.entriesRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length + result.conflicts.length);
      expect(result.entriesRead).toBe(transactionTags(bytes));
      for (const transaction of result.transactions) CanonicalTransaction.parse(transaction);
      seen.imported++;
    } catch (error) {
      expect(error).toBeInstanceOf(FileImportError);
      seen.refused++;
    }
    expect(performance.now() - started).toBeLessThan(RUN_MS_MAX);
  }

  it('imports or refuses byte-mutated files, every STMTTRN accounted for', () => {
    const mutated = byteMutated(samples, [0x3c, 0x3e, 0x2f, 0x20, 0x0a, 0x26, 0x2d], 6);
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 200 });
  });

  it('imports or refuses line-mutated files (lines lost, repeated, swapped, joined, indented, cut)', () => {
    const edit = fc.record({ at: fc.nat(), other: fc.nat(), kind: fc.constantFrom('delete', 'repeat', 'swap', 'join', 'indent', 'cut') });
    const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([sample, edits]) => {
      const lines = new TextDecoder('utf-8').decode(sample).split('\n');
      for (const { at, other, kind } of edits) {
        const index = at % lines.length;
        const line = lines[index] ?? '';
        if (kind === 'delete') lines.splice(index, 1);
        else if (kind === 'repeat') lines.splice(index, 0, line);
        else if (kind === 'swap') [lines[index], lines[other % lines.length]] = [lines[other % lines.length] ?? '', line];
        else if (kind === 'join') lines.splice(index, 2, line + (lines[index + 1] ?? ''));
        else if (kind === 'indent') lines[index] = `  ${line}`;
        else lines.splice(index + 1);
      }
      return new TextEncoder().encode(lines.join('\n'));
    });
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 200 });
    expectBothOutcomes(seen, 20);
  });
});
