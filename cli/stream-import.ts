import { createHash } from 'node:crypto';
import { assert } from '../core/assert.ts';
import { sha256HexOf } from './hash.ts';
import { statSync } from 'node:fs';
import { decodeText, type TextEncodingName } from '../core/ingest/decode.ts';
import type { IdRegistry } from '../core/ingest/id-registry.ts';
import { pseudonymizer, type Pseudonymization } from '../core/ingest/import-file.ts';
import type { ImportContext } from '../core/ingest/importer.ts';
import { conflictIssues, conflictOf, EntryIdentifier, ImportAccumulator, possibleDuplicateIssues, whereSeen } from '../core/ingest/pipeline.ts';
import type { ConflictingDuplicate, Duplicate, ImportResult, Rejection } from '../core/ingest/result.ts';
import { parseCsvProfile, type CsvProfileInput } from '../core/importers/csv-profile.ts';
import { CsvScanImport } from '../core/importers/csv-scan.ts';
import { streamOfx } from '../core/importers/ofx.ts';
import { minorUnitsOf } from '../core/money/iso4217.ts';
import { ExactSlots } from '../core/money/exact-slots.ts';
import { fromMinorUnits, normalizeMinor, toMinorUnits, type MinorUnits } from '../core/money/minor.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import { forEachChunk } from './files.ts';
import type { Progress } from './progress.ts';

const ROW_BYTES_ESTIMATE = 48;
/** The start of a file's source name in the id registry while its SHA-256 is not yet known. */
const PROVISIONAL_SOURCE = 'reading:';

/** Imported rows of one partner in one currency: how many, and their exact sum. */
export interface PartnerBalance {
  readonly partner: string | null;
  readonly currency: string;
  readonly count: number;
  /** Exact decimal string with the currency's minor digits. */
  readonly sum: string;
}

const SLOTS_INITIAL = 1024;

/**
 * Per-partner, per-currency totals of imported rows in exact integer minor units: one slot per
 * (partner, currency) in a flat ExactSlots (BigInt past safe integers), no decimal arithmetic
 * until the end. A scanned row finds its slot by the scanner's partner ordinal and the currency
 * that ordinal last had (partners mostly settle in one currency): no map lookup per row.
 */
export class PartnerBalances {
  private readonly slotKeys = new Map<string, number>();
  private readonly slotPartners: Array<string | null> = [];
  private readonly slotCurrencies: string[] = [];
  private counts = new Int32Array(SLOTS_INITIAL);
  private readonly sums = new ExactSlots(SLOTS_INITIAL);
  /** Per scanner partner ordinal: the slot and currency of its last row. */
  private readonly ordinalSlots: number[] = [];
  private readonly ordinalCurrencies: string[] = [];

  add(partner: string | null, currency: string, minor: MinorUnits): void {
    this.addAt(this.slotOf(partner, currency), minor);
  }

  /** add() for a partner the scanner numbered `ordinal` (-1: no partner); the ordinals of one scan only. */
  addScanned(ordinal: number, partner: string | null, currency: string, minor: MinorUnits): void {
    if (ordinal === -1) {
      this.add(partner, currency, minor);
      return;
    }
    let slot: number;
    if (this.ordinalCurrencies[ordinal] === currency) slot = this.ordinalSlots[ordinal] as number;
    else {
      slot = this.slotOf(partner, currency);
      this.ordinalSlots[ordinal] = slot;
      this.ordinalCurrencies[ordinal] = currency;
    }
    this.addAt(slot, minor);
  }

  addTransaction(transaction: Pick<CanonicalTransaction, 'partnerId' | 'currency' | 'amount'>): void {
    this.add(transaction.partnerId, transaction.currency, toMinorUnits(transaction.amount, minorUnitsOf(transaction.currency)));
  }

  /** Sorted by partner (unassigned last), then currency. */
  list(): PartnerBalance[] {
    const rows: PartnerBalance[] = [];
    for (let slot = 0; slot < this.slotCurrencies.length; slot++) {
      const count = this.counts[slot] as number;
      const currency = this.slotCurrencies[slot] as string;
      rows.push({ partner: this.slotPartners[slot] ?? null, currency, count, sum: fromMinorUnits(normalizeMinor(this.sums.read(slot)), minorUnitsOf(currency)) });
    }
    const order = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
    return rows.sort((a, b) => order(a.partner, b.partner) || order(a.currency, b.currency));
  }

  private addAt(slot: number, minor: MinorUnits): void {
    this.counts[slot] = (this.counts[slot] as number) + 1;
    this.sums.add(slot, minor);
  }

  private slotOf(partner: string | null, currency: string): number {
    const key = keyOf(partner, currency);
    let slot = this.slotKeys.get(key);
    if (slot === undefined) {
      slot = this.slotCurrencies.length;
      this.slotKeys.set(key, slot);
      this.slotPartners.push(partner);
      this.slotCurrencies.push(currency);
      if (slot === this.counts.length) {
        const counts = new Int32Array(slot * 2);
        counts.set(this.counts);
        this.counts = counts;
        this.sums.relayout(slot * 2, (index) => index);
      }
    }
    return slot;
  }
}

/** A partner and currency as one map key: the currency is a three-letter ISO code, so the key cannot be ambiguous. */
function keyOf(partner: string | null, currency: string): string {
  return partner === null ? currency : `${currency}:${partner}`;
}

export type StreamedImport = Omit<ImportResult, 'transactions'> & { readonly imported: number; readonly balances: PartnerBalance[] };

/**
 * Imports a generic CSV in bounded memory, in one pass of 1 MiB chunks: each chunk is hashed (the
 * file's SHA-256 is its identity) and scanned by the core scanner (csv-scan.ts), which falls back
 * to the papaparse path wherever it must. Transactions are counted and summed per partner, not
 * kept: memory holds one chunk and the run's compact id registry.
 *
 * The SHA-256 is known only at the end, so the file's ids are recorded under a provisional source
 * name that is then replaced, in the registry and in the duplicates found on the way (reading
 * the file twice, to hash it first, cost a tenth of a million-row import).
 */
export function streamCsvImport(
  file: string,
  profileInput: unknown,
  encoding: TextEncodingName | 'auto',
  policy: Pseudonymization,
  registry: IdRegistry,
  progress: Progress,
): StreamedImport {
  const profile = parseCsvProfile(profileInput as CsvProfileInput);
  const provisional = `${PROVISIONAL_SOURCE}${registry.size}:${file}`;
  const context: ImportContext = { fileName: file, sha256: provisional, pseudonymize: pseudonymizer(policy) };
  const identifier = new EntryIdentifier({ registry }, context, 'csv');
  // About one id per 48 bytes of CSV: room for them up front instead of growing on the way.
  registry.reserve(registry.size + Math.ceil(statSync(file).size / ROW_BYTES_ESTIMATE));
  const balances = new PartnerBalances();
  const rejected: Rejection[] = [];
  const duplicates: Duplicate[] = [];
  const conflicts: ConflictingDuplicate[] = [];
  let imported = 0;
  const scan = new CsvScanImport(profile, context, encoding === 'auto' ? (profile.encoding as TextEncodingName | 'auto') : encoding, {
    scanned: (row) => {
      const duplicate = identifier.referenceDuplicate(row.namespace, row.account, row.bytes, row.referenceStart, row.referenceEnd, row.line, row.currency, row.amountMinor, row.bookingDate, row.valueDate);
      if (duplicate !== null) {
        if (duplicate.conflicting) {
          conflicts.push(conflictOf(row.line, duplicate.id, duplicate.duplicateOf, { amount: fromMinorUnits(row.amountMinor, minorUnitsOf(row.currency)), currency: row.currency, bookingDate: row.bookingDate, valueDate: row.valueDate }, null));
        } else duplicates.push({ line: row.line, id: duplicate.id, duplicateOf: whereSeen(duplicate.duplicateOf) });
        return;
      }
      imported++;
      balances.addScanned(row.partnerOrdinal, row.partnerId, row.currency, row.amountMinor);
    },
    entry: (entry) => {
      const { id, duplicateOf, conflicting } = identifier.idOf(entry);
      if (duplicateOf !== null) {
        if (conflicting) conflicts.push(conflictOf(entry.line, id, duplicateOf, entry, null));
        else duplicates.push({ line: entry.line, id, duplicateOf: whereSeen(duplicateOf) });
        return;
      }
      imported++;
      balances.addTransaction(entry);
    },
    reject: (rejection) => rejected.push(rejection),
  });
  const hash = createHash('sha256');
  let bytes = 0;
  forEachChunk(file, (chunk) => {
    hash.update(chunk);
    scan.push(chunk);
    bytes += chunk.length;
    progress.update(scan.rowsRead, bytes);
  });
  const summary = scan.end();
  progress.done();
  const sha256 = hash.digest('hex');
  registry.nameSource(registry.sourceIndex(provisional), sha256);
  for (let index = 0; index < duplicates.length; index++) {
    const duplicate = duplicates[index] as Duplicate;
    if (duplicate.duplicateOf.sourceId === provisional) duplicates[index] = { ...duplicate, duplicateOf: { ...duplicate.duplicateOf, sourceId: sha256 } };
  }
  for (let index = 0; index < conflicts.length; index++) {
    const conflict = conflicts[index] as ConflictingDuplicate;
    if (conflict.conflictsWith.sourceId === provisional) conflicts[index] = { ...conflict, conflictsWith: { ...conflict.conflictsWith, sourceId: sha256 } };
  }
  const possibleDuplicates = identifier.possibleDuplicates();
  const result: StreamedImport = {
    file: { fileName: file, sha256, sizeBytes: statSync(file).size, format: 'csv' },
    rowsRead: summary.rowsRead,
    entriesRead: summary.rowsRead,
    imported,
    rejected,
    duplicates,
    conflicts,
    possibleDuplicates,
    statements: [],
    issues: [...possibleDuplicateIssues(possibleDuplicates), ...conflictIssues(conflicts)],
    balances: balances.list(),
  };
  assert(result.rowsRead === imported + rejected.length + duplicates.length + conflicts.length, 'every row is imported, rejected, a duplicate or a conflict', {
    rowsRead: result.rowsRead,
    imported,
    rejected: rejected.length,
    duplicates: duplicates.length,
    conflicts: conflicts.length,
  });
  return result;
}

/**
 * Imports an OFX file (1.x SGML or 2.x XML) without keeping its transactions: the core reader
 * hands over each STMTTRN as it closes, the shared pipeline identifies it in the run's registry,
 * and only the partner sums stay. A whole-file import held every entry and transaction as
 * objects (a 59 MB OFX 1 took 1.9 GB, later 596 MB); this holds the file's bytes and text.
 */
export function streamOfxImport(file: string, bytes: Uint8Array, encoding: TextEncodingName | 'auto', policy: Pseudonymization, registry: IdRegistry): StreamedImport {
  const context: ImportContext = { fileName: file, sha256: sha256HexOf(bytes), pseudonymize: pseudonymizer(policy) };
  const text = decodeText(bytes, file, encoding).text;
  const balances = new PartnerBalances();
  const accumulator = new ImportAccumulator({ registry }, context, 'ofx', (transaction) => balances.addTransaction(transaction));
  const read = streamOfx(text, file, (entry) => accumulator.add(entry));
  const account = accumulator.finish({ rowsRead: read.rowsRead, rejected: [...read.rejected], statements: [...read.sections], issues: [...read.issues] }, bytes.length);
  return { ...account, balances: balances.list() };
}
