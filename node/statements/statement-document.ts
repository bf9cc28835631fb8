import { z } from 'zod';
import { canonicalHash } from '../../core/canonical/json.ts';
import { SettleDeskError } from '../../core/errors.ts';
import { STATEMENT_SCHEMA, type Statement } from '../../core/settlement/index.ts';

/**
 * The check a statement document passes before anything signs it, in a module without pdfkit,
 * exceljs or the signing libraries behind it: Electron main checks input with it at once and loads
 * the signing service (export-service.ts) only when a statement is signed.
 */
export const STATEMENT_DOCUMENT_BYTES_MAX = 64 * 1024 * 1024;

export class StatementExportError extends SettleDeskError {
  constructor(code: 'statement_invalid' | 'statement_hash_mismatch' | 'signing_not_configured' | 'signing_passphrase_missing', message: string) {
    super(code, message);
    this.name = 'StatementExportError';
  }
}

/**
 * The fields the PDF, CSV and XLSX writers read, checked before any of them runs: a renderer (or
 * anything that took it over) can send a statement whose own hash is consistent but whose shape is
 * not, and that must be refused as input, not crash inside pdfkit. Other fields pass through
 * unchanged, since the hash covers the statement exactly as sent.
 */
const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const StatementShape = z
  .object({
    schema: z.literal(STATEMENT_SCHEMA),
    // It names the files; a path separator or a leading dot would let it name another folder.
    partnerId: z.string().min(1).max(100).regex(/^[^/\\\0.][^/\\\0]*$/),
    agreement: z.looseObject({ agreementId: z.string(), version: z.number().int() }),
    period: z.looseObject({ start: z.string(), end: z.string() }),
    settlementCurrency: z.string().regex(/^[A-Z]{3}$/),
    currencyDigits: z.number().int().min(0).max(4),
    options: z.looseObject({}),
    groups: z.array(z.looseObject({ key: z.string(), lines: z.array(z.looseObject({ currency: z.string(), base: Decimal, baseExact: Decimal })) })),
    adjustments: z.array(z.looseObject({})),
    totals: z.record(z.string(), Decimal),
  })
  .loose();

const StatementDocument = z.strictObject({ statement: StatementShape, sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export interface CheckedStatementDocument {
  readonly statement: Statement;
  readonly sha256: string;
}

/** Parses `{"statement": …, "sha256": …}` and refuses it unless the statement's canonical JSON hashes to that sha256. */
export function checkStatementDocument(documentJson: string): CheckedStatementDocument {
  if (Buffer.byteLength(documentJson, 'utf8') > STATEMENT_DOCUMENT_BYTES_MAX) throw new StatementExportError('statement_invalid', `the statement document is larger than ${STATEMENT_DOCUMENT_BYTES_MAX} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(documentJson);
  } catch (error) {
    throw new StatementExportError('statement_invalid', `the statement document is not JSON (${(error as Error).message})`);
  }
  const parsed = StatementDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StatementExportError('statement_invalid', `expected {"statement": {...}, "sha256": "..."} as settle writes it; ${issue?.path.join('.') || '$'}: ${issue?.message ?? 'invalid'}`);
  }
  // Recomputed here, in main: the renderer's word for the hash is what is being checked.
  const recomputed = canonicalHash(parsed.data.statement);
  if (recomputed !== parsed.data.sha256) throw new StatementExportError('statement_hash_mismatch', `the statement hashes to ${recomputed}, not to the sha256 it carries (${parsed.data.sha256}); it is not signed`);
  return { statement: parsed.data.statement as unknown as Statement, sha256: recomputed };
}

