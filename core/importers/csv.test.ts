import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../errors.ts';
import type { ImportContext } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import { parseDateTime, zoneResolver, occurredAtOf } from './csv-dates.ts';
import { parseCsvProfile, type CsvProfileInput } from './csv-profile.ts';
import { csvImporter, decodeWithProfile, parseWithProfile } from './csv.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url)));

const context = (fileName: string): ImportContext => ({ fileName, sha256: 'f'.repeat(64), pseudonymize: (id) => `pseudo(${id})` });

function thrown(run: () => unknown): SettleDeskError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettleDeskError);
    return error as SettleDeskError;
  }
  throw new Error('expected an error');
}

// The profile a user would save beside the export; the CLI test imports with the same file.
const deBank = JSON.parse(readFileSync(new URL('./fixtures/csv/bank-de-windows1252.profile.json', import.meta.url), 'utf8')) as CsvProfileInput;

describe('csvImporter on a German bank export (Windows-1252, preamble, Soll/Haben)', () => {
  const profile = parseCsvProfile(deBank);
  const text = decodeWithProfile(fixture('bank-de-windows1252.csv'), 'bank-de.csv', profile).text;
  const output = csvImporter.parse(text, context('bank-de.csv'), deBank);

  it('skips the preamble, finds the header and keeps physical line numbers', () => {
    expect(output.rowsRead).toBe(6);
    expect(output.entries.map((entry) => [entry.line, entry.amount])).toEqual([
      [6, '12500.00'],
      [7, '-45.90'],
      [8, '1234.56'],
      [10, '-9.99'],
    ]);
  });

  it('decodes Windows-1252 names and keeps quoted delimiters inside a field', () => {
    const refund = output.entries[1];
    expect(refund?.counterparty.name).toBe('Björn Ståhl');
    expect(refund?.description).toBe('Erstattung; Bestellung 4711');
    expect(refund?.valueDate).toBe('2026-03-04');
    expect(refund?.account).toBe('DE44500105175407324931');
    expect(refund?.raw['Währung']).toBe('EUR');
  });

  it('rejects an impossible date and a row with both debit and credit, with line, column and code', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [9, 'Buchungstag', 'date_invalid'],
      [11, 'Soll', 'amount_sign_ambiguous'],
    ]);
    expect(output.rejected[0]?.raw).toContain('31.02.2026');
  });

  it('says an impossible date and a row with both debit and credit by code, with their values', () => {
    expect(output.rejected.map((r) => [r.says, r.params])).toEqual([
      ['date_invalid_time_none', { columnName: 'Buchungstag', value: '31.02.2026', format: 'DD.MM.YYYY' }],
      ['debit_and_credit', { debit: 'Soll', credit: 'Haben' }],
    ]);
    expect(output.rejected.map((r) => r.reason)).toEqual(['Buchungstag: "31.02.2026" is not a valid date in the format DD.MM.YYYY', 'both Soll and Haben hold an amount']);
  });

  it('refuses to guess the encoding: the same bytes as UTF-8 are a located encoding error', () => {
    const error = thrown(() => decodeWithProfile(fixture('bank-de-windows1252.csv'), 'bank-de.csv', parseCsvProfile({ ...deBank, encoding: 'utf-8' })));
    expect(error.code).toBe('file_encoding_invalid');
    expect(error.location.line).toBe(1);
  });

  it('finalizes into transactions with fingerprint ids and the row account', () => {
    const result = finalizeImport(output, context('bank-de.csv'), 'csv', 631);
    expect(result.transactions).toHaveLength(4);
    expect(new Set(result.transactions.map((t) => t.id)).size).toBe(4);
    expect(result.rowsRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length);
  });
});

const krPartner: CsvProfileInput = {
  name: 'kr-partner',
  encoding: 'euc-kr',
  date: { format: 'YYYY-MM-DD', time: 'required', timeZone: 'Asia/Seoul' },
  sign: { convention: 'direction', amount: '금액', direction: '구분', inValues: ['입금'], outValues: ['출금'] },
  currency: { column: '통화' },
  kind: { fixed: 'sale' },
  columns: { date: '거래일시', partner: '파트너', product: '상품', customerId: '고객번호' },
  id: { policy: 'reference', column: '주문번호' },
};

describe('csvImporter on a Korean partner file (EUC-KR, direction column, Asia/Seoul times)', () => {
  const profile = parseCsvProfile(krPartner);
  const text = decodeWithProfile(fixture('partner-kr-euckr.csv'), 'kr.csv', profile).text;
  const output = parseWithProfile(text, context('kr.csv'), profile);

  it('reads wall times with the source zone offset and signs amounts by direction', () => {
    expect(output.entries.map((entry) => [entry.occurredAt, entry.bookingDate, entry.amount, entry.currency])).toEqual([
      ['2026-03-01T00:15:00+09:00', '2026-03-01', '33000', 'KRW'],
      ['2026-03-01T09:30:12+09:00', '2026-03-01', '55000', 'KRW'],
      ['2026-03-02T14:00:00+09:00', '2026-03-02', '-33000', 'KRW'],
    ]);
  });

  it('identifies rows by the order id and pseudonymizes the customer id', () => {
    expect(output.entries[0]?.identity).toEqual({ by: 'reference', namespace: 'csv:kr-partner', reference: 'ORD-1001' });
    expect(output.entries[0]?.references.externalId).toBe('ORD-1001');
    expect(output.entries[0]?.customerRef).toBe('pseudo(C-77)');
    // The customer id survives in raw only as its pseudonym.
    expect(output.entries[0]?.raw['고객번호']).toBe('pseudo(C-77)');
    expect(output.entries[0]?.partnerId).toBe('studio-hana');
  });

  it('rejects fractional won and an unknown direction', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [5, '금액', 'amount_minor_units'],
      [6, '구분', 'field_invalid'],
    ]);
    expect(output.rejected.map((r) => [r.says, r.params])).toEqual([
      ['amount_minor_units', { columnName: '금액', amount: '12000.5', currency: 'KRW', digits: '0' }],
      ['direction_unknown', { columnName: '구분', value: '보류', in: '입금', out: '출금' }],
    ]);
    expect(output.rejected[1]?.reason).toBe('구분: "보류" is neither in (입금) nor out (출금)');
  });
});

// The profile a user would save beside the orders export.
const usOrders = JSON.parse(readFileSync(new URL('./fixtures/csv/orders-us-utf8-bom.profile.json', import.meta.url), 'utf8')) as CsvProfileInput;

describe('csvImporter on a UTF-8 BOM export with quoted newlines and bad rows', () => {
  const text = decodeWithProfile(fixture('orders-us-utf8-bom.csv'), 'orders.csv', parseCsvProfile(usOrders)).text;
  const output = csvImporter.parse(text, context('orders.csv'), usOrders);

  it('strips the BOM, keeps quoted newlines inside a field and counts physical lines', () => {
    expect(output.entries.map((entry) => [entry.line, entry.references.externalId, entry.amount, entry.kind])).toEqual([
      [2, 'A-1', '1234.56', 'sale'],
      [3, 'A-2', '-20.00', 'refund'],
      [11, 'A-9', '-7.50', 'sale'],
    ]);
    expect(output.entries[1]?.description).toBe('Customer wrote:\n"arrived broken"');
  });

  it('gives every bad row its own code and column', () => {
    expect(output.rejected.map((r) => [r.line, r.column, r.code])).toEqual([
      [5, 'Amount', 'amount_not_decimal'],
      [6, null, 'column_count'],
      [7, 'Type', 'kind_unknown'],
      [8, 'Currency', 'currency_unknown'],
      [9, 'Amount', 'amount_minor_units'],
      [10, 'Order ID', 'field_missing'],
    ]);
    expect(output.rowsRead).toBe(output.entries.length + output.rejected.length);
  });

  it('says what each reason says as a code and its values, the English reason unchanged', () => {
    expect(output.rejected.map((r) => [r.line, r.reason, r.says, r.params])).toEqual([
      // The fixture's line 5 writes 12.3.4.
      [5, 'Amount: amount "12.3.4": more than one decimal separator "."', 'amount_unreadable', { columnName: 'Amount', value: '12.3.4', problem: 'decimal_twice', decimalSeparator: '.' }],
      // The fixture's line 6 has 6 cells under the header's 8.
      [6, 'expected 8 columns as in the header on line 1, found 6', 'column_count', { expected: '8', headerLine: '1', found: '6' }],
      [7, 'Type: "giftcard" is not in the profile\'s kind map', 'kind_not_mapped', { columnName: 'Type', value: 'giftcard' }],
      [8, 'Currency: "XYZ" is not an ISO 4217 currency code with minor units', 'currency_unknown', { columnName: 'Currency', value: 'XYZ' }],
      [9, 'Amount: 0.015 has more decimals than USD allows (2)', 'amount_minor_units', { columnName: 'Amount', amount: '0.015', currency: 'USD', digits: '2' }],
      [10, 'Order ID: empty, but the profile identifies rows by this reference', 'reference_missing', { columnName: 'Order ID' }],
    ]);
  });

  it('reports re-imported rows as duplicates through their reference ids', () => {
    const first = finalizeImport(output, context('orders.csv'), 'csv', 595);
    const known = new Map(first.transactions.map((t) => [t.id, { line: t.source.line, sourceId: t.source.sourceId }]));
    const second = finalizeImport(output, context('orders.csv'), 'csv', 595, known);
    expect(second.transactions).toHaveLength(0);
    expect(second.duplicates.map((d) => d.line)).toEqual([2, 3, 11]);
  });
});

describe('header detection and profile validation', () => {
  it('names the missing columns when no header row matches', () => {
    const error = thrown(() => csvImporter.parse('Date,Amount,Currency\n03/01/2026,1.00,USD\n', context('x.csv'), usOrders));
    expect(error.code).toBe('file_format_mismatch');
    expect(error.message).toContain('"Type"');
    expect(error.message).toContain('"Order ID"');
    expect(error.message).not.toContain('"Amount"');
    expect(error.details).toEqual({ says: 'header_not_found', rowsMax: '30', missing: '"Type", "Order ID", "Partner", "Product", "Memo"' });
  });

  it('refuses an empty file', () => {
    expect(thrown(() => csvImporter.parse('\n\n', context('x.csv'), usOrders)).code).toBe('file_empty');
  });

  it('refuses an unterminated quote instead of swallowing the rest of the file', () => {
    const text = 'Date,Order ID,Type,Amount,Currency,Partner,Product,Memo\n03/01/2026,A-1,sale,1.00,USD,p,q,"never closed\n03/02/2026,A-2,sale,1.00,USD,p,q,x\n';
    const error = thrown(() => csvImporter.parse(text, context('x.csv'), usOrders));
    expect(error.code).toBe('file_malformed');
    expect(error.location.line).toBe(2);
    expect(error.details).toEqual({ says: 'quote_unterminated', line: '2' });
  });

  it('says a row with a stray quote inside a quoted field by code', () => {
    const text = 'Date,Order ID,Type,Amount,Currency,Partner,Product,Memo\n03/01/2026,A-1,sale,1.00,USD,p,q,"say "hi" here"\n';
    const [rejection] = csvImporter.parse(text, context('x.csv'), usOrders).rejected;
    expect([rejection?.line, rejection?.code, rejection?.reason, rejection?.says, rejection?.params]).toEqual([2, 'record_malformed', 'malformed quoting: Trailing quote on quoted field is malformed', 'quote_invalid', {}]);
  });

  it('rejects unknown keys, unknown zones and times without a zone', () => {
    expect(thrown(() => parseCsvProfile({ ...usOrders, colums: {} })).code).toBe('profile_invalid');
    expect(thrown(() => parseCsvProfile({ ...usOrders, date: { format: 'MM/DD/YYYY', time: 'optional', timeZone: 'Mars/Olympus' } })).message).toContain('Mars/Olympus');
    expect(thrown(() => parseCsvProfile({ ...usOrders, date: { format: 'MM/DD/YYYY', time: 'required' } })).message).toContain('date.timeZone');
  });

  it('says each problem of a profile as a path, a code and its value besides the English issues', () => {
    const problemsOf = (input: unknown) => thrown(() => parseCsvProfile(input)).details.problems;
    expect(problemsOf({ ...usOrders, date: { format: 'MM/DD/YYYY', time: 'optional', timeZone: 'Mars/Olympus' } })).toEqual([{ path: 'date.timeZone', says: 'time_zone_unknown', value: 'Mars/Olympus' }]);
    expect(problemsOf({ ...usOrders, date: { format: 'MM/DD/YYYY', time: 'required' } })).toEqual([{ path: 'date.timeZone', says: 'time_zone_needed' }]);
    // Columns left empty, as the CSV wizard's first draft has them.
    expect(problemsOf({ ...usOrders, sign: { convention: 'signed', column: '' }, columns: { date: '' } })).toEqual([{ path: 'sign.column', says: 'required' }, { path: 'columns.date', says: 'required' }]);
    expect(problemsOf({ ...usOrders, sign: { convention: 'direction', amount: 'Amount', direction: 'Way', inValues: ['in', 'x'], outValues: ['out', 'x'] } })).toEqual([{ path: 'sign', says: 'direction_both', value: 'x' }]);
    expect(problemsOf({ ...usOrders, amountFormat: 'klingon' })).toEqual([{ path: 'amountFormat', says: 'invalid' }]);
  });

  it('reads tab-separated files and explicit separators', () => {
    const profile: CsvProfileInput = {
      ...usOrders,
      delimiter: '\t',
      amountFormat: { decimalSeparator: ',', groupSeparators: [' '] },
      date: { format: 'ISO-8601', time: 'optional' },
    };
    const text = 'Date\tOrder ID\tType\tAmount\tCurrency\tPartner\tProduct\tMemo\n2026-03-01T10:00:00+01:00\tT-1\tsale\t1 234,50\tEUR\tp\tq\tm\n2026-03-02\tT-2\tsale\t-3,00\tEUR\tp\tq\tm\n2026-03-02T10:00\tT-3\tsale\t1,00\tEUR\tp\tq\tno zone\n';
    const output = csvImporter.parse(text, context('t.tsv'), profile);
    expect(output.entries.map((e) => [e.occurredAt, e.amount])).toEqual([
      ['2026-03-01T10:00:00+01:00', '1234.50'],
      ['2026-03-02', '-3.00'],
    ]);
    expect(output.rejected.map((r) => [r.line, r.code])).toEqual([[4, 'date_invalid']]);
  });
});

describe('dates and zones', () => {
  it('checks calendar days, including leap years', () => {
    expect(parseDateTime('29.02.2024', 'DD.MM.YYYY', 'none')?.date).toBe('2024-02-29');
    expect(parseDateTime('29.02.2026', 'DD.MM.YYYY', 'none')).toBeNull();
    expect(parseDateTime('2026-13-01', 'YYYY-MM-DD', 'none')).toBeNull();
    expect(parseDateTime('03/04/2026', 'MM/DD/YYYY', 'none')?.date).toBe('2026-03-04');
    expect(parseDateTime('03/04/2026', 'DD/MM/YYYY', 'none')?.date).toBe('2026-04-03');
    expect(parseDateTime('20260304', 'YYYYMMDD', 'none')?.date).toBe('2026-03-04');
    expect(parseDateTime('2026-03-04 10:00', 'YYYY-MM-DD', 'none')).toBeNull();
  });

  it('follows daylight saving time of an IANA zone on the night of the change', () => {
    const berlin = zoneResolver('Europe/Berlin');
    const at = (text: string) => occurredAtOf(parseDateTime(text, 'YYYY-MM-DD', 'required') as never, berlin);
    expect(at('2026-03-29 01:30:00')).toBe('2026-03-29T01:30:00+01:00');
    expect(at('2026-03-29 03:30:00')).toBe('2026-03-29T03:30:00+02:00');
    expect(at('2026-10-25 04:00:00')).toBe('2026-10-25T04:00:00+01:00');
    expect(zoneResolver('PDT')?.('2026-06-01', '10:00:00')).toBe('-07:00');
    expect(zoneResolver('+0530')?.('2026-06-01', '10:00:00')).toBe('+05:30');
    expect(zoneResolver('Not A Zone')).toBeNull();
  });
});

describe('fuzz: arbitrary text', () => {
  const profile = parseCsvProfile({ ...usOrders, delimiter: 'auto' });
  const header = 'Date,Order ID,Type,Amount,Currency,Partner,Product,Memo\n';
  const cell = fc.oneof(fc.constantFrom('03/01/2026', 'sale', 'refund', '1.00', '-2,000.50', 'USD', 'JPY', '', '"', '""', ',', '\n', '\r\n', ';', 'x'), fc.string({ maxLength: 6 }));
  const bodies = fc.array(fc.array(cell, { maxLength: 10 }).map((cells) => cells.join(',')), { maxLength: 12 }).map((rows) => rows.join('\n'));

  it('never throws anything but a SettleDeskError, and every row is accounted for', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), bodies.map((body) => header + body), bodies), (text) => {
        try {
          const output = parseWithProfile(text, context('fuzz.csv'), profile);
          expect(output.rowsRead).toBe(output.entries.length + output.rejected.length);
          for (const rejection of output.rejected) expect(rejection.line).toBeGreaterThan(1);
          const result = finalizeImport(output, context('fuzz.csv'), 'csv', text.length);
          expect(result.rowsRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length);
        } catch (error) {
          if (!(error instanceof SettleDeskError) || error.code === 'invariant_broken') throw error;
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('CSV files that must not lose a row quietly', () => {
  const profile: CsvProfileInput = {
    name: 'shop',
    delimiter: ',',
    date: { format: 'YYYY-MM-DD' },
    sign: { convention: 'signed', column: 'amount' },
    currency: { column: 'currency' },
    kind: { fixed: 'sale' },
    columns: { date: 'date' },
    id: { policy: 'reference', column: 'ref' },
  };
  const parse = (text: string) => csvImporter.parse(text, context('shop.csv'), profile);

  it('rejects a data row above the header with its line, and still skips a real preamble', () => {
    // Line 1 is a title, line 2 a data row pasted above the header (10.00 EUR that would vanish), line 3 the header.
    const output = parse('Shop export,,,\nr0,2026-03-01,10.00,EUR\nref,date,amount,currency\nr1,2026-03-02,5.00,EUR\n');
    expect(output.entries.map((entry) => [entry.line, entry.amount])).toEqual([[4, '5.00']]);
    expect(output.rejected.map((rejection) => [rejection.line, rejection.code])).toEqual([[2, 'row_before_header']]);
    expect(output.rejected[0]?.reason).toContain('line 3');
    expect([output.rejected[0]?.says, output.rejected[0]?.params]).toEqual(['row_before_header', { date: '2026-03-01', amount: '10.00', currency: 'EUR', headerLine: '3' }]);
    // read 2 = imported 1 + rejected 1
    expect(output.rowsRead).toBe(2);
  });

  it('refuses a header that names a mapped column twice, naming both positions', () => {
    const error = thrown(() => parse('ref,date,amount,currency,amount\nr1,2026-03-02,5.00,EUR,6.00\n'));
    expect(error.code).toBe('header_column_ambiguous');
    expect(error.message).toContain('"amount"');
    expect(error.message).toContain('columns 3 and 5');
    expect(error.location.line).toBe(1);
    expect(error.details).toEqual({ says: 'column_named_twice', line: '1', name: 'amount', count: '2', columns: '3', last: '5' });
  });

  it('keeps the exact row count when CR LF and LF line endings are mixed', () => {
    // Four data rows: lines 2 and 4 end in CR LF, lines 3 and 5 in LF.
    const output = parse('ref,date,amount,currency\r\nr1,2026-03-01,1.00,EUR\r\nr2,2026-03-02,2.00,EUR\nr3,2026-03-03,3.00,EUR\r\nr4,2026-03-04,4.00,EUR\n');
    expect(output.rejected).toEqual([]);
    expect(output.entries.map((entry) => [entry.line, entry.amount, entry.currency])).toEqual([
      [2, '1.00', 'EUR'],
      [3, '2.00', 'EUR'],
      [4, '3.00', 'EUR'],
      [5, '4.00', 'EUR'],
    ]);
  });
});
