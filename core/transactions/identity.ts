import { sha256Hex } from '../hash/sha256.ts';

/**
 * Deterministic transaction ids, so that importing overlapping statements or the same report
 * twice never counts a transaction twice.
 *
 * - With an external reference unique within its source (a PSP transaction id, a bank's entry
 *   reference): id = H(namespace | account | reference).
 * - Without one (bank lines with NONREF): a stated fingerprint of the fields that identify the
 *   movement (account, booking and value date, amount, currency, description) plus the
 *   occurrence index of identical fingerprints within the file, so two genuine identical
 *   coffees on one day stay two transactions (and are flagged for review, not dropped).
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

const SEPARATOR = '\u001f';

export function idFromReference(namespace: string, account: string | null, reference: string): string {
  return `tx_${sha256Hex(['ref', namespace, account ?? '', reference].join(SEPARATOR)).slice(0, 32)}`;
}

export function fingerprint(fields: FingerprintFields): string {
  return sha256Hex(
    ['fp', fields.namespace, fields.account ?? '', fields.bookingDate ?? '', fields.valueDate ?? '', fields.amount, fields.currency, fields.description ?? '', fields.reference ?? ''].join(SEPARATOR),
  );
}

export function idFromFingerprint(fingerprintHex: string, occurrence: number): string {
  return `tx_${sha256Hex(`${fingerprintHex}${SEPARATOR}${occurrence}`).slice(0, 32)}`;
}
