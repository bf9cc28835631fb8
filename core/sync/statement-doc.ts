import { canonicalJson } from '../canonical/json.ts';
import { SettleDeskError } from '../errors.ts';
import { sha256Hex } from '../hash/sha256.ts';
import type { Statement } from '../settlement/statement.ts';
import { StatementDoc } from './documents.ts';

/**
 * A statement travels as its canonical JSON text plus SHA-256, so the bytes an approver saw are
 * the bytes the hash names. The few fields copied beside it (partner, period, currency, payable)
 * must agree with the text: verifyStatementDoc checks all of it on arrival.
 */
export type StatementDocCode = 'statement_hash_mismatch' | 'statement_not_canonical' | 'statement_fields_differ';

export class StatementDocError extends SettleDeskError {
  constructor(code: StatementDocCode, message: string, details: Record<string, unknown>) {
    super(code, message, {}, details);
    this.name = 'StatementDocError';
  }
}

export interface StatementDocMeta {
  readonly id: string;
  readonly runId: string;
  readonly blockReasons: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
}

export function statementDocOf(statement: Statement, meta: StatementDocMeta): StatementDoc {
  const text = canonicalJson(statement);
  const doc = StatementDoc.parse({
    id: meta.id,
    runId: meta.runId,
    partnerId: statement.partnerId,
    period: statement.period.start.slice(0, 7),
    revision: statement.revision,
    canonicalJson: text,
    hash: sha256Hex(text),
    currency: statement.settlementCurrency,
    payable: statement.totals.payable,
    blocked: meta.blockReasons.length > 0,
    blockReasons: [...meta.blockReasons],
    createdBy: meta.createdBy,
    createdAt: meta.createdAt,
  });
  verifyStatementDoc(doc);
  return doc;
}

/** Throws StatementDocError unless the text is canonical, hashes to `hash`, and agrees with the copied fields. */
export function verifyStatementDoc(doc: StatementDoc): void {
  const actual = sha256Hex(doc.canonicalJson);
  if (actual !== doc.hash) throw new StatementDocError('statement_hash_mismatch', `statement ${doc.id} does not hash to ${doc.hash}`, { id: doc.id, expected: doc.hash, actual });
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc.canonicalJson);
  } catch {
    throw new StatementDocError('statement_not_canonical', `statement ${doc.id} is not JSON`, { id: doc.id });
  }
  if (canonicalJson(parsed) !== doc.canonicalJson) throw new StatementDocError('statement_not_canonical', `statement ${doc.id} is not in canonical form`, { id: doc.id });
  const statement = parsed as Partial<Statement>;
  const copied: Array<[string, unknown, unknown]> = [
    ['partnerId', statement.partnerId, doc.partnerId],
    ['period', statement.period?.start?.slice(0, 7), doc.period],
    ['revision', statement.revision, doc.revision],
    ['currency', statement.settlementCurrency, doc.currency],
    ['payable', statement.totals?.payable, doc.payable],
  ];
  for (const [field, inText, inDoc] of copied) {
    if (inText !== inDoc) throw new StatementDocError('statement_fields_differ', `statement ${doc.id}: ${field} is ${String(inDoc)} beside a text that says ${String(inText)}`, { id: doc.id, field });
  }
}
