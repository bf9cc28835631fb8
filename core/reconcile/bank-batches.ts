import { assert } from '../assert.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { addMinor, fromMinorUnits, toMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText } from './assign.ts';
import { ReconcileInputError } from './errors.ts';

/**
 * Batch bookings at the bank: one statement entry that books several payments (a collective
 * credit, an outgoing payment batch), detailed in the entry's own TxDtls or in a camt.054. The
 * details are linked to the booked entry (same file and line, else AcctSvcrRef, PmtInfId, MsgId,
 * each only when it names exactly one bank line of the account), checked against it (currency,
 * stated count, sum to the cent) and, when they add up, stand in for the entry in matching: each
 * detail is matched on its own (reference, amount) and, sharing one batchId, as a sum (batch rule).
 * A batch that does not add up leaves its entry as booked and is reported. The shapes are those
 * of core/importers/camt.ts (CamtBatch), written here so reconciliation does not depend on a format.
 */
export interface BankBatchDetail {
  readonly line: number;
  readonly amount: string;
  readonly currency: string;
  readonly endToEndId: string | null;
  readonly accountServicerReference: string | null;
  readonly counterparty: { readonly name: string | null; readonly account: string | null };
  readonly description: string | null;
}

export interface BankBatch {
  readonly fileName: string;
  readonly account: string;
  readonly entryLine: number;
  readonly accountServicerReference: string | null;
  readonly paymentInformationId: string | null;
  readonly messageId: string | null;
  readonly statedCount: number | null;
  readonly details: readonly BankBatchDetail[];
  readonly problems: readonly string[];
}

export type BankBatchStatus = 'detailed' | 'unlinked' | 'already_detailed' | 'unreadable_details' | 'count_mismatch' | 'total_mismatch';
export type BankBatchLink = 'entry' | 'AcctSvcrRef' | 'PmtInfId' | 'MsgId';

export interface BankBatchOutcome {
  readonly fileName: string;
  readonly entryLine: number;
  /** The bank line the batch books; null when no bank line could be linked. */
  readonly entryId: string | null;
  readonly linkedBy: BankBatchLink | null;
  readonly status: BankBatchStatus;
  readonly currency: string | null;
  readonly entryAmount: string | null;
  /** Sum of the details read, in the entry's currency; null when a detail is in another currency. */
  readonly detailsTotal: string | null;
  readonly detailCount: number;
  /** The detail lines standing in for the entry ('detailed' only), in order. */
  readonly detailIds: string[];
  readonly problems: readonly string[];
}

export interface DetailedBank {
  /** The bank lines matching sees: every line, a detailed batch entry replaced by its details. */
  readonly bank: CanonicalTransaction[];
  readonly details: CanonicalTransaction[];
  readonly outcomes: BankBatchOutcome[];
}

/** The raw field the camt importer keeps a batch's MsgId in. */
const MSG_ID_FIELD = 'NtryDtls/Btch/MsgId';

interface Keys {
  readonly byKey: Map<string, number[]>;
}

function note(keys: Keys, key: string, index: number): void {
  const list = keys.byKey.get(key);
  if (list === undefined) keys.byKey.set(key, [index]);
  else list.push(index);
}

function indexBank(bank: readonly CanonicalTransaction[]): Keys {
  const keys: Keys = { byKey: new Map() };
  bank.forEach((tx, index) => {
    const account = tx.account ?? '';
    note(keys, `entry\u0000${tx.source.fileName}\u0000${tx.source.line}\u0000${account}`, index);
    if (tx.references.bankReference !== null) note(keys, `AcctSvcrRef\u0000${account}\u0000${tx.references.bankReference}`, index);
    if (tx.references.batchId !== null) note(keys, `PmtInfId\u0000${account}\u0000${tx.references.batchId}`, index);
    const messageId = tx.raw[MSG_ID_FIELD];
    if (messageId !== undefined && messageId !== '') note(keys, `MsgId\u0000${account}\u0000${messageId}`, index);
  });
  return keys;
}

/** The one bank line a batch names, by the first link that names exactly one. */
function linkOf(keys: Keys, batch: BankBatch): { index: number; by: BankBatchLink } | null {
  const tries: Array<[BankBatchLink, string | null]> = [
    ['entry', `${batch.fileName}\u0000${batch.entryLine}\u0000${batch.account}`],
    ['AcctSvcrRef', batch.accountServicerReference === null ? null : `${batch.account}\u0000${batch.accountServicerReference}`],
    ['PmtInfId', batch.paymentInformationId === null ? null : `${batch.account}\u0000${batch.paymentInformationId}`],
    ['MsgId', batch.messageId === null ? null : `${batch.account}\u0000${batch.messageId}`],
  ];
  for (const [by, key] of tries) {
    if (key === null) continue;
    const found = keys.byKey.get(`${by}\u0000${key}`);
    if (found?.length === 1) return { index: found[0] as number, by };
  }
  return null;
}

function detailTransaction(entry: CanonicalTransaction, batch: BankBatch, detail: BankBatchDetail, position: number): CanonicalTransaction {
  // Each field named, not `...entry`: an entry may be a LeanTransaction, whose shared fields are getters a spread drops.
  return {
    id: `${entry.id}/${position + 1}`,
    source: { ...entry.source, fileName: batch.fileName, line: detail.line },
    kind: entry.kind,
    occurredAt: entry.occurredAt,
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    amount: detail.amount,
    currency: detail.currency,
    account: entry.account,
    partnerId: entry.partnerId,
    productId: entry.productId,
    channel: entry.channel,
    counterparty: detail.counterparty,
    // One batchId for the details: the batch rule can still match their sum to one item.
    references: { externalId: null, batchId: batch.paymentInformationId ?? `${entry.id}/batch`, endToEndId: detail.endToEndId, bankReference: detail.accountServicerReference },
    description: detail.description,
    customerRef: null,
    raw: { 'batch/entryId': entry.id, 'batch/detail': String(position + 1) },
  };
}

function detailMinor(batch: BankBatch, detail: BankBatchDetail, exponent: number): MinorUnits {
  try {
    return toMinorUnits(detail.amount, exponent);
  } catch (error) {
    throw new ReconcileInputError('reconcile_amount_invalid', `${batch.fileName}: line ${detail.line}: batch detail amount ${JSON.stringify(detail.amount)} is not exact in ${detail.currency}`, { file: batch.fileName, line: detail.line, cause: String(error) });
  }
}

/** Checks a linked batch against its entry; the status and the details' total. */
function verdictOf(entry: CanonicalTransaction, batch: BankBatch): { status: BankBatchStatus; detailsTotal: string | null } {
  const exponent = minorUnitsOf(entry.currency);
  const sameCurrency = batch.details.every((detail) => detail.currency === entry.currency);
  let total: MinorUnits = 0;
  if (sameCurrency) for (const detail of batch.details) total = addMinor(total, detailMinor(batch, detail, exponent));
  const detailsTotal = sameCurrency ? fromMinorUnits(total, exponent) : null;
  if (batch.problems.length > 0) return { status: 'unreadable_details', detailsTotal };
  if (batch.statedCount !== null && batch.statedCount !== batch.details.length) return { status: 'count_mismatch', detailsTotal };
  const booked = toMinorUnits(entry.amount, exponent);
  if (!sameCurrency || BigInt(total) !== BigInt(booked)) return { status: 'total_mismatch', detailsTotal };
  return { status: 'detailed', detailsTotal };
}

export function detailBankBatches(bank: readonly CanonicalTransaction[], batches: readonly BankBatch[]): DetailedBank {
  if (batches.length === 0) return { bank: [...bank], details: [], outcomes: [] };
  const keys = indexBank(bank);
  const replaced = new Map<number, CanonicalTransaction[]>();
  const outcomes: BankBatchOutcome[] = [];
  for (const batch of batches) {
    const link = linkOf(keys, batch);
    const base = { fileName: batch.fileName, entryLine: batch.entryLine, detailCount: batch.details.length, problems: batch.problems };
    if (link === null) {
      outcomes.push({ ...base, entryId: null, linkedBy: null, status: 'unlinked', currency: null, entryAmount: null, detailsTotal: null, detailIds: [] });
      continue;
    }
    const entry = bank[link.index] as CanonicalTransaction;
    const verdict = replaced.has(link.index) ? { status: 'already_detailed' as const, detailsTotal: null } : verdictOf(entry, batch);
    const details = verdict.status === 'detailed' ? batch.details.map((detail, position) => detailTransaction(entry, batch, detail, position)) : [];
    if (verdict.status === 'detailed') replaced.set(link.index, details);
    outcomes.push({ ...base, entryId: entry.id, linkedBy: link.by, status: verdict.status, currency: entry.currency, entryAmount: entry.amount, detailsTotal: verdict.detailsTotal, detailIds: details.map((tx) => tx.id) });
  }
  const seen: CanonicalTransaction[] = [];
  const details: CanonicalTransaction[] = [];
  bank.forEach((tx, index) => {
    const own = replaced.get(index);
    if (own === undefined) seen.push(tx);
    else {
      seen.push(...own);
      details.push(...own);
    }
  });
  assert(seen.length === bank.length - replaced.size + details.length, 'every bank line is matched as booked or as its details, once');
  outcomes.sort((a, b) => compareText(`${a.fileName}\u0000${String(a.entryLine).padStart(10, '0')}`, `${b.fileName}\u0000${String(b.entryLine).padStart(10, '0')}`));
  return { bank: seen, details, outcomes };
}
