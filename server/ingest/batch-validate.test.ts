import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/errors.ts';
import { BatchImportBody } from './batch-import.ts';
import { isBatchImportBody, parseBatchImportBody, readBatchJson } from './batch-validate.ts';

/**
 * The hand-written column check against the zod schema it stands in for: on bodies that are
 * mostly valid with random faults (a cell of the wrong type or pattern, a text one character too
 * long, a column of another length, a key missing or extra), both must accept or refuse alike.
 */
const NULLABLE_TEXTS = ['account', 'partnerId', 'productId', 'channel', 'counterpartyName', 'counterpartyAccount', 'externalId', 'batchId', 'endToEndId', 'bankReference', 'description', 'customerRef'] as const;

const JUNK: readonly unknown[] = [null, 0, 7, -1.5, true, 'x', [], {}, ['x'], { id: 'x' }];
const junk = fc.constantFrom(...JUNK);
const chars = (length: number) => 'x'.repeat(length);

/** Each column's valid cells, and faults: cells its schema must refuse, or that sit right at a limit. */
interface CellKind {
  readonly valid: fc.Arbitrary<unknown>;
  readonly faultList: readonly unknown[];
  readonly faults: fc.Arbitrary<unknown>;
}
const kind = (valid: fc.Arbitrary<unknown>, faultList: readonly unknown[]): CellKind => ({ valid, faultList: [...faultList, ...JUNK], faults: fc.constantFrom(...faultList, ...JUNK) });
const TEXT = kind(fc.oneof(fc.constant(null), fc.string({ maxLength: 6 })), [chars(10_000), chars(10_001)]);
const DATE = kind(fc.oneof(fc.constant(null), fc.constantFrom('2026-03-01', '2026-13-45', '0000-00-00')), ['2026-03-01T00:00Z', '26-03-01', '2026-03-01 ', 'null', '2026-03-01\n']);
const CELLS: Readonly<Record<string, CellKind>> = {
  id: kind(fc.string({ minLength: 1, maxLength: 8 }), ['', chars(500), chars(501)]),
  line: kind(fc.integer({ min: 1, max: 1_000_000 }), [0, -3, 1.5, 2 ** 53, 2 ** 53 - 1, '7', 1e21]),
  kind: kind(fc.constantFrom('sale', 'refund', 'chargeback', 'fee', 'payout', 'promotion', 'adjustment', 'tax', 'transfer'), ['Sale', 'sales', '', 'toString', '__proto__']),
  occurredAt: kind(
    fc.constantFrom('2026-03-01', '2026-02-30', '2026-03-01T10:00Z', '2026-03-01T10:00:00+09:00', '2026-03-01T10:00:00.123456789-05:30'),
    ['2026-3-01', '2026-03-01T10:00', '2026-03-01T10:00:00.1234567890Z', '2026-03-01 10:00Z', '2026-03-01\n', '2026-03-01T10:00:00.5+0900'],
  ),
  bookingDate: DATE,
  valueDate: DATE,
  amount: kind(fc.constantFrom('0', '12.34', '-0.50', '1000', '-7', `1${'0'.repeat(63)}`), ['', '-', '01.5', '1.', '.5', '+1', '1e3', ' 1', `1${'0'.repeat(64)}`, `-1${'0'.repeat(63)}`, '1,00', '-0']),
  currency: kind(fc.constantFrom('EUR', 'JPY', 'KWD', 'USD'), ['eur', 'XXY', 'EURO', '', 'EUR ']),
  ...Object.fromEntries(NULLABLE_TEXTS.map((name) => [name, TEXT])),
};
const RAW_NAME = kind(fc.string({ maxLength: 6 }), [chars(500), chars(501)]);
const columnNames = [...Object.keys(CELLS), 'rawNames', 'rawValues'];

/** One change that may make the body invalid: a cell, a column's length, a key, a raw row. */
const fault = fc.oneof(
  fc.record({ type: fc.constant('cell' as const), column: fc.constantFrom(...Object.keys(CELLS)), row: fc.nat(), value: fc.constant(null) }).chain((f) => (CELLS[f.column] as CellKind).faults.map((value) => ({ ...f, value }))),
  fc.record({ type: fc.constant('rawName' as const), value: RAW_NAME.faults }),
  fc.record({ type: fc.constant('rawRow' as const), row: fc.nat(), value: fc.oneof(fc.array(TEXT.valid, { maxLength: 3 }), fc.array(TEXT.faults, { minLength: 1, maxLength: 1 }), junk) }),
  fc.record({ type: fc.constant('longer' as const), column: fc.constantFrom(...columnNames) }),
  fc.record({ type: fc.constant('drop' as const), key: fc.constantFrom(...columnNames, 'source', 'columns') }),
  fc.record({ type: fc.constant('extra' as const), key: fc.constantFrom('rawvalues', 'extra', 'constructor', 'toString') }),
  fc.record({ type: fc.constant('source' as const), value: fc.oneof(junk, fc.record({ sourceId: fc.constantFrom('', 'x'.repeat(501)), format: fc.constant('f'), fileName: fc.constant('') })) }),
);
type Fault = typeof fault extends fc.Arbitrary<infer T> ? T : never;

function applyFault(whole: Record<string, unknown>, f: Fault): Record<string, unknown> {
  if (typeof whole.columns !== 'object' || whole.columns === null) return whole;
  const columns: Record<string, unknown> = { ...(whole.columns as Record<string, unknown>) };
  const out: Record<string, unknown> = { ...whole, columns };
  const rows = Array.isArray(columns.id) ? columns.id.length : 0;
  const withCell = (name: string, row: number, value: unknown) => {
    if (!Array.isArray(columns[name])) return;
    const cells = [...(columns[name] as unknown[])];
    if (cells.length > 0) cells[row % cells.length] = value;
    columns[name] = cells;
  };
  switch (f.type) {
    case 'cell': withCell(f.column, f.row, f.value); break;
    case 'rawName': columns.rawNames = [...((columns.rawNames as unknown[] | undefined) ?? []), f.value]; break;
    case 'rawRow': if (rows > 0) withCell('rawValues', f.row, f.value); break;
    case 'longer': if (Array.isArray(columns[f.column])) columns[f.column] = [...(columns[f.column] as unknown[]), (columns[f.column] as unknown[])[0] ?? null]; break;
    case 'drop': if (f.key === 'source' || f.key === 'columns') delete out[f.key]; else delete columns[f.key]; break;
    case 'extra': if (f.key === 'extra') out.extra = 1; else columns[f.key] = []; break;
    case 'source': out.source = f.value; break;
  }
  return out;
}

const body = fc
  .record({ rows: fc.integer({ min: 0, max: 4 }), rawNames: fc.array(RAW_NAME.valid, { maxLength: 2 }), faults: fc.array(fault, { maxLength: 2 }) })
  .chain(({ rows, rawNames, faults }) => {
    const column = (arbitrary: fc.Arbitrary<unknown>) => fc.array(arbitrary, { minLength: rows, maxLength: rows });
    const columns = fc.record({
      ...Object.fromEntries(Object.entries(CELLS).map(([name, cells]) => [name, column(cells.valid)])),
      rawNames: fc.constant(rawNames),
      rawValues: column(fc.array(TEXT.valid, { minLength: rawNames.length, maxLength: rawNames.length })),
    });
    const source = fc.record({ sourceId: fc.constantFrom('psp', 'x'.repeat(500)), format: fc.constantFrom('psp-json', 'x'.repeat(100)), fileName: fc.constantFrom('', 'f.json') });
    return fc.tuple(columns, source).map(([built, src]) => faults.reduce<Record<string, unknown>>((whole, f) => applyFault(whole, f), { source: src, columns: built }));
  });

const zodAccepts = (value: unknown) => BatchImportBody.safeParse(value).success;

function validBody(rows: number): Record<string, unknown> {
  const repeat = <T>(value: T) => Array.from({ length: rows }, () => value);
  return {
    source: { sourceId: 'psp', format: 'psp-json', fileName: 'f.json' },
    columns: {
      id: Array.from({ length: rows }, (_, index) => `psp.${index}`), line: Array.from({ length: rows }, (_, index) => index + 1), kind: repeat('sale'), occurredAt: repeat('2026-03-01'),
      bookingDate: repeat(null), valueDate: repeat(null), amount: repeat('1.00'), currency: repeat('EUR'),
      ...Object.fromEntries(NULLABLE_TEXTS.map((name) => [name, repeat(null)])), rawNames: ['ref'], rawValues: Array.from({ length: rows }, () => ['r']),
    },
  };
}

describe('the JSON feed body check', () => {
  it('accepts and refuses exactly what the zod schema does', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (value) => {
        // Through JSON as a request arrives: undefined cells become null or vanish as they would on the wire.
        const wire: unknown = JSON.parse(JSON.stringify(value));
        const zod = zodAccepts(wire);
        if (zod) accepted++;
        expect(isBatchImportBody(wire)).toBe(zod);
      }),
      { numRuns: 1500 },
    );
    // The generator must reach both sides often, or the property proves little.
    expect(accepted).toBeGreaterThan(100);
  });

  it('agrees with zod on every listed fault in every column, alone in a valid body', () => {
    for (const [name, cells] of Object.entries(CELLS)) {
      for (const value of cells.faultList) {
        for (const row of [0, 1]) {
          const faulty = validBody(2);
          (faulty.columns as Record<string, unknown[]>)[name]![row] = value;
          expect([name, row, value, isBatchImportBody(faulty)]).toEqual([name, row, value, zodAccepts(faulty)]);
        }
      }
    }
    for (const value of [...RAW_NAME.faultList, ...TEXT.faultList]) {
      const named = validBody(2);
      const namedColumns = named.columns as { rawNames: unknown[]; rawValues: unknown[][] };
      namedColumns.rawNames.push(value);
      for (const values of namedColumns.rawValues) values.push(null);
      expect(isBatchImportBody(named)).toBe(zodAccepts(named));
      const raw = validBody(2);
      (raw.columns as { rawValues: unknown[][] }).rawValues[1]![0] = value;
      expect(isBatchImportBody(raw)).toBe(zodAccepts(raw));
    }
  });

  it('agrees with zod at the row limit and on bodies that are not objects', () => {
    for (const value of [validBody(10_000), validBody(10_001), validBody(0), null, [], 'body', 7, { source: validBody(1).source, columns: [] }]) {
      expect(isBatchImportBody(value)).toBe(zodAccepts(value));
    }
    for (const names of [1000, 1001]) {
      const wide = validBody(2);
      Object.assign(wide.columns as object, { rawNames: Array.from({ length: names }, (_, index) => `f${index}`), rawValues: [new Array(names).fill(null), new Array(names).fill('v')] });
      expect([names, isBatchImportBody(wide)]).toEqual([names, zodAccepts(wide)]);
      expect(isBatchImportBody(wide)).toBe(names === 1000);
    }
    expect(isBatchImportBody(validBody(10_000))).toBe(true);
    expect(isBatchImportBody(validBody(10_001))).toBe(false);
  });

  it('hands a valid body back as it came and names the first bad cell of another as zod does', () => {
    const good = validBody(3);
    expect(parseBatchImportBody(good)).toBe(good);
    const bad = validBody(3);
    (bad.columns as { amount: unknown[] }).amount[2] = '1,50';
    expect(() => parseBatchImportBody(bad)).toThrow(HttpError);
    try {
      parseBatchImportBody(bad);
    } catch (error) {
      expect((error as HttpError).details).toEqual({ path: 'body.columns.amount.2' });
    }
  });

  it('reads the JSON as parseJsonBody does: the same refusals for depth, prototype keys and broken JSON', () => {
    const codeOf = (text: string) => {
      try {
        readBatchJson(text);
        return 'read';
      } catch (error) {
        return (error as HttpError).code;
      }
    };
    expect(readBatchJson(JSON.stringify(validBody(2))).valid).toBe(true);
    expect(readBatchJson('{"source":{}}')).toEqual({ value: { source: {} }, valid: false });
    expect(codeOf(`${'['.repeat(33)}${']'.repeat(33)}`)).toBe('body_too_deep');
    expect(codeOf('{"source":')).toBe('body_not_json');
    expect(codeOf('{"__proto__":{"admin":true}}')).toBe('body_not_json');
    expect(codeOf(JSON.stringify({ ...validBody(1), constructor: 1 }))).toBe('body_not_json');
    // Prototype words inside values are data (parseJsonBody's scan matches keys only), in a valid batch as anywhere.
    const named = validBody(1);
    (named.columns as { description: unknown[] }).description[0] = 'x"constructor": {"__proto__": 1}';
    expect(codeOf(JSON.stringify(named))).toBe('read');
  });
});
