import { assert } from '../../core/assert.ts';
import type { BatchColumns, ColumnarBatch, TypedColumns } from '../../core/sync/batch.ts';

/**
 * How the desk writes a batch's columns into IndexedDB: one JSON text per batch (StoredBatch in
 * transactions.ts), each column encoded the cheapest way that gives it back exactly:
 *
 * - `const`: every cell the same value (a column of nulls, one channel);
 * - `dict`: few distinct values (kinds, currencies, dates, partners): the values once, then one
 *   or two Latin-1 characters per row naming the value;
 * - `join`: strings without nulls (ids, amounts): one string, cells split by SEPARATOR;
 * - `seq`: whole numbers counting up by one (source lines);
 * - `same`: a raw field equal cell for cell to a typed column (the CSV's amount text is the amount);
 * - `plain`: anything else, as a JSON array.
 *
 * Why: a month read back is 100 texts to parse and a million rows to build. The plain JSON of the
 * wire columns was 229 bytes a row and JSON.parse of it most of the load; long strings parse at
 * memory speed and split() makes the cells. Every character stays in Latin-1 so V8 and
 * IndexedDB keep the text one byte per character. A text without `codec` is the earlier format
 * (the plain wire columns) and is still read, so a desk written before needs no migration.
 */
export const BATCH_CODEC = 2;

/** Between cells of a `join` column: a C1 control character, outside any text an importer keeps; a column holding it is stored `plain`. */
const SEPARATOR = '\u009f';
/** `dict` index characters: 0x30 + index, one character below 208 values, two (base 208) below 43,264. */
const INDEX_BASE = 0x30;
const INDEX_RADIX = 0x100 - INDEX_BASE;
const DICT_MAX = INDEX_RADIX * INDEX_RADIX;
const DICT_PROBE_ROWS = 1024;

type Cell = string | number | null;
type Code =
  | { readonly const: Cell }
  | { readonly dict: readonly Cell[]; readonly at: string; readonly width: 1 | 2 }
  | { readonly join: string }
  | { readonly seq: number }
  | { readonly same: string }
  | { readonly plain: readonly Cell[] };

interface EncodedColumns {
  readonly codec: typeof BATCH_CODEC;
  readonly columns: Readonly<Record<string, Code>>;
  readonly rawNames: readonly string[];
  readonly raw: readonly Code[];
}

/** Bytes 0x30-0xFF as one Latin-1 character each (TextDecoder's 'latin1' is windows-1252 and would remap 0x80-0x9F). */
function indexText(indexes: Uint8Array): string {
  let out = '';
  for (let start = 0; start < indexes.length; start += 8192) out += String.fromCharCode(...indexes.subarray(start, start + 8192));
  return out;
}
function encodeDict(cells: readonly Cell[], limit: number): Code | null {
  const positions = new Map<Cell, number>();
  const values: Cell[] = [];
  const indexes = new Uint32Array(cells.length);
  for (let row = 0; row < cells.length; row++) {
    const cell = cells[row] as Cell;
    let position = positions.get(cell);
    if (position === undefined) {
      // Half the first 1,024 cells distinct: ids, amounts, lines; give up early rather than fill the map to the limit.
      if (values.length >= limit || (row === DICT_PROBE_ROWS && values.length > DICT_PROBE_ROWS / 2)) return null;
      position = values.length;
      positions.set(cell, position);
      values.push(cell);
    }
    indexes[row] = position;
  }
  if (values.length === 1) return { const: values[0] as Cell };
  const width = values.length <= INDEX_RADIX ? 1 : 2;
  const bytes = new Uint8Array(cells.length * width);
  for (let row = 0; row < cells.length; row++) {
    const index = indexes[row] as number;
    if (width === 1) bytes[row] = INDEX_BASE + index;
    else {
      bytes[2 * row] = INDEX_BASE + Math.floor(index / INDEX_RADIX);
      bytes[2 * row + 1] = INDEX_BASE + (index % INDEX_RADIX);
    }
  }
  return { dict: values, at: indexText(bytes), width };
}

function encodeColumn(cells: readonly Cell[]): Code {
  if (cells.length === 0) return { plain: [] };
  // A dictionary pays when a value repeats on average four times or more.
  const dict = encodeDict(cells, Math.min(DICT_MAX, Math.max(1, Math.floor(cells.length / 4))));
  if (dict !== null) return dict;
  if (typeof cells[0] === 'number' && cells.every((cell, row) => cell === (cells[0] as number) + row)) return { seq: cells[0] };
  if (cells.every((cell) => typeof cell === 'string' && !cell.includes(SEPARATOR))) return { join: cells.join(SEPARATOR) };
  return { plain: cells };
}

function sameCells(a: readonly Cell[], b: readonly Cell[]): boolean {
  if (a.length !== b.length) return false;
  for (let row = 0; row < a.length; row++) if (a[row] !== b[row]) return false;
  return true;
}

/** The columns as the desk stores them (a JSON text, see above). */
export function encodeColumns(columns: BatchColumns): string {
  const { rawNames, rawValues, ...typed } = columns;
  const encoded: Record<string, Code> = {};
  for (const [name, cells] of Object.entries(typed)) encoded[name] = encodeColumn(cells as readonly Cell[]);
  const raw = rawNames.map((_, position): Code => {
    const cells: Array<string | null> = new Array(rawValues.length);
    for (let row = 0; row < rawValues.length; row++) cells[row] = (rawValues[row] as ReadonlyArray<string | null>)[position] ?? null;
    for (const [name, typedCells] of Object.entries(typed)) if (sameCells(cells, typedCells as readonly Cell[])) return { same: name };
    return encodeColumn(cells);
  });
  const text: EncodedColumns = { codec: BATCH_CODEC, columns: encoded, rawNames, raw };
  return JSON.stringify(text);
}

function decodeColumn(code: Code, rowCount: number, typed: Readonly<Record<string, readonly Cell[]>>, where: Record<string, unknown>): readonly Cell[] {
  let cells: readonly Cell[];
  if ('const' in code) cells = new Array<Cell>(rowCount).fill(code.const);
  else if ('dict' in code) {
    const { at, dict: values, width } = code;
    assert(at.length === rowCount * width, 'a stored dict column has one index per row', where);
    const out: Cell[] = new Array(rowCount);
    // An index past the values reads undefined: checked once after the loop, not per cell.
    let damaged = false;
    if (width === 1) {
      for (let row = 0; row < rowCount; row++) {
        const value = values[at.charCodeAt(row) - INDEX_BASE];
        if (value === undefined) damaged = true;
        out[row] = value as Cell;
      }
    } else {
      for (let row = 0; row < rowCount; row++) {
        const value = values[(at.charCodeAt(2 * row) - INDEX_BASE) * INDEX_RADIX + at.charCodeAt(2 * row + 1) - INDEX_BASE];
        if (value === undefined) damaged = true;
        out[row] = value as Cell;
      }
    }
    assert(!damaged, 'a stored dict index names one of its values', where);
    cells = out;
  } else if ('join' in code) cells = rowCount === 0 ? [] : code.join.split(SEPARATOR);
  else if ('seq' in code) {
    const out: number[] = new Array(rowCount);
    for (let row = 0; row < rowCount; row++) out[row] = code.seq + row;
    cells = out;
  }
  else if ('same' in code) {
    const found = typed[code.same];
    assert(found !== undefined, 'a stored raw column refers to a typed column', { ...where, same: code.same });
    cells = found;
  } else cells = code.plain;
  assert(cells.length === rowCount, 'a stored column has one cell per row', { ...where, cells: cells.length, rowCount });
  return cells;
}

/**
 * The columns of a stored batch, the raw fields as columns (core's ColumnarBatch): what rows are
 * built from without a row-wise copy. Reads both this codec and the earlier plain JSON.
 */
export function decodeStoredColumns(text: string, header: Pick<ColumnarBatch, 'id' | 'rowCount' | 'source'>): ColumnarBatch {
  const parsed = JSON.parse(text) as EncodedColumns | BatchColumns;
  if (!('codec' in parsed)) {
    const { rawNames, rawValues, ...columns } = parsed;
    const rawColumns = rawNames.map((_, position) => rawValues.map((values) => values[position] ?? null));
    return { ...header, columns, rawNames, rawColumns };
  }
  assert(parsed.codec === BATCH_CODEC, 'a stored batch is in a codec this desk reads', { id: header.id, codec: parsed.codec });
  const columns: Record<string, readonly Cell[]> = {};
  for (const [name, code] of Object.entries(parsed.columns)) columns[name] = decodeColumn(code, header.rowCount, columns, { id: header.id, column: name });
  const rawColumns = parsed.raw.map((code, position) => decodeColumn(code, header.rowCount, columns, { id: header.id, raw: parsed.rawNames[position] }) as ReadonlyArray<string | null>);
  return { ...header, columns: columns as unknown as TypedColumns, rawNames: parsed.rawNames, rawColumns };
}

/** The wire columns (raw values row by row) of a stored batch. */
export function decodeColumns(text: string, header: Pick<ColumnarBatch, 'id' | 'rowCount' | 'source'>): BatchColumns {
  const batch = decodeStoredColumns(text, header);
  const rawValues: Array<Array<string | null>> = new Array(batch.rowCount);
  for (let row = 0; row < batch.rowCount; row++) {
    const values: Array<string | null> = new Array(batch.rawNames.length);
    for (let position = 0; position < batch.rawNames.length; position++) values[position] = (batch.rawColumns[position] as ReadonlyArray<string | null>)[row] ?? null;
    rawValues[row] = values;
  }
  return { ...(batch.columns as unknown as Omit<BatchColumns, 'rawNames' | 'rawValues'>), rawNames: [...batch.rawNames], rawValues };
}
