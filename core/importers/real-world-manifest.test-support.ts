import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError, SettleDeskError } from '../errors.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { decodeText } from '../ingest/decode.ts';
import type { ImportContext, ImportFormat, Importer, ParseOutput } from '../ingest/importer.ts';
import { finalizeImport } from '../ingest/pipeline.ts';
import type { ImportResult, StatementSummary } from '../ingest/result.ts';
import { Decimal } from '../money/decimal.ts';
import { CanonicalTransaction } from '../transactions/schema.ts';

/**
 * What the importer tests share: the real bank files of the shared corpus and the facts
 * MANIFEST.json states about them, the import run the tests check, and the fuzzing harness.
 * Only tests import this module (it reads files with node:fs).
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The shared real-world corpus, found only through SETTLEDESK_REAL_WORLD (a path, relative to the
 * repository root or absolute; .ci/run sets it): a clone without the corpus skips those tests and
 * says why, and a variable that names no corpus fails loudly instead of skipping.
 */
export const REAL_WORLD_DIR: string | null = realWorldDir(process.env.SETTLEDESK_REAL_WORLD);

function realWorldDir(setting: string | undefined): string | null {
  if (setting === undefined || setting === '') return null;
  const dir = path.resolve(REPO_ROOT, setting);
  if (!existsSync(path.join(dir, 'MANIFEST.json'))) throw new Error(`SETTLEDESK_REAL_WORLD=${setting}: ${dir} holds no MANIFEST.json`);
  return dir;
}

export const REAL_WORLD_SKIPPED = 'skipped: SETTLEDESK_REAL_WORLD is not set (.ci/run sets it to ../shared/fixtures/real-world)';

/** A describe block over the real-world corpus, or one skipped test that says why it is not there. */
export function describeRealWorld(name: string, body: () => void): void {
  if (REAL_WORLD_DIR !== null) describe(name, body);
  else describe(name, () => it.skip(REAL_WORLD_SKIPPED, () => undefined));
}

const REAL_WORLD = REAL_WORLD_DIR === null ? null : pathToFileURL(`${REAL_WORLD_DIR}/`);

function realWorldUrl(file: string): URL {
  if (REAL_WORLD === null) throw new Error(`${file}: ${REAL_WORLD_SKIPPED}`);
  return new URL(file, REAL_WORLD);
}

/** The facts every MANIFEST entry states; each format's test declares the rest of `expected`. */
export interface ManifestFile<TExpected> {
  readonly path: string;
  readonly format: string;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly expected: TExpected;
}

/** Balances, count and sums of one account + currency over a whole file. */
export interface ManifestAccountTotals {
  readonly account: string;
  readonly currency: string;
  readonly opening_balance: string | null;
  readonly closing_balance: string | null;
  readonly entry_count: number;
  readonly sum_credits: string;
  readonly sum_debits: string;
}

/** The MANIFEST entries of these formats, in MANIFEST order. */
export function manifestFiles<TExpected>(formats: readonly string[]): Array<ManifestFile<TExpected>> {
  if (REAL_WORLD === null) return [];
  const manifest = JSON.parse(readFileSync(realWorldUrl('MANIFEST.json'), 'utf8')) as { files: Array<ManifestFile<TExpected>> };
  return manifest.files.filter((file) => formats.includes(file.format));
}

export function readRealWorld(path: string): Uint8Array {
  return new Uint8Array(readFileSync(realWorldUrl(path)));
}

/** The file as UTF-8 text, as the fuzzers start from it. */
export function readRealWorldText(path: string): string {
  return readFileSync(realWorldUrl(path), 'utf8');
}

/** The bytes are the file the MANIFEST describes: same size, same SHA-256. */
export function expectManifestFile(bytes: Uint8Array, file: ManifestFile<unknown>): void {
  expect(bytes.length).toBe(file.size_bytes);
  expect(sha256Hex(bytes)).toBe(file.sha256);
}

/** Every entry of the file was imported: none rejected, none taken for a duplicate. */
export function expectAllImported(result: ImportResult, entryCount: number): void {
  expect(result.rowsRead).toBe(entryCount);
  expect(result.transactions).toHaveLength(entryCount);
  expect(result.rejected).toEqual([]);
  expect(result.duplicates).toEqual([]);
}

/** Amounts compare as numbers: the MANIFEST writes '0.00' where we may write '0', and "-2700.00" JPY equals "-2700"; null only equals null. */
export function expectAmount(actual: string | null | undefined, expected: string | null, what = 'amount'): void {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).toBeTypeOf('string');
  expect(new Decimal(actual as string).equals(expected), `${what}: ${actual} = ${expected}`).toBe(true);
}

function sumOf(values: readonly string[]): Decimal {
  return values.reduce((total, value) => total.plus(value), new Decimal(0));
}

/**
 * Per account + currency over the whole file: the first opening and last closing balance of its
 * statements, and its entry count and credit/debit sums counted both ways, from the imported
 * transactions and from the pipeline's statement sums.
 */
export function expectAccountTotals(result: ImportResult, accounts: readonly ManifestAccountTotals[]): void {
  for (const want of accounts) {
    const what = `${want.account} ${want.currency}`;
    const statements = result.statements.filter((statement) => statement.account === want.account && statement.currency === want.currency);
    const transactions = result.transactions.filter((transaction) => transaction.account === want.account && transaction.currency === want.currency);
    expectAmount(statements.find((statement) => statement.opening !== null)?.opening ?? null, want.opening_balance, `${what} opening`);
    expectAmount(statements.findLast((statement) => statement.closing !== null)?.closing ?? null, want.closing_balance, `${what} closing`);
    expect(transactions, `${what} transactions`).toHaveLength(want.entry_count);
    expect(statements.reduce((count, statement) => count + statement.entries, 0), `${what} entries`).toBe(want.entry_count);
    const credits = transactions.filter((transaction) => new Decimal(transaction.amount).isPositive()).map((transaction) => transaction.amount);
    const debits = transactions.filter((transaction) => new Decimal(transaction.amount).isNegative()).map((transaction) => transaction.amount);
    expectAmount(sumOf(credits).toFixed(), want.sum_credits, `${what} credits`);
    expectAmount(sumOf(debits).negated().toFixed(), want.sum_debits, `${what} debits`);
    expectAmount(sumOf(statements.map((statement) => statement.credits)).toFixed(), want.sum_credits, `${what} statement credits`);
    expectAmount(sumOf(statements.map((statement) => statement.debits)).toFixed(), want.sum_debits, `${what} statement debits`);
  }
}

/** A section's entry count, sums and balance verdict as the MANIFEST states them for its statement or account record. */
export function expectSectionTotals(
  got: StatementSummary,
  want: { readonly entry_count: number; readonly sum_credits: string; readonly sum_debits: string; readonly balances_reconcile: boolean | null },
): void {
  expect(got.entries).toBe(want.entry_count);
  expectAmount(got.credits, want.sum_credits, 'credits');
  expectAmount(got.debits, want.sum_debits, 'debits');
  expect(got.balanced).toBe(want.balances_reconcile);
}

/** One balance_mismatch issue for each section the MANIFEST says does not reconcile. */
export function expectBalanceIssues(result: ImportResult, sections: ReadonlyArray<{ readonly balances_reconcile: boolean | null }>): void {
  const unbalanced = sections.filter((section) => section.balances_reconcile === false).length;
  expect(result.issues.filter((issue) => issue.code === 'balance_mismatch')).toHaveLength(unbalanced);
}

/** Runs one importer and the shared pipeline on decoded text, as importFile does after decoding and sniffing. */
export function importWith(importer: Importer, format: ImportFormat, text: string, file: { readonly name: string; readonly sha256: string; readonly sizeBytes: number }): ImportResult {
  const context: ImportContext = { fileName: file.name, sha256: file.sha256, pseudonymize: (id) => id };
  return finalizeImport(importer.parse(text, context), context, format, file.sizeBytes);
}

/** Decodes the bytes (encoding sniffed) and imports them with one importer. */
export function importBytesWith(importer: Importer, format: ImportFormat, bytes: Uint8Array, fileName: string): ImportResult {
  return importWith(importer, format, decodeText(bytes, fileName).text, { name: fileName, sha256: sha256Hex(bytes), sizeBytes: bytes.length });
}

/** Imports text as if it were a file of that name: the SHA-256 and size are the text's own. */
export function importTextWith(importer: Importer, format: ImportFormat, text: string, fileName: string): ImportResult {
  return importWith(importer, format, text, { name: fileName, sha256: sha256Hex(text), sizeBytes: text.length });
}

/** The error `run` throws, asserted to be of `type`; fails the test when nothing is thrown. */
export function thrownBy<TError extends SettleDeskError>(run: () => unknown, type: abstract new (...args: never[]) => TError = SettleDeskError as never): TError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as TError;
  }
  throw new Error(`expected a ${type.name}`);
}

/**
 * The fuzzing verdict: the parser either returns an output whose rows all add up and that the
 * pipeline turns into valid canonical transactions, or throws a typed SettleDeskError (never a
 * TypeError, RangeError or broken invariant).
 */
export function expectParsesOrFailsTyped(parse: () => ParseOutput, fileName: string, format: ImportFormat, sizeBytes: number): 'imported' | 'refused' {
  let output: ParseOutput;
  try {
    output = parse();
  } catch (error) {
    expect(error).toBeInstanceOf(SettleDeskError);
    expect(error).not.toBeInstanceOf(InvariantError);
    expect((error as SettleDeskError).code).not.toBe('invariant_broken');
    return 'refused';
  }
  expect(output.rowsRead).toBe(output.entries.length + output.rejected.length);
  const result = finalizeImport(output, { fileName, sha256: 'f'.repeat(64), pseudonymize: (id) => id }, format, sizeBytes);
  for (const transaction of result.transactions) CanonicalTransaction.parse(transaction);
  return 'imported';
}

/** Fuzz pieces for line formats: short arbitrary and binary strings, and the format's own tokens. */
export function textPieces(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(...tokens));
}

/** One of `samples` with one to six edits, each deleting up to 12 characters at a position (modulo the length) and inserting a piece there. */
export function editedTexts(samples: readonly string[], pieces: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), deleteCount: fc.nat({ max: 12 }), insert: pieces });
  return fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) =>
    edits.reduce((mutated, { at, deleteCount, insert }) => {
      const position = at % (mutated.length + 1);
      return mutated.slice(0, position) + insert + mutated.slice(position + deleteCount);
    }, text),
  );
}

/** One change to markup: replaces one element's text ('content'), splices raw text anywhere ('splice'), or cuts the file short. */
export interface MarkupChange {
  readonly at: number;
  readonly length: number;
  readonly insert: string;
  readonly kind: 'content' | 'splice' | 'truncate';
}

function mutateMarkup(text: string, change: MarkupChange): string {
  const at = change.at % (text.length + 1);
  if (change.kind === 'truncate') return text.slice(0, at);
  if (change.kind === 'splice') return text.slice(0, at) + change.insert + text.slice(at + change.length);
  const contents = [...text.matchAll(/>([^<>]+)</g)];
  const target = contents[change.at % Math.max(contents.length, 1)];
  if (target === undefined) return text;
  const start = target.index + 1;
  return text.slice(0, start) + change.insert + text.slice(start + (target[1]?.length ?? 0));
}

/** Texts made from `samples` by one to `changesMax` markup changes, each inserting one of `pieces` (or cutting the text short). */
export function mutatedMarkup(samples: readonly string[], pieces: readonly string[], options: { readonly lengthMax: number; readonly changesMax: number }): fc.Arbitrary<string> {
  const change = fc.record({ at: fc.nat(), length: fc.nat(options.lengthMax), insert: fc.constantFrom(...pieces), kind: fc.constantFrom<MarkupChange['kind']>('content', 'content', 'splice', 'truncate') });
  return fc.tuple(fc.nat(samples.length - 1), fc.array(change, { minLength: 1, maxLength: options.changesMax })).map(([sample, changes]) => changes.reduce(mutateMarkup, samples[sample] ?? ''));
}

/** Fuzzing counts: the inputs must have reached both outcomes, or the fuzz test proves nothing. */
export function expectBothOutcomes(seen: Readonly<Record<'imported' | 'refused', number>>, atLeast: number): void {
  expect(seen.imported).toBeGreaterThan(atLeast);
  expect(seen.refused).toBeGreaterThan(atLeast);
}

/**
 * Files made from `samples` by one to `editsMax` byte edits (replace, insert or delete at a
 * position modulo the length), each byte any value or one of the format's own `specialBytes`.
 */
export function byteMutated(samples: readonly Uint8Array[], specialBytes: readonly number[], editsMax: number): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('replace', 'insert', 'delete'), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...specialBytes)) });
  return fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: editsMax })).map(([sample, edits]) =>
    edits.reduce((bytes, { at, kind, byte }) => {
      const position = at % (bytes.length + 1);
      const tail = bytes.subarray(kind === 'insert' ? position : position + 1);
      return new Uint8Array([...bytes.subarray(0, position), ...(kind === 'delete' ? [] : [byte]), ...tail]);
    }, sample),
  );
}
