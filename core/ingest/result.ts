import type { CanonicalTransaction } from '../transactions/schema.ts';
import type { ParsedStatement } from './importer.ts';

/**
 * What every importer returns: an account of every row. Invariant (asserted in finalizeImport):
 * entriesRead = transactions.length + rejected.length + duplicates.length + conflicts.length.
 */
export const REJECTION_CODES = [
  'amount_empty',
  'amount_too_long',
  'amount_exponent',
  'amount_sign_ambiguous',
  'amount_grouping',
  'amount_not_decimal',
  'amount_minor_units',
  'currency_unknown',
  'currency_missing',
  'date_invalid',
  'date_missing',
  'field_missing',
  'field_too_long',
  'field_invalid',
  'column_count',
  'record_unknown',
  'record_malformed',
  'kind_unknown',
  'row_before_header',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly line: number;
  /** Column name or 1-based index, or the tag/element (":61:", "Ntry/Amt") for structured formats. */
  readonly column: string | number | null;
  readonly code: RejectionCode;
  readonly reason: string;
  /** The offending row's text, shortened to keep reports readable. */
  readonly raw: string;
  /** The statement section (ParseOutput.statements index) the rejected entry belongs to, where known. */
  readonly statementIndex?: number | null;
  /** What the reason says, as a code and its values, for a screen to say it in another language (reason stays the English). */
  readonly says?: string;
  readonly params?: Readonly<Record<string, string>>;
}

/** A row whose deterministic id was already known (same file or an overlapping statement). */
export interface Duplicate {
  readonly line: number;
  readonly id: string;
  readonly duplicateOf: { readonly line: number | null; readonly sourceId: string | null };
}

/**
 * A row whose id is already known (same reference, FITID, AcctSvcrRef) but whose money or dates
 * differ from the earlier row's: not a duplicate. Both rows are kept; this one is set aside, not
 * counted, until a person decides which is right (a high-severity exception).
 */
export interface ConflictingDuplicate {
  readonly line: number;
  /** The id both rows claim. */
  readonly id: string;
  readonly conflictsWith: { readonly line: number | null; readonly sourceId: string | null };
  /** What this row says. */
  readonly amount: string;
  readonly currency: string;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  /** What the earlier row said, where the run still knows it. */
  readonly first: { readonly amount: string; readonly currency: string; readonly bookingDate: string | null; readonly valueDate: string | null } | null;
  /** This row whole, under an id of its own, where the import keeps transactions (a streamed import does not). */
  readonly transaction: CanonicalTransaction | null;
}

/** Rows inside one file that look identical: all are imported, and the group is flagged for review. */
export interface PossibleDuplicateGroup {
  readonly fingerprint: string;
  readonly lines: readonly number[];
}

export type BalanceTag = 'opening' | 'closing' | 'interim-opening' | 'interim-closing';

/** A statement section as the pipeline summed it: the parser's section plus its entries' sums. */
export type StatementSummary = ParsedStatement & {
  /** Non-negative sums of credit and debit entries. */
  readonly credits: string;
  readonly debits: string;
  readonly entries: number;
  /** Entries of this statement that were rejected: its sums leave them out. */
  readonly rejectedEntries: number;
  /**
   * opening + credits - debits = closing over every entry; false when an entry was rejected (the
   * sums leave it out, so agreement would prove nothing); null when either balance is missing.
   */
  readonly balanced: boolean | null;
};

/** Something a human must look at that does not reject a row (control totals, balance gaps). */
export interface ImportIssue {
  readonly code: 'balance_mismatch' | 'control_total_mismatch' | 'possible_duplicate' | 'conflicting_duplicate' | 'statement_incomplete' | 'statement_gap' | 'encoding_replaced' | 'format_rule_broken' | 'reversal_convention';
  readonly message: string;
  readonly line: number | null;
  /** What the message says, as a code and its values, for a screen to say it in another language (message stays the English). */
  readonly says?: string;
  readonly params?: Readonly<Record<string, string>>;
}

export interface ImportedFile {
  readonly fileName: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly format: string;
}

export interface ImportResult {
  readonly file: ImportedFile;
  /** Records (lines, report rows, statement entries) read from the file. */
  readonly rowsRead: number;
  /** Entries those records yielded (more than rowsRead where a PSP row splits into gross and fee). */
  readonly entriesRead: number;
  readonly transactions: CanonicalTransaction[];
  readonly rejected: Rejection[];
  readonly duplicates: Duplicate[];
  /** Rows that repeat a known id with other money or dates: kept, not counted (see ConflictingDuplicate). */
  readonly conflicts: ConflictingDuplicate[];
  readonly possibleDuplicates: PossibleDuplicateGroup[];
  readonly statements: StatementSummary[];
  readonly issues: ImportIssue[];
}
