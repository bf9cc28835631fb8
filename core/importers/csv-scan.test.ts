import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStreamDecoder } from '../ingest/decode.ts';
import type { ImportContext, ParsedEntry } from '../ingest/importer.ts';
import { EntryIdentifier } from '../ingest/pipeline.ts';
import type { Rejection } from '../ingest/result.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { toMinorUnits } from '../money/minor.ts';
import { idFromReference } from '../transactions/identity.ts';
import { ByteMemo } from './byte-memo.ts';
import type { CsvProfileInput } from './csv-profile.ts';
import { CsvScanImport, type ScannedRow } from './csv-scan.ts';
import { createCsvImportStream } from './csv-stream.ts';

const context: ImportContext = { fileName: 'scan.csv', sha256: 'c'.repeat(64), pseudonymize: (id) => `p:${id}` };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What both paths must agree on for an imported row (amount compared in minor units). */
interface RowFacts {
  line: number;
  id: string;
  duplicateOf: string | null;
  kind: string;
  occurredAt: string;
  bookingDate: string;
  valueDate: string | null;
  currency: string;
  amountMinor: string;
  account: string | null;
  partnerId: string | null;
  productId: string | null;
  channel: string | null;
}

interface Outcome {
  rows: RowFacts[];
  rejected: Rejection[];
  rowsRead: number;
  scanned: number;
}

function describeDuplicate(known: { line: number | null; sourceId: string | null } | null): string | null {
  return known === null ? null : `${known.line}@${known.sourceId}`;
}

function factsOfEntry(entry: ParsedEntry, identifier: EntryIdentifier): RowFacts {
  const { id, duplicateOf } = identifier.idOf(entry);
  return {
    line: entry.line,
    id,
    duplicateOf: describeDuplicate(duplicateOf),
    kind: entry.kind,
    occurredAt: entry.occurredAt,
    bookingDate: entry.bookingDate as string,
    valueDate: entry.valueDate,
    currency: entry.currency,
    amountMinor: String(toMinorUnits(entry.amount, minorUnitsOf(entry.currency))),
    account: entry.account,
    partnerId: entry.partnerId,
    productId: entry.productId,
    channel: entry.channel,
  };
}

function factsOfScanned(row: ScannedRow, identifier: EntryIdentifier): RowFacts {
  const reference = decoder.decode(row.bytes.subarray(row.referenceStart, row.referenceEnd));
  const duplicate = identifier.referenceDuplicate(row.namespace, row.account, row.bytes, row.referenceStart, row.referenceEnd, row.line, row.currency, row.amountMinor, row.bookingDate, row.valueDate);
  const id = idFromReference(row.namespace, row.account, reference);
  if (duplicate !== null) expect(duplicate.id).toBe(id);
  return {
    line: row.line,
    id,
    duplicateOf: describeDuplicate(duplicate?.duplicateOf ?? null),
    kind: row.kind,
    occurredAt: row.occurredAt,
    bookingDate: row.bookingDate,
    valueDate: row.valueDate,
    currency: row.currency,
    amountMinor: String(row.amountMinor),
    account: row.account,
    partnerId: row.partnerId,
    productId: row.productId,
    channel: row.channel,
  };
}

/** The existing path: bytes decoded as the CLI did, then the papaparse-based stream. */
function viaStream(bytes: Uint8Array, cuts: readonly number[], profile: CsvProfileInput): Outcome {
  const identifier = new EntryIdentifier(new Map(), context, 'csv');
  const rows: RowFacts[] = [];
  const rejected: Rejection[] = [];
  const stream = createCsvImportStream(profile, context, {
    onBatch: (batch) => {
      for (const entry of batch.entries) rows.push(factsOfEntry(entry, identifier));
      rejected.push(...batch.rejected);
    },
  });
  const decode = createStreamDecoder(context.fileName, 'auto');
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    stream.push(decode.decode(bytes.subarray(from, cut), cut === bytes.length));
    from = cut;
  }
  return { rows, rejected, rowsRead: stream.end().rowsRead, scanned: 0 };
}

function viaScan(bytes: Uint8Array, cuts: readonly number[], profile: CsvProfileInput): Outcome {
  const identifier = new EntryIdentifier(new Map(), context, 'csv');
  const rows: RowFacts[] = [];
  const rejected: Rejection[] = [];
  const scan = new CsvScanImport(profile, context, 'auto', {
    scanned: (row) => rows.push(factsOfScanned(row, identifier)),
    entry: (entry) => rows.push(factsOfEntry(entry, identifier)),
    reject: (rejection) => rejected.push(rejection),
  });
  let from = 0;
  // The caller may reuse its buffer between pushes: the scanner must copy what it keeps.
  const reused = new Uint8Array(bytes.length);
  for (const cut of [...cuts, bytes.length]) {
    const chunk = reused.subarray(0, cut - from);
    chunk.set(bytes.subarray(from, cut));
    scan.push(chunk);
    chunk.fill(0x22);
    from = cut;
  }
  const summary = scan.end();
  expect(summary.rowsRead).toBe(summary.scanned + summary.entries + summary.rejected);
  expect(summary.rowsRead).toBe(rows.length + rejected.length);
  return { rows, rejected, rowsRead: summary.rowsRead, scanned: summary.scanned };
}

function errorOf(run: () => unknown): { code: string; line: unknown } | null {
  try {
    run();
    return null;
  } catch (error) {
    const typed = error as { code?: string; location?: { line?: number } };
    if (typed.code === undefined) throw error;
    return { code: typed.code, line: typed.location?.line };
  }
}

const baseProfile: CsvProfileInput = {
  name: 'scan-test',
  delimiter: ',',
  date: { format: 'YYYY-MM-DD' },
  sign: { convention: 'signed', column: 'amount' },
  currency: { column: 'currency' },
  kind: { column: 'type', values: { sale: 'sale', refund: 'refund', ' fee ': 'fee' } },
  columns: { date: 'date', partner: 'partner', product: 'product', channel: 'channel', valueDate: 'value', description: 'memo' },
  id: { policy: 'reference', column: 'ref' },
};

const HEADER = ['ref', 'date', 'value', 'type', 'amount', 'currency', 'partner', 'product', 'channel', 'memo'];

/** One cell per column, mostly valid, sometimes each kind of trouble the importer must report or route. */
const cell = {
  ref: fc.oneof(
    { weight: 40, arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => `ch_${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '  ', ' padded ', 'a|b', '50%', 'x'.repeat(210), 'réf-1') },
  ),
  date: fc.oneof(
    { weight: 40, arbitrary: fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`) },
    { weight: 1, arbitrary: fc.constantFrom('', '2026-02-30', '03/04/2026', ' 2026-03-05 ', '2026-03-05 10:00') },
  ),
  value: fc.oneof({ weight: 20, arbitrary: fc.constant('') }, { weight: 10, arbitrary: fc.constant('2026-03-09') }, { weight: 1, arbitrary: fc.constantFrom('2026-13-01', ' ', '2026-03-09T08:00:00') }),
  type: fc.oneof({ weight: 40, arbitrary: fc.constantFrom('sale', 'refund') }, { weight: 1, arbitrary: fc.constantFrom(' fee ', 'fee', 'other', '', ' sale') }),
  amount: fc.oneof(
    { weight: 30, arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99 })).map(([neg, whole, cents]) => `${neg ? '-' : ''}${whole}.${String(cents).padStart(2, '0')}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('0', '-0', '-0.00', '12', '12.5', '1.230', '1.234', '007.00', '', ' 5.00', '+5.00', '1,234.56', '1e3', '12345678901234567.89', '-98765432109876543210', '.5', '5.', '(5.00)'),
    },
  ),
  currency: fc.oneof({ weight: 40, arbitrary: fc.constantFrom('EUR', 'USD') }, { weight: 1, arbitrary: fc.constantFrom('JPY', 'usd', ' EUR', 'BHD', 'XXQ', '') }),
  partner: fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 0, max: 9 }).map((n) => `studio-${n}`) }, { weight: 1, arbitrary: fc.constantFrom('', '  ', ' Ünïcode ', 'p'.repeat(1001), 'a\tb') }),
  product: fc.constantFrom('game-1', 'game-2', '', ' game-3 '),
  channel: fc.constantFrom('app', 'web', ''),
  memo: fc.oneof({ weight: 40, arbitrary: fc.constantFrom('', 'plain', 'ok ok') }, { weight: 1, arbitrary: fc.constantFrom('😀 emoji', 'x'.repeat(1001), 'semi;colon', 'tab\tin') }),
};

const row = fc.record(cell).map((cells) => HEADER.map((name) => cells[name as keyof typeof cells]));

/** A line of the data section: a row, or one of the oddities a real export has. */
const line = fc.oneof(
  { weight: 30, arbitrary: row.map((cells) => ({ cells, raw: null as string | null })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', '   ', 'only,three,cells', 'ch_1,2026-03-01,,sale,1.00,EUR,s,p,c,m,extra', 'ch_q,2026-03-01,,sale,1.00,EUR,"quoted, partner",p,c,m', 'lone\rcr,x', 'ch_lf,2026-03-01,,sale,1.00,EUR,stu\ndio,g,app,').map((raw) => ({ cells: null, raw })),
  },
  {
    // Quotes every way a row can hold them: well-formed ones the scanner splits, the rest the reader's.
    weight: 3,
    arbitrary: fc
      .constantFrom(
        'ch_q1,2026-03-01,,sale,1.00,EUR,"a ""b"" c",p,c,m',
        '"ch_q2",2026-03-01,,sale,1.00,EUR,s,p,c,"last, quoted"',
        'ch_q3,2026-03-01,,sale,1.00,EUR,"",p,c,m',
        'ch_q4,2026-03-01,,sale,1.00,EUR,"Zoë, Straße",p,c,m',
        'ch_q5,2026-03-01,,sale,1.00,EUR,ab"c,p,c,m',
        'ch_q6,2026-03-01,,sale,1.00,EUR,"ab"c,p,c,m',
        'ch_q7,2026-03-01,,sale,1.00,EUR,"two\nlines",p,c,m',
        'ch_q8,2026-03-01,,sale,1.00,EUR,"cr\rinside",p,c,m',
        'ch_q9,2026-03-01,,sale,"1,00",EUR,s,p,c,m',
        'ch_q10,"2026-03-01",,sale,1.00,EUR,s,p,"c",',
        'ch_q11,2026-03-01,,sale,1.00,EUR,"too, many",p,c,m,extra',
        '"ch_q12,2026-03-01,,sale,1.00,EUR,unclosed',
        'ch_q13, "spaced",,sale,1.00,EUR,s,p,c,m',
      )
      .map((raw) => ({ cells: null, raw })),
  },
);

const file = fc.record({
  preamble: fc.constantFrom([], ['Report 2026-03'], ['Report', '', 'generated by PSP']),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  lines: fc.array(line, { maxLength: 60 }),
  trailing: fc.boolean(),
  bom: fc.boolean(),
});

function render(spec: { preamble: readonly string[]; newline: string; lines: readonly { cells: readonly string[] | null; raw: string | null }[]; trailing: boolean; bom: boolean }, delimiter: string): Uint8Array {
  const lines = [...spec.preamble, HEADER.join(delimiter), ...spec.lines.map((entry) => entry.raw ?? (entry.cells as readonly string[]).join(delimiter))];
  const text = `${spec.bom ? '\ufeff' : ''}${lines.join(spec.newline)}${spec.trailing ? spec.newline : ''}`;
  return encoder.encode(text);
}

function cutsOf(length: number, fractions: readonly number[]): number[] {
  return [...new Set(fractions.map((fraction) => Math.floor(fraction * length)))].filter((cut) => cut > 0 && cut < length).sort((a, b) => a - b);
}

function expectSameOutcome(bytes: Uint8Array, cuts: number[], profile: CsvProfileInput): Outcome | null {
  let stream: Outcome | null = null;
  let scan: Outcome | null = null;
  const streamError = errorOf(() => (stream = viaStream(bytes, cuts, profile)));
  const scanError = errorOf(() => (scan = viaScan(bytes, cuts, profile)));
  expect(scanError).toEqual(streamError);
  if (streamError !== null) return null;
  const expected = stream as unknown as Outcome;
  const actual = scan as unknown as Outcome;
  expect(actual.rejected).toEqual(expected.rejected);
  expect(actual.rows).toEqual(expected.rows);
  expect(actual.rowsRead).toBe(expected.rowsRead);
  return actual;
}

describe('CsvScanImport', () => {
  it('gives exactly the rows, rejections and ids of the papaparse path on generated files, however the bytes are cut', () => {
    const profiles: CsvProfileInput[] = [
      baseProfile,
      { ...baseProfile, delimiter: 'auto', amountFormat: 'en', sign: { convention: 'signed', column: 'amount', negate: true } },
      { ...baseProfile, currency: { fixed: 'JPY' }, kind: { fixed: 'payout' }, fixedAccount: 'acct-1' },
      { ...baseProfile, date: { format: 'YYYY-MM-DD', time: 'optional', timeZone: 'Europe/Berlin' } },
      { ...baseProfile, amountFormat: 'de' },
      { ...baseProfile, id: { policy: 'fingerprint' } },
    ];
    let scannedRows = 0;
    let rowsRead = 0;
    fc.assert(
      fc.property(file, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), fc.nat(profiles.length - 1), (spec, fractions, which) => {
        const profile = profiles[which] as CsvProfileInput;
        const bytes = render(spec, ',');
        const outcome = expectSameOutcome(bytes, cutsOf(bytes.length, fractions), profile);
        scannedRows += outcome?.scanned ?? 0;
        rowsRead += outcome?.rowsRead ?? 0;
      }),
      { numRuns: 400, seed: 20260331 },
    );
    // The property is about the fast path: a good share of the generated rows must have gone through it.
    expect(scannedRows).toBeGreaterThan(rowsRead * 0.3);
  });

  it('agrees on semicolon files with a time zone, whatever is cut where', () => {
    const profile: CsvProfileInput = { ...baseProfile, delimiter: ';', date: { format: 'YYYY-MM-DD', time: 'optional', timeZone: 'America/New_York' } };
    fc.assert(
      fc.property(file, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), (spec, fractions) => {
        const bytes = render(spec, ';');
        expectSameOutcome(bytes, cutsOf(bytes.length, fractions), profile);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('reads a clean file through the fast path and hands the rest to the reader at the first quote', () => {
    const rows = Array.from({ length: 500 }, (_, index) => `ch_${index},2026-03-0${(index % 9) + 1},,sale,${index}.25,EUR,studio-${index % 7},game-1,app,`);
    rows.splice(400, 0, 'ch_q,2026-03-01,,sale,1.00,EUR,"studio, quoted",game-1,app,"two\r\nlines"');
    const bytes = encoder.encode(`${HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`);
    const outcome = expectSameOutcome(bytes, [9_000, 21_000], baseProfile) as Outcome;
    expect(outcome.rowsRead).toBe(501);
    expect(outcome.scanned).toBeGreaterThan(300);
    expect(outcome.rows.find((fact) => fact.partnerId === 'studio, quoted')?.line).toBe(402);
    expect(outcome.rows.at(-1)?.line).toBe(503);
  });

  it('finds a duplicate reference between a scanned row and a mapped one', () => {
    const bytes = encoder.encode(`${HEADER.join(',')}\nch_1,2026-03-01,,sale,1.00,EUR,studio-1,g,app,\nch_1,2026-03-02,,sale,2.00,EUR,Stüdio,g,app,\n`);
    const outcome = expectSameOutcome(bytes, [], baseProfile) as Outcome;
    expect(outcome.scanned).toBe(1);
    expect(outcome.rows.map((fact) => fact.duplicateOf)).toEqual([null, `2@${context.sha256}`]);
  });

  it('reports bytes that are not UTF-8 with their line, on the fast path and after a quote', () => {
    const good = encoder.encode(`${HEADER.join(',')}\nch_1,2026-03-01,,sale,1.00,EUR,s,g,app,\n`);
    const bad = new Uint8Array([...good, ...encoder.encode('ch_2,2026-03-01,,sale,1.00,EUR,s'), 0xff, ...encoder.encode(',g,app,\n')]);
    expect(errorOf(() => viaScan(bad, [good.length], baseProfile))).toEqual({ code: 'file_encoding_invalid', line: 3 });
    const quoted = new Uint8Array([...good, ...encoder.encode('ch_3,2026-03-01,,sale,1.00,EUR,"q",g,app,\nch_4,x'), 0xc3, 0x28, 0x0a]);
    expect(errorOf(() => viaScan(quoted, [good.length + 5], baseProfile))).toEqual({ code: 'file_encoding_invalid', line: 4 });
  });

  it('reads UTF-16 and other encodings through the existing path', () => {
    const text = `${HEADER.join(',')}\r\nch_1,2026-03-01,,sale,1.50,EUR,Zoë,g,app,\r\n`;
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let index = 0; index < text.length; index++) utf16[2 + index * 2] = text.charCodeAt(index);
    const outcome = viaScan(utf16, [1, 3], baseProfile);
    expect(outcome.scanned).toBe(0);
    expect(outcome.rows.map((fact) => [fact.partnerId, fact.amountMinor])).toEqual([['Zoë', '150']]);
  });

  it('refuses an empty file and a file without the profile header as the reader does', () => {
    expect(errorOf(() => viaScan(encoder.encode('\n\n'), [], baseProfile))?.code).toBe('file_empty');
    expect(errorOf(() => viaScan(encoder.encode('a,b\n1,2\n'), [], baseProfile))?.code).toBe('file_format_mismatch');
  });
});

describe('ByteMemo', () => {
  it('computes once per distinct key, matches bytes exactly and stays bounded', () => {
    const memo = new ByteMemo<string>(3, 8);
    const computed: string[] = [];
    const compute = (text: string): string => {
      computed.push(text);
      return text.toUpperCase();
    };
    const bytes = encoder.encode('eur,usd,eur,eu,longer-than-8,eur');
    const cells = [[0, 3], [4, 7], [8, 11], [12, 14], [15, 28], [29, 32]] as const;
    expect(cells.map(([start, end]) => memo.get(bytes, start, end, compute))).toEqual(['EUR', 'USD', 'EUR', 'EU', 'LONGER-THAN-8', 'EUR']);
    expect(computed).toEqual(['eur', 'usd', 'eu', 'longer-than-8']);
    // A fourth distinct key clears the memo (bounded), after which "eur" is computed again.
    memo.get(encoder.encode('gbp'), 0, 3, compute);
    memo.get(bytes, 0, 3, compute);
    expect(computed.slice(4)).toEqual(['gbp', 'eur']);
  });
});

describe('ByteMemo growth', () => {
  it('keeps every value through table growth and after clearing, whatever the key order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 3_000 }), fc.integer({ min: 1, max: 1_500 }), (keys, entriesMax) => {
        const memo = new ByteMemo<number>(entriesMax, 16);
        let computed = 0;
        for (const key of keys) {
          const bytes = encoder.encode(`#studio-${key}`);
          const value = memo.get(bytes, 1, bytes.length, (text) => {
            computed++;
            return Number(text.slice('studio-'.length));
          });
          expect(value).toBe(key);
        }
        // Never more computations than lookups, and exactly one per distinct key while they all fit.
        expect(computed).toBeLessThanOrEqual(keys.length);
        if (new Set(keys).size <= entriesMax) expect(computed).toBe(new Set(keys).size);
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('CsvScanImport slow path', () => {
  it('places an encoding error on its line after more quoted text than one decoded slice', () => {
    const good = encoder.encode(`${HEADER.join(',')}\n`);
    const rows = Array.from({ length: 3_000 }, (_, index) => `ch_${index},2026-03-01,,sale,1.00,EUR,"s, ${index}",g,app,\n`).join('');
    const tail = encoder.encode('ch_x,2026-03-01,,sale,1.00,EUR,s');
    const bad = new Uint8Array([...good, ...encoder.encode(rows), ...tail, 0xff, 0x0a]);
    for (const cut of [[], [1_000], [good.length + 7, 70_001, 150_003]]) {
      expect(errorOf(() => viaScan(bad, cut, baseProfile))).toEqual({ code: 'file_encoding_invalid', line: 3_002 });
    }
  });
});
