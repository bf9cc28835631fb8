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

/** A batch shows as a Btch element or as an entry with several TxDtls: more TxDtls than Ntry elements. */
function mayHoldBatches(text: string): boolean {
  if (/<(?:[\w.-]+:)?Btch>/.test(text)) return true;
  const count = (pattern: RegExp): number => text.match(pattern)?.length ?? 0;
  return count(/<(?:[\w.-]+:)?TxDtls>/g) > count(/<(?:[\w.-]+:)?Ntry>/g);
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
    const text = new TextDecoder('utf-8').decode(readInputFile(file));
    if (onlyIfBatched && !mayHoldBatches(text)) return;
    batches.push(...readCamt(text, file, null).batches);
  };
  for (const file of expandInputs(files.statements)) read(file, true);
  for (const file of expandInputs(files.details)) read(file, false);
  return batches;
}

