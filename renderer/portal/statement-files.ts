import { canonicalHash, canonicalJson } from '../../core/canonical/json.ts';
import { statementLinesCsv } from '../../core/export/statement-lines.ts';
import type { Statement } from '../../core/settlement/index.ts';
import { DecimalString } from '../../core/transactions/schema.ts';

/**
 * What the portal computes in the page, all with core/: the statement's canonical hash (the very
 * function `settledesk verify` and the server use), the files a partner downloads (named and
 * written as `settle` writes them, so `settledesk verify` reads them), and the query form's checks.
 */
export interface HashCheck {
  readonly computed: string;
  readonly matches: boolean;
}

export function verifyStatementHash(statement: Statement, sha256: string): HashCheck {
  const computed = canonicalHash(statement);
  return { computed, matches: computed === sha256 };
}

/** `<partner>-<period>-r<revision>`: the stem of every file of one statement. */
export function statementFileStem(statement: Pick<Statement, 'partnerId' | 'revision'>, period: string): string {
  return `${statement.partnerId}-${period}-r${statement.revision}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The statement file as settle writes it: canonical JSON of {statement, sha256} (what its JWS signs). */
export function statementJsonText(statement: Statement, sha256: string): string {
  return `${canonicalJson({ statement, sha256 })}\n`;
}

export function statementCsvText(statement: Statement): string {
  return statementLinesCsv(statement);
}

export const QUERY_TEXT_CHARS_MAX = 4000;

export type QueryFieldError = 'textRequired' | 'textTooLong' | 'amountInvalid';

export type QueryCheck =
  | { readonly ok: true; readonly body: { readonly line: number; readonly text: string; readonly claimedAmount?: string } }
  | { readonly ok: false; readonly errors: { readonly text?: QueryFieldError; readonly claimedAmount?: QueryFieldError } };

/** The query form as the server's QueryBody accepts it: trimmed text of 1..4000 characters, an optional exact decimal. */
export function checkQuery(line: number, text: string, claimedAmount: string): QueryCheck {
  const trimmed = text.trim();
  const amount = claimedAmount.trim();
  const errors: { text?: QueryFieldError; claimedAmount?: QueryFieldError } = {};
  if (trimmed.length === 0) errors.text = 'textRequired';
  else if (trimmed.length > QUERY_TEXT_CHARS_MAX) errors.text = 'textTooLong';
  if (amount !== '' && !DecimalString.safeParse(amount).success) errors.claimedAmount = 'amountInvalid';
  if (errors.text !== undefined || errors.claimedAmount !== undefined) return { ok: false, errors };
  return { ok: true, body: { line, text: trimmed, ...(amount === '' ? {} : { claimedAmount: amount }) } };
}
