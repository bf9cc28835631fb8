import { readCamt } from '../core/importers/camt.ts';
import type { BankBatch, BankStatementEnd } from '../core/reconcile/index.ts';
import { expandInputs, readInputFile, sniffFormat } from './files.ts';
import { SettleDeskError } from '../core/errors.ts';
import type { ImportAccount } from './load-transactions.ts';

/**
 * What reconcile needs of the bank files besides their lines: how far each statement reaches
 * (for "in transit") and the batch bookings with their details (camt TxDtls, camt.054).
 */

/** Each bank statement that states its end (camt FrToDt, else its closing balance's date). */
export function bankStatementEnds(imports: readonly ImportAccount[]): BankStatementEnd[] {
  return imports.flatMap((account) =>
    account.statements.flatMap((statement) => (typeof statement.periodEnd === 'string' ? [{ account: statement.account, currency: statement.currency, endDate: statement.periodEnd }] : [])),
  );
}

const CAMT_FORMATS: ReadonlySet<string> = new Set(['camt.052', 'camt.053', 'camt.054']);

const LT = 0x3c;
const COLON = 0x3a;

/** A byte of [\w.-]: a namespace prefix's character. */
function isPrefixByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f || byte === 0x2e || byte === 0x2d;
}

/**
 * How many start tags `<name>` or `<prefix:name>` (prefix of [\w.-]) the UTF-8 bytes hold, as
 * /<(?:[\w.-]+:)?name>/g counts them in the decoded text (ASCII bytes never occur inside a
 * UTF-8 sequence), up to `enough`: found by Buffer.indexOf, no text decoded.
 */
function startTags(bytes: Buffer, name: Uint8Array, enough: number): number {
  let count = 0;
  for (let at = bytes.indexOf(name); at !== -1 && count < enough; at = bytes.indexOf(name, at + 1)) {
    let before = at - 1;
    if (bytes[before] === COLON) {
      const colon = before;
      while (before > 0 && isPrefixByte(bytes[before - 1] as number)) before--;
      before--;
      if (before === colon - 1) continue;
    }
    if (before >= 0 && bytes[before] === LT) count++;
  }
  return count;
}

const BTCH = Buffer.from('Btch>', 'latin1');
const TX_DTLS = Buffer.from('TxDtls>', 'latin1');
const NTRY = Buffer.from('Ntry>', 'latin1');

/** A batch shows as a Btch element or as an entry with several TxDtls: more TxDtls than Ntry elements. */
export function mayHoldBatches(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (startTags(buffer, BTCH, 1) > 0) return true;
  return startTags(buffer, TX_DTLS, Infinity) > startTags(buffer, NTRY, Infinity);
}

/**
 * The batch bookings of camt files, as the camt reader lists them. `statements` files are the
 * bank statements already imported as lines: read again only where a batch can be in them, so a
 * statement without one costs a text scan, not a second XML parse. `details` files (camt.054,
 * or camt.053 used only for its TxDtls) are read for their batches alone: their entries are not
 * bank lines of their own. A details file that is not camt is refused.
 */
export function bankBatchesOf(files: { readonly statements: readonly string[]; readonly details: readonly string[] }): BankBatch[] {
  const batches: BankBatch[] = [];
  const read = (file: string, onlyIfBatched: boolean): void => {
    const format = sniffFormat(file, 'auto');
    if (format === null || !CAMT_FORMATS.has(format)) {
      if (onlyIfBatched) return;
      throw new SettleDeskError('file_format_mismatch', `${file}: --bank-details takes camt.052/053/054 files (whose TxDtls detail batch bookings); this is ${format ?? 'no recognized format'}`, { file }, { format });
    }
    const bytes = readInputFile(file);
    // A statement without a batch costs a search of its bytes, not a decode and a second XML parse.
    if (onlyIfBatched && !mayHoldBatches(bytes)) return;
    batches.push(...readCamt(new TextDecoder('utf-8').decode(bytes), file, null).batches);
  };
  for (const file of expandInputs(files.statements)) read(file, true);
  for (const file of expandInputs(files.details)) read(file, false);
  return batches;
}

