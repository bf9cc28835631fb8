import type { ImportDoc } from '../../../core/sync/documents.ts';
import type { FileOutcome } from '../../engine/protocol.ts';

/**
 * One imported (or refused) file as the Imports screen shows it, whether it was imported in
 * this session (the engine's outcome) or loaded from the desk database (its import document).
 */
export interface RejectedRow {
  /** The import the row belongs to (the same file imported twice has two). */
  readonly importKey: string;
  readonly file: string;
  readonly line: number;
  readonly column: string | number | null;
  readonly code: string;
  readonly reason: string;
  /** What the reason says as a code and values, for the screen's language; absent where the importer names none (and in imports stored before the desk kept them). */
  readonly says?: string | undefined;
  readonly params?: Readonly<Record<string, string>> | undefined;
  /** The row's text; the desk keeps no raw text, so null for imports loaded from it. */
  readonly raw: string | null;
}

export interface ImportRecord {
  readonly key: string;
  readonly name: string;
  readonly at: string;
  readonly format: string | null;
  readonly account: { readonly rowsRead: number; readonly entriesRead: number; readonly transactions: number; readonly rejected: number; readonly duplicates: number; readonly conflicts: number } | null;
  readonly rejections: readonly RejectedRow[];
  /** `details` (the error's) say the refusal as a code and values for the screen's language. */
  readonly failure: { readonly code: string; readonly message: string; readonly details?: Readonly<Record<string, unknown>> | undefined } | null;
}

export function recordOfOutcome(outcome: Exclude<FileOutcome, { readonly status: 'needs-profile' }>, at: string, key: string): ImportRecord {
  if (outcome.status === 'failed') return { key, name: outcome.name, at, format: null, account: null, rejections: [], failure: { code: outcome.code, message: outcome.message, details: outcome.details } };
  return {
    key,
    name: outcome.name,
    at,
    format: outcome.format,
    account: { rowsRead: outcome.rowsRead, entriesRead: outcome.entriesRead, transactions: outcome.kept ?? outcome.transactions.length, rejected: outcome.rejected.length, duplicates: outcome.duplicates.length, conflicts: outcome.conflicts.length },
    rejections: outcome.rejected.map((r) => ({ importKey: key, file: outcome.name, line: r.line, column: r.column, code: r.code, reason: r.reason, says: r.says, params: r.params, raw: r.raw })),
    failure: null,
  };
}

export function recordOfDoc(doc: ImportDoc): ImportRecord {
  return {
    key: doc.id,
    name: doc.file.fileName,
    at: doc.importedAt,
    format: doc.file.format,
    account: { rowsRead: doc.rowsRead, entriesRead: doc.entriesRead, ...doc.account },
    rejections: doc.rejections.map((r) => ({ importKey: doc.id, file: doc.file.fileName, line: r.line, column: r.column, code: r.code, reason: r.reason, says: r.says, params: r.params, raw: null })),
    failure: null,
  };
}
