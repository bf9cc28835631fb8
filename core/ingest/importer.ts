import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { ImportIssue, Rejection } from './result.ts';

/**
 * One importer per source format, behind one interface (as Actual's bank importers are):
 * an importer turns decoded text into parsed entries and statement sections; the shared
 * pipeline (pipeline.ts) gives ids, finds duplicates, sums statements and checks the row account.
 */
export const IMPORT_FORMATS = ['csv', 'camt.052', 'camt.053', 'camt.054', 'mt940', 'bai2', 'ofx', 'stripe', 'adyen', 'paypal', 'partner-report', 'ledger-csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** How the pipeline derives the deterministic id of an entry (see core/transactions/identity.ts). */
export type EntryIdentity =
  | { readonly by: 'reference'; readonly namespace: string; readonly reference: string }
  | { readonly by: 'fingerprint'; readonly namespace: string };

export type ParsedEntry = Omit<CanonicalTransaction, 'id' | 'source'> & {
  /** 1-based line of the entry's first line in the file. */
  readonly line: number;
  readonly identity: EntryIdentity;
  /** Index into ParseOutput.statements, or null for formats without statements. */
  readonly statementIndex: number | null;
};

/** One account + currency section of a statement file (MT940 :20: block, camt Stmt, BAI2 03 record). */
export interface ParsedStatement {
  readonly account: string;
  readonly currency: string;
  readonly statementId: string | null;
  /** Signed decimal strings; null where the file carries no such balance. */
  readonly opening: string | null;
  readonly closing: string | null;
  readonly openingTag: string | null;
  readonly closingTag: string | null;
  /**
   * Control totals the file states (BAI2 49/98/99, camt TtlNtries): true when they agree, false
   * when not, null when the file states none.
   */
  readonly controlTotalsOk: boolean | null;
  /**
   * YYYY-MM-DD, the last day the statement covers (camt FrToDt, else its closing balance's date):
   * what reconciliation judges "in transit" against. Absent where the format does not say.
   */
  readonly periodEnd?: string | null;
}

export interface ParseOutput {
  /** Every entry the parser looked at; = entries + rejected. */
  readonly rowsRead: number;
  /**
   * Physical records (report rows) when one record can yield several entries (a PSP row with a
   * fee yields the gross movement and the fee); omitted when each record is one entry.
   */
  readonly recordsRead?: number;
  readonly entries: ParsedEntry[];
  readonly rejected: Rejection[];
  readonly statements: ParsedStatement[];
  readonly issues: ImportIssue[];
}

export interface ImportContext {
  readonly fileName: string;
  readonly sha256: string;
  /** Keyed HMAC pseudonym of an end-customer identifier (identity when the workspace disables it). */
  readonly pseudonymize: (customerId: string) => string;
}

export interface Importer<TOptions = void> {
  readonly format: ImportFormat;
  /** Recognizes the format from the first few KiB of decoded text and the file name. */
  sniff(head: string, fileName: string): boolean;
  parse(text: string, context: ImportContext, options: TOptions): ParseOutput;
}
