import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { classify, compileRules, type CompiledRule } from '../core/classify/rules.ts';
import { SettleDeskError } from '../core/errors.ts';
import { createStreamDecoder, utf16WithoutBom, type TextEncodingName } from '../core/ingest/decode.ts';
import { IdRegistry } from '../core/ingest/id-registry.ts';
import { FILE_BYTES_MAX, importFile, pseudonymizer, type Pseudonymization } from '../core/ingest/import-file.ts';
import type { ImportContext } from '../core/ingest/importer.ts';
import { conflictId, conflictIssues, conflictOf, contentOf, EntryIdentifier, ImportAccumulator, possibleDuplicateIssues, whereSeen } from '../core/ingest/pipeline.ts';
import type { ConflictingDuplicate, Duplicate, ImportResult, Rejection } from '../core/ingest/result.ts';
import { parseCsvProfile, type CsvProfileInput } from '../core/importers/csv-profile.ts';
import { ByteMemo } from '../core/importers/byte-memo.ts';
import { CsvScanImport } from '../core/importers/csv-scan.ts';
import { createCsvImportStream, type CsvBatch } from '../core/importers/csv-stream.ts';
import { LEDGER_CSV_PROFILE_INPUT } from '../core/importers/ledger-csv.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import { leanRowMaker, leanTransactionMaker } from '../core/reconcile/lean-transaction.ts';
import { BoundedMemo } from '../core/importers/row-values.ts';
import type { PspImportOptions } from '../core/importers/psp-common.ts';
import { createStripeStream } from '../core/importers/stripe.ts';
import { StripeScan } from '../core/importers/stripe-scan.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import type { ParsedCommandArgs } from './command.ts';
import { sha256HexOf } from './hash.ts';
import { expandInputs, forEachChunk, inOptionFile, readChunks, readInputFile, readOptionJson, sniffFormat } from './files.ts';
import { loadProfile } from './profiles.ts';
import { createProgress } from './progress.ts';
import { ScannedLedgerRow } from './scanned-ledger-row.ts';
import { DEFAULT_WORKSPACE, pseudonymization } from './workspace.ts';

/** A file's import account: what was read, imported, rejected and repeated (its transactions go to the caller). */
export type ImportAccount = Omit<ImportResult, 'transactions'>;

export interface LoadedTransactions {
  readonly transactions: CanonicalTransaction[];
  /** Each file's import account; its transactions are in `transactions` (classified), not kept twice. */
  readonly imports: ImportAccount[];
  /** Transactions no classification rule matched (they keep what the importer gave them). */
  readonly unclassified: number;
}

/** Reads a classification rule set (JSON: {"rules": [...]}) for --rules. */
export function loadRules(file: string): CompiledRule[] {
  const json = readOptionJson(file);
  return inOptionFile(file, () => compileRules(json));
}

/** How a command reads transaction files, from its --workspace, --profile and --rules options. */
export interface TransactionReading {
  readonly policy: Pseudonymization;
  readonly profile?: unknown;
  readonly rules?: readonly CompiledRule[];
  /**
   * When set, each transaction keeps only these fields of `raw` (the source's own columns): a
   * command that never shows them (reconcile) does not hold a million copies of every column.
   * A streamed Stripe export builds only these (a conflicting row's kept transaction included).
   */
  readonly rawKept?: ReadonlySet<string>;
  /** With rawKept: each transaction is handed over as a LeanTransaction (same fields, less memory; reconcile holds millions). */
  readonly lean?: boolean;
}

/** The raw record of a transaction that keeps none of its source fields (shared, never written). */
const NO_RAW: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** `raw` reduced to the `kept` fields (the shared empty record when it has none of them). */
function keptRaw(raw: Record<string, string>, kept: ReadonlySet<string>): Record<string, string> {
  let reduced: Record<string, string> | null = null;
  for (const key of kept) {
    const value = raw[key];
    if (value === undefined) continue;
    reduced ??= {};
    reduced[key] = value;
  }
  return reduced ?? NO_RAW;
}

/** Distinct one-field records shared at a time (rows of one payout follow each other). */
const SHARED_RECORDS_MAX = 4096;
/** Longest kept cell shared by its bytes (a payout id is some 30); a longer one is read each time. */
const SHARED_RECORD_BYTES_MAX = 256;

/**
 * keptRaw for a reader, sharing equal records when one field is kept (reconcile keeps a ledger's
 * expected_payout, which repeats for every row of a payout): one frozen record per value, not a
 * million small ones.
 */
function rawReducer(kept: ReadonlySet<string>): (raw: Record<string, string>) => Record<string, string> {
  if (kept.size !== 1) return (raw) => keptRaw(raw, kept);
  const name = kept.values().next().value as string;
  const records = new BoundedMemo<Record<string, string>>(SHARED_RECORDS_MAX);
  return (raw) => {
    const value = raw[name];
    return value === undefined ? NO_RAW : records.get(value, () => Object.freeze({ [name]: value }));
  };
}

/** Distinct amounts shared at a time: a month's amounts repeat (ten rows an amount in the 1M-row bench), ids never do. */
const SHARED_AMOUNTS_MAX = 1 << 17;

/** Distinct partner, product and channel ids shared at a time. */
const SHARED_IDS_MAX = 4096;

const same = (text: string): string => text;

/**
 * For a reader that keeps transactions by the million (reconcile): equal amounts, partner,
 * product and channel ids become one string each instead of one per row (each row's own copy then
 * dies young). Strings are values, so nothing a caller sees changes.
 */
function valueSharer(): (transaction: CanonicalTransaction) => void {
  const amounts = new BoundedMemo<string>(SHARED_AMOUNTS_MAX);
  const ids = new BoundedMemo<string>(SHARED_IDS_MAX);
  return (transaction) => {
    transaction.amount = amounts.get(transaction.amount, same);
    if (transaction.partnerId !== null) transaction.partnerId = ids.get(transaction.partnerId, same);
    if (transaction.productId !== null) transaction.productId = ids.get(transaction.productId, same);
    if (transaction.channel !== null) transaction.channel = ids.get(transaction.channel, same);
  };
}

export function transactionReading(values: ParsedCommandArgs['values']): TransactionReading {
  const policy = pseudonymization(undefined, (values.workspace as string | undefined) ?? DEFAULT_WORKSPACE);
  const profile = typeof values.profile === 'string' ? loadProfile(values.profile) : undefined;
  const rules = typeof values.rules === 'string' ? loadRules(values.rules) : undefined;
  return { policy, ...(profile === undefined ? {} : { profile }), ...(rules === undefined ? {} : { rules }) };
}

/** Bytes decoded at a time for a streamed CSV: small enough that each slice's strings die young. */
const CSV_SLICE_BYTES = 256 * 1024;

/**
 * Rows a streamed CSV hands over at a time. Small: a batch's parsed entries then die in the young
 * generation, where 10,000 of them (the stream's default) lived through scavenges and were copied.
 */
const CSV_BATCH_ROWS = 1000;

/**
 * Bytes of a scanned file per id it is likely to give, at most (as stream-import.ts reserves): the
 * registry makes room for the file's ids up front instead of doubling its arrays and re-placing
 * every id on the way (the bench's Stripe export gives an id per 58 bytes, its ledger per 68).
 */
const ID_BYTES_ESTIMATE = 48;

/**
 * Reads every file of FILE|DIR arguments with the same importers as `settledesk import`
 * (formats detected), so every command sees the transactions exactly as an import would.
 * Transactions are yielded file by file, and a CSV read through a profile in batches of rows,
 * so a caller that aggregates (settle) never holds the month in memory. Duplicates across the
 * files count once; a file that cannot be read stops the command. Each file's import account is
 * in `imports` once the file has been read.
 */
export class TransactionReader {
  readonly imports: ImportAccount[] = [];
  unclassified = 0;
  /** Ids of every file read, so a later file's repeats count as duplicates. */
  private readonly registry = new IdRegistry();

  /** raw reduced to reading.rawKept; null keeps it whole. */
  private readonly reduceRaw: ((raw: Record<string, string>) => Record<string, string>) | null;

  /** Shares repeated values when raw is reduced (a reader that keeps millions of transactions); null otherwise. */
  private readonly shareValues: ((transaction: CanonicalTransaction) => void) | null;

  /** Turns each reduced transaction into a LeanTransaction (reading.lean); null keeps it as the importer made it. */
  private readonly lean: ((transaction: CanonicalTransaction) => CanonicalTransaction) | null;

  /** Lean transactions without rules: a Stripe export and the ledger CSV are scanned (stripe-scan.ts, csv-scan.ts), their rows made lean from their cells. */
  private readonly scanLean: boolean;

  constructor(private readonly reading: TransactionReading) {
    this.scanLean = reading.rawKept !== undefined && reading.lean === true && reading.rules === undefined;
    this.reduceRaw = reading.rawKept === undefined ? null : rawReducer(reading.rawKept);
    this.shareValues = reading.rawKept === undefined ? null : valueSharer();
    this.lean = reading.rawKept !== undefined && reading.lean === true ? leanTransactionMaker() : null;
  }

  *transactions(inputs: readonly string[]): Generator<CanonicalTransaction> {
    const files = expandInputs(inputs);
    if (files.length === 0) throw new SettleDeskError('input_empty', `no files found in ${inputs.join(', ')}`);
    for (const file of files) {
      const format = sniffFormat(file, 'auto');
      // The ledger CSV is a generic CSV with a fixed profile: streamed in batches like one.
      if (format === 'ledger-csv') {
        yield* this.scanLean && this.reading.rawKept?.size === 1 ? this.scannedLedger(file) : this.streamedCsv(file, LEDGER_CSV_PROFILE_INPUT, 'ledger-csv');
        continue;
      }
      if (this.reading.profile !== undefined && format === 'csv') {
        yield* this.streamedCsv(file, this.reading.profile, 'csv');
        continue;
      }
      // A Stripe export is streamed when it is plain UTF-8 (the common case); anything else is read whole.
      if (format === 'stripe') {
        const hashed = utf8FileHash(file);
        if (hashed !== null) {
          yield* this.scanLean ? this.scannedStripe(file, hashed) : this.streamedStripe(file, hashed);
          continue;
        }
      }
      const result = importFile(IMPORTERS, readInputFile(file), file, { format: 'auto', pseudonymization: this.reading.policy, knownIds: this.registry, importerOptions: this.reading.profile, sha256Hex: sha256HexOf });
      for (const tx of result.transactions) this.registry.record(tx.id, { line: tx.source.line, sourceId: tx.source.sourceId, content: contentOf(tx) });
      const { transactions, ...account } = result;
      this.imports.push(account);
      yield* this.classified(transactions);
    }
  }

  /** Rules look at one transaction at a time, so a file (or a batch) is classified on its own; raw is reduced after, as rules may read it. */
  private *classified(transactions: readonly CanonicalTransaction[]): Generator<CanonicalTransaction> {
    const rules = this.reading.rules;
    if (rules === undefined) {
      yield* this.reduced(transactions);
      return;
    }
    const result = classify(transactions, rules);
    yield* this.reduced(result.classified.map((each) => each.transaction));
    yield* this.reduced(result.unclassified);
    this.unclassified += result.unclassified.length;
  }

  private reduced(transactions: readonly CanonicalTransaction[]): readonly CanonicalTransaction[] {
    const reduce = this.reduceRaw;
    const share = this.shareValues;
    if (reduce !== null)
      for (const transaction of transactions) {
        transaction.raw = reduce(transaction.raw);
        if (share !== null) share(transaction);
      }
    const lean = this.lean;
    return lean === null ? transactions : transactions.map(lean);
  }

  /** The batches' entries as transactions (ids given, duplicates and rejections set aside), classified. */
  private *identified(batches: readonly CsvBatch[], identifier: EntryIdentifier, rejected: Rejection[], duplicates: Duplicate[], conflicts: ConflictingDuplicate[]): Generator<CanonicalTransaction> {
    for (const batch of batches) {
      for (const rejection of batch.rejected) rejected.push(rejection);
      const transactions: CanonicalTransaction[] = [];
      for (const entry of batch.entries) {
        const identified = identifier.identify(entry);
        if ('duplicate' in identified) duplicates.push(identified.duplicate);
        else if ('conflict' in identified) conflicts.push(identified.conflict);
        else transactions.push(identified.transaction);
      }
      yield* this.classified(transactions);
    }
  }

  /**
   * A Stripe export in slices, through the same mapper and pipeline as a whole-file import (same
   * entries, ids, rejections and account): neither the file's text nor its entries are held at once.
   */
  private *streamedStripe(file: string, hashed: { readonly sha256: string; readonly sizeBytes: number }): Generator<CanonicalTransaction> {
    const context: ImportContext = { fileName: file, sha256: hashed.sha256, pseudonymize: pseudonymizer(this.reading.policy) };
    const batch: CanonicalTransaction[] = [];
    const accumulator = new ImportAccumulator({ registry: this.registry }, context, 'stripe', (transaction) => batch.push(transaction));
    // Classification rules may read any raw column; without rules only the kept ones are built.
    const rawKept = this.reading.rules === undefined ? (this.reading.rawKept ?? null) : null;
    const stream = createStripeStream(context, this.reading.profile as PspImportOptions | undefined, (entry) => accumulator.add(entry), rawKept);
    const decoder = new TextDecoder('utf-8');
    for (const { bytes, last } of readChunks(file, CSV_SLICE_BYTES)) {
      stream.push(decoder.decode(bytes, { stream: !last }));
      yield* this.classified(batch.splice(0));
    }
    const read = stream.end();
    yield* this.classified(batch.splice(0));
    const { imported: _imported, ...account } = accumulator.finish(read, hashed.sizeBytes);
    const reduce = this.reduceRaw;
    if (reduce !== null) for (const conflict of account.conflicts) if (conflict.transaction !== null) conflict.transaction.raw = reduce(conflict.transaction.raw);
    this.imports.push(account);
  }

  /**
   * A Stripe export scanned for lean transactions (reconcile): the rows the scanner vouches for
   * become LeanTransactions from their cells, the others go through the importer's mapper and
   * the pipeline as in streamedStripe (same transactions in file order, ids and account).
   */
  private *scannedStripe(file: string, hashed: { readonly sha256: string; readonly sizeBytes: number }): Generator<CanonicalTransaction> {
    const context: ImportContext = { fileName: file, sha256: hashed.sha256, pseudonymize: pseudonymizer(this.reading.policy) };
    this.registry.reserve(this.registry.size + Math.ceil(hashed.sizeBytes / ID_BYTES_ESTIMATE));
    const rawKept = this.reading.rawKept as ReadonlySet<string>;
    const batch: CanonicalTransaction[] = [];
    const lean = leanRowMaker({ sourceId: hashed.sha256, format: 'stripe', fileName: file });
    const raw = (this.reduceRaw as (raw: Record<string, string>) => Record<string, string>)(NO_RAW);
    const scan = new StripeScan(context, this.reading.profile as PspImportOptions | undefined, { registry: this.registry }, rawKept, {
      scanned: (row) => batch.push(lean(row, raw)),
      transaction: (transaction) => {
        for (const made of this.reduced([transaction])) batch.push(made);
      },
    });
    const decoder = new TextDecoder('utf-8');
    for (const { bytes, last } of readChunks(file, CSV_SLICE_BYTES)) {
      scan.push(decoder.decode(bytes, { stream: !last }));
      yield* batch.splice(0);
    }
    const { imported: _imported, ...account } = scan.finish(hashed.sizeBytes);
    yield* batch.splice(0);
    const reduce = this.reduceRaw;
    if (reduce !== null) for (const conflict of account.conflicts) if (conflict.transaction !== null) conflict.transaction.raw = reduce(conflict.transaction.raw);
    this.imports.push(account);
  }

  /** The file's import context: every transaction names its file by SHA-256, so the file is hashed before its rows are read. */
  private hashedContext(file: string): { readonly context: ImportContext; readonly sizeBytes: number } {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    forEachChunk(file, (chunk) => {
      hash.update(chunk);
      sizeBytes += chunk.length;
    });
    return { context: { fileName: file, sha256: hash.digest('hex'), pseudonymize: pseudonymizer(this.reading.policy) }, sizeBytes };
  }

  /**
   * The ledger CSV scanned for lean transactions (reconcile, one raw column kept): the rows the
   * byte scanner vouches for (csv-scan.ts) become LeanTransactions from their cells, the others
   * go through the profile mapper and the pipeline as in streamedCsv (same transactions in file
   * order, ids, rejections, duplicates, conflicts and account).
   */
  private *scannedLedger(file: string): Generator<CanonicalTransaction> {
    const { context, sizeBytes } = this.hashedContext(file);
    this.registry.reserve(this.registry.size + Math.ceil(sizeBytes / ID_BYTES_ESTIMATE));
    const identifier = new EntryIdentifier({ registry: this.registry }, context, 'ledger-csv');
    const kept = this.reading.rawKept?.values().next().value as string;
    const batch: CanonicalTransaction[] = [];
    const rejected: Rejection[] = [];
    const duplicates: Duplicate[] = [];
    const conflicts: ConflictingDuplicate[] = [];
    const lean = leanRowMaker({ sourceId: context.sha256, format: 'ledger-csv', fileName: file });
    const row = new ScannedLedgerRow();
    const records = new ByteMemo<Record<string, string>>(SHARED_RECORDS_MAX, SHARED_RECORD_BYTES_MAX);
    const recordOf = (value: string): Record<string, string> => Object.freeze({ [kept]: value });
    let keptColumn = -2;
    const progress = createProgress(sizeBytes);
    const scan = new CsvScanImport(LEDGER_CSV_PROFILE_INPUT, context, 'utf-8', {
      scanned: (scanned) => {
        const duplicate = identifier.referenceDuplicate(scanned.namespace, scanned.account, scanned.bytes, scanned.referenceStart, scanned.referenceEnd, scanned.line, scanned.currency, scanned.amountMinor, scanned.bookingDate, scanned.valueDate);
        row.read(scanned, duplicate === null ? null : duplicate.id);
        if (duplicate === null) {
          if (keptColumn === -2) keptColumn = scan.columnIndex(kept);
          const raw = keptColumn < 0 ? NO_RAW : records.get(scanned.bytes, scanned.fieldStarts[keptColumn] as number, scanned.fieldEnds[keptColumn] as number, recordOf);
          batch.push(lean(row, raw));
        } else if (!duplicate.conflicting) duplicates.push({ line: scanned.line, id: duplicate.id, duplicateOf: whereSeen(duplicate.duplicateOf) });
        else conflicts.push(conflictOf(scanned.line, duplicate.id, duplicate.duplicateOf, row, row.conflictTransaction(context, conflictId(duplicate.id, row), scan.rawRecordOf(scanned))));
      },
      entry: (entry) => {
        const identified = identifier.identify(entry);
        if ('duplicate' in identified) duplicates.push(identified.duplicate);
        else if ('conflict' in identified) conflicts.push(identified.conflict);
        else for (const made of this.reduced([identified.transaction])) batch.push(made);
      },
      reject: (rejection) => rejected.push(rejection),
    });
    let bytesRead = 0;
    for (const { bytes } of readChunks(file, CSV_SLICE_BYTES)) {
      scan.push(bytes);
      bytesRead += bytes.length;
      progress.update(scan.rowsRead, bytesRead);
      yield* batch.splice(0);
    }
    const summary = scan.end();
    progress.done();
    yield* batch.splice(0);
    this.imports.push(csvAccount({ fileName: file, sha256: context.sha256, sizeBytes, format: 'ledger-csv' }, summary.rowsRead, identifier, { rejected, duplicates, conflicts }));
  }

  /** A generic CSV through its profile, in batches: the same rows, ids and rejections as a whole-file import. */
  private *streamedCsv(file: string, profileInput: unknown, format: 'csv' | 'ledger-csv'): Generator<CanonicalTransaction> {
    const profile = parseCsvProfile(profileInput as CsvProfileInput);
    const { context, sizeBytes } = this.hashedContext(file);
    const identifier = new EntryIdentifier({ registry: this.registry }, context, format);
    const batches: CsvBatch[] = [];
    // A bar with rows/s on stderr while a big file is read, when stderr is a terminal.
    const progress = createProgress(sizeBytes);
    const stream = createCsvImportStream(profile, context, { onBatch: (batch) => batches.push(batch), onProgress: ({ rows, bytes }) => progress.update(rows, bytes) }, CSV_BATCH_ROWS);
    const decoder = createStreamDecoder(file, profile.encoding as TextEncodingName | 'auto');
    const rejected: Rejection[] = [];
    const duplicates: Duplicate[] = [];
    const conflicts: ConflictingDuplicate[] = [];
    for (const { bytes, last } of readChunks(file, CSV_SLICE_BYTES)) {
      stream.push(decoder.decode(bytes, last));
      yield* this.identified(batches.splice(0), identifier, rejected, duplicates, conflicts);
    }
    const summary = stream.end();
    progress.done();
    yield* this.identified(batches.splice(0), identifier, rejected, duplicates, conflicts);
    this.imports.push(csvAccount({ fileName: file, sha256: context.sha256, sizeBytes, format }, summary.rowsRead, identifier, { rejected, duplicates, conflicts }));
  }
}

/** The account of a CSV read row by row (one entry a row, no statements): what the file gave and what it did not. */
function csvAccount(file: ImportAccount['file'], rowsRead: number, identifier: EntryIdentifier, kept: Pick<ImportAccount, 'rejected' | 'duplicates' | 'conflicts'>): ImportAccount {
  const possibleDuplicates = identifier.possibleDuplicates();
  return {
    file,
    rowsRead,
    entriesRead: rowsRead,
    ...kept,
    possibleDuplicates,
    statements: [],
    issues: [...possibleDuplicateIssues(possibleDuplicates), ...conflictIssues(kept.conflicts)],
  };
}

/**
 * The file's SHA-256 and size when it is UTF-8 throughout (a UTF-8 BOM or none) and within the
 * whole-file import's size limit, else null: what importFile would decode as UTF-8 without a guess.
 * Checked by isUtf8 (no text made; a fatal TextDecoder took 25 times as long and made the file's
 * text as garbage), a chunk's cut sequence completed by the next chunk's first bytes.
 */
export function utf8FileHash(file: string): { readonly sha256: string; readonly sizeBytes: number } | null {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let plain = true;
  /** The last chunk's incomplete sequence at its end (at most 3 bytes). */
  let cut: Uint8Array = new Uint8Array(0);
  forEachChunk(file, (chunk) => {
    if (!plain) return;
    if (sizeBytes === 0 && utf16WithoutBom(chunk) !== null) plain = false;
    hash.update(chunk);
    sizeBytes += chunk.length;
    let from = 0;
    if (cut.length > 0) {
      from = Math.min(chunk.length, utf8SequenceLength(cut[0] as number) - cut.length);
      const joined = new Uint8Array(cut.length + from);
      joined.set(cut);
      joined.set(chunk.subarray(0, from), cut.length);
      cut = joined;
      if (joined.length < utf8SequenceLength(joined[0] as number)) return;
      if (!isUtf8(joined)) plain = false;
      cut = new Uint8Array(0);
    }
    const end = incompleteEnd(chunk, from);
    if (!isUtf8(chunk.subarray(from, end))) plain = false;
    cut = chunk.slice(end);
  });
  // A file ending inside a sequence is not UTF-8.
  if (cut.length > 0) plain = false;
  return plain && sizeBytes > 0 && sizeBytes <= FILE_BYTES_MAX ? { sha256: hash.digest('hex'), sizeBytes } : null;
}

/** Bytes of the UTF-8 sequence a lead byte starts (a byte that is no lead counts as one: isUtf8 judges it). */
function utf8SequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** Where the sequence cut by the end of bytes[from, ...) starts; the end when none is cut. */
function incompleteEnd(bytes: Uint8Array, from: number): number {
  for (let index = bytes.length - 1; index >= Math.max(from, bytes.length - 3); index--) {
    const byte = bytes[index] as number;
    if (byte < 0x80) break;
    if (byte >= 0xc0) return index + utf8SequenceLength(byte) > bytes.length ? index : bytes.length;
  }
  return bytes.length;
}

/** All transactions of the files at once, for the commands that need them together (reconcile, insights, journal). */
export function loadTransactions(inputs: readonly string[], reading: TransactionReading): LoadedTransactions {
  const reader = new TransactionReader(reading);
  const transactions: CanonicalTransaction[] = [];
  // A loop, not [...generator] into push(...): a million-row file would overflow the call stack.
  for (const transaction of reader.transactions(inputs)) transactions.push(transaction);
  return { transactions, imports: reader.imports, unclassified: reader.unclassified };
}
