import { sha256Hex } from '../hash/sha256.ts';

/**
 * Deterministic transaction ids, so that importing overlapping statements or the same report
 * twice never counts a transaction twice.
 *
 * - With an external reference unique within its source (a PSP transaction id, a bank's entry
 *   reference): the id is the reference itself, escaped and prefixed by its namespace and account
 *   (`tx:stripe:acct_1|acct_1|txn_123`). No hash: it is collision-free by construction, and
 *   string building keeps a million-row import fast. Over ID_LENGTH_MAX it becomes a SHA-256.
 * - Without one (bank lines with NONREF): a stated fingerprint of the fields that identify the
 *   movement (account, booking and value date, amount, currency, description, reference) plus the
 *   occurrence index of identical fingerprints within the file, hashed with SHA-256. Two genuine
 *   identical coffees on one day stay two transactions (and are flagged for review, not dropped).
 */
export interface FingerprintFields {
  readonly namespace: string;
  readonly account: string | null;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  readonly amount: string;
  readonly currency: string;
  readonly description: string | null;
  readonly reference: string | null;
}

export const ID_LENGTH_MAX = 200;
const SEPARATOR = '\u001f';

function escapePart(text: string): string {
  return text.includes('%') || text.includes('|') ? text.replace(/%/g, '%25').replace(/\|/g, '%7C') : text;
}

export function idFromReference(namespace: string, account: string | null, reference: string): string {
  const id = `tx:${escapePart(namespace)}|${escapePart(account ?? '')}|${escapePart(reference)}`;
  return id.length <= ID_LENGTH_MAX ? id : `tx#${sha256Hex(id).slice(0, 32)}`;
}

/** The fingerprint as text: identical movements have identical keys. */
export function fingerprintKey(fields: FingerprintFields): string {
  return ['fp', fields.namespace, fields.account ?? '', fields.bookingDate ?? '', fields.valueDate ?? '', fields.amount, fields.currency, fields.description ?? '', fields.reference ?? ''].join(SEPARATOR);
}

export function idFromFingerprint(key: string, occurrence: number): string {
  return `tx#${sha256Hex(`${key}${SEPARATOR}${occurrence}`).slice(0, 32)}`;
}
