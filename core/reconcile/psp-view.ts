import { assert } from '../assert.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { addMinor, fromMinorUnits, toMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText, inCodeUnitOrder } from './assign.ts';
import { ReconcileInputError } from './errors.ts';

/**
 * What the bank should see of PSP reports: the PSP side of the psp-bank leg, built from what the
 * importers really produce.
 * - A payout line (kind 'payout') is money leaving the PSP balance for the bank. Importers keep the
 *   PSP's sign (Stripe payout -93.08), the bank books +93.08: in the view the line is negated.
 * - A detail line (sale, refund, fee, ...) with a batchId belongs to the payout line with the same
 *   source format, batchId and currency (Stripe: Transfer = the po_ id, also the payout's batchId;
 *   Adyen: Batch Number, closed by one MerchantPayout line per currency). The payout stands for
 *   its detail lines, which stay out of the view (listed in PspPayout.lineIds). A batch without a
 *   payout line is in the view as its detail lines: the batch and reference rules sum them.
 * - A detail line without a batchId never meets a bank line on its own. Where a stream (source
 *   format, account, currency) has payout lines without a batchId, a payout sweeps the balance
 *   (PayPal's withdrawal): the line belongs to the first such payout after it (strictly later
 *   occurredAt: a line stamped the same second as the withdrawal is not known to be in it).
 *   Otherwise no payout has taken it yet: `notPaidOut`, money still on the PSP balance, not an error.
 * Every PSP line is in exactly one place: the view, one payout's lineIds, or notPaidOut (asserted).
 */
export interface PspPayout {
  /** The payout line(s) of this batch and currency: one, or more when a payout was reversed and sent again. */
  readonly payoutIds: string[];
  readonly batchId: string | null;
  readonly currency: string;
  /** What should reach the bank: the payout lines' total, negated (the bank's point of view). */
  readonly amount: string;
  /** The detail lines this payout pays out, in id order. */
  readonly lineIds: string[];
  /** The detail lines' total: equal to `amount` when the PSP's own report adds up; null without detail lines. */
  readonly linesTotal: string | null;
}

export interface PspBankView {
  /** The PSP side of the psp-bank leg: payout lines (negated copies, same ids) and detail lines of batches without a payout line. */
  readonly items: readonly CanonicalTransaction[];
  /** Payouts by first payout id. */
  readonly payouts: PspPayout[];
  /** Detail lines no payout has taken yet, in id order. */
  readonly notPaidOut: string[];
  /**
   * By position in the PSP lines given: the place in `payouts` of the payout that took the line
   * (a payout line's own), -1 for none. Finding a line's payout (expected-payout.ts) then reads
   * one slot instead of searching the payouts' id lists.
   */
  readonly payoutAt: Int32Array;
}

interface Unit {
  readonly payouts: CanonicalTransaction[];
  /** The payout lines' positions in the PSP lines given. */
  readonly payoutPositions: number[];
  readonly lines: CanonicalTransaction[];
  /** The unit's place among all units, before the payouts are sorted (payoutAt holds it until then). */
  ordinal: number;
}

function minorOf(tx: CanonicalTransaction): MinorUnits {
  return minorIn(tx, minorUnitsOf(tx.currency));
}

/** The amount in minor units of its currency, whose exponent the caller has. */
function minorIn(tx: CanonicalTransaction, exponent: number): MinorUnits {
  try {
    return toMinorUnits(tx.amount, exponent);
  } catch (error) {
    throw new ReconcileInputError('reconcile_amount_invalid', `transaction ${tx.id}: amount ${JSON.stringify(tx.amount)} is not exact in ${tx.currency}`, { id: tx.id, cause: String(error) });
  }
}

function negate(value: MinorUnits): MinorUnits {
  return typeof value === 'number' ? (value === 0 ? 0 : -value) : -value;
}

function unitKey(tx: CanonicalTransaction, batchId: string): string {
  return `${tx.source.format}\u0000${batchId}\u0000${tx.currency}`;
}

function streamKey(tx: CanonicalTransaction): string {
  return `${tx.source.format}\u0000${tx.account ?? ''}\u0000${tx.currency}`;
}

/** The first sweep payout strictly after `at` (sweeps sorted by occurredAt), by binary search. */
function sweepAfter(sweeps: readonly CanonicalTransaction[], at: string): CanonicalTransaction | undefined {
  let low = 0;
  let high = sweeps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareText((sweeps[middle] as CanonicalTransaction).occurredAt, at) <= 0) low = middle + 1;
    else high = middle;
  }
  return sweeps[low];
}

/** The prototype is kept: a LeanTransaction's (lean-transaction.ts) source and shared fields are getters, which `{ ...tx }` would drop. */
function negatedCopy(tx: CanonicalTransaction): CanonicalTransaction {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(tx) as object | null) as CanonicalTransaction, tx);
  copy.amount = fromMinorUnits(negate(minorOf(tx)), minorUnitsOf(tx.currency));
  return copy;
}

/** The lines' total: they share one currency (a unit's key holds it), so its exponent is looked up once. */
function total(txs: readonly CanonicalTransaction[], negated: boolean): string {
  const exponent = minorUnitsOf((txs[0] as CanonicalTransaction).currency);
  let sum: MinorUnits = 0;
  for (const tx of txs) sum = addMinor(sum, minorIn(tx, exponent));
  return fromMinorUnits(negated ? negate(sum) : sum, exponent);
}

/** The lines' ids in code-unit order (a report often lists a payout's lines in id order already). */
function sortedIds(txs: readonly CanonicalTransaction[]): string[] {
  return inCodeUnitOrder(txs.map((tx) => tx.id));
}

function payoutOf(unit: Unit): PspPayout {
  const first = unit.payouts[0] as CanonicalTransaction;
  return {
    payoutIds: sortedIds(unit.payouts),
    batchId: first.references.batchId,
    currency: first.currency,
    amount: total(unit.payouts, true),
    lineIds: sortedIds(unit.lines),
    linesTotal: unit.lines.length === 0 ? null : total(unit.lines, false),
  };
}

export function pspBankView(psp: readonly CanonicalTransaction[]): PspBankView {
  // Payout lines by batch, and sweep payouts (no batchId) by stream.
  const units = new Map<string, Unit>();
  const sweeps = new Map<string, CanonicalTransaction[]>();
  const sweepUnits = new Map<CanonicalTransaction, Unit>();
  // Only payout lines are read here (a LeanTransaction makes its references object when read).
  for (let position = 0; position < psp.length; position++) {
    const tx = psp[position] as CanonicalTransaction;
    if (tx.kind !== 'payout') continue;
    const batchId = tx.references.batchId;
    const unit: Unit = { payouts: [tx], payoutPositions: [position], lines: [], ordinal: -1 };
    if (batchId === null) {
      const list = sweeps.get(streamKey(tx));
      if (list === undefined) sweeps.set(streamKey(tx), [tx]);
      else list.push(tx);
      sweepUnits.set(tx, unit);
      continue;
    }
    const key = unitKey(tx, batchId);
    const known = units.get(key);
    if (known === undefined) units.set(key, unit);
    else {
      known.payouts.push(tx);
      known.payoutPositions.push(position);
    }
  }
  const payoutAt = new Int32Array(psp.length).fill(-1);
  // Batches of detail lines only (a settlement batch file, a bench): the report is the view as it is.
  if (units.size === 0 && sweepUnits.size === 0 && psp.every((tx) => tx.references.batchId !== null)) return { items: psp, payouts: [], notPaidOut: [], payoutAt };
  const all = [...units.values(), ...sweepUnits.values()];
  for (let ordinal = 0; ordinal < all.length; ordinal++) {
    const unit = all[ordinal] as Unit;
    unit.ordinal = ordinal;
    for (const position of unit.payoutPositions) payoutAt[position] = ordinal;
  }
  for (const list of sweeps.values()) list.sort((a, b) => compareText(a.occurredAt, b.occurredAt) || compareText(a.id, b.id));
  const items: CanonicalTransaction[] = [];
  const notPaidOut: string[] = [];
  // Lines of one batch follow each other in a report: the unit of the previous line is reused
  // while format, batch and currency stay the same (a key string per line for a million lines).
  let last: { format: string; batchId: string; currency: string; unit: Unit | undefined } | null = null;
  for (let position = 0; position < psp.length; position++) {
    const tx = psp[position] as CanonicalTransaction;
    if (tx.kind === 'payout') {
      items.push(negatedCopy(tx));
      continue;
    }
    const batchId = tx.references.batchId;
    if (batchId !== null) {
      if (last === null || last.batchId !== batchId || last.format !== tx.source.format || last.currency !== tx.currency) {
        last = { format: tx.source.format, batchId, currency: tx.currency, unit: units.size === 0 ? undefined : units.get(unitKey(tx, batchId)) };
      }
      const unit = last.unit;
      if (unit === undefined) items.push(tx);
      else {
        unit.lines.push(tx);
        payoutAt[position] = unit.ordinal;
      }
      continue;
    }
    const list = sweeps.get(streamKey(tx));
    const sweep = list === undefined ? undefined : sweepAfter(list, tx.occurredAt);
    if (sweep === undefined) notPaidOut.push(tx.id);
    else {
      const unit = sweepUnits.get(sweep) as Unit;
      unit.lines.push(tx);
      payoutAt[position] = unit.ordinal;
    }
  }
  const built = all.map(payoutOf);
  // Sorted by first payout id (a stable sort, as before); payoutAt's ordinals become places.
  const order = built.map((_, ordinal) => ordinal).sort((a, b) => compareText((built[a] as PspPayout).payoutIds[0] as string, (built[b] as PspPayout).payoutIds[0] as string));
  const placeOf = new Int32Array(order.length);
  for (let place = 0; place < order.length; place++) placeOf[order[place] as number] = place;
  for (let position = 0; position < payoutAt.length; position++) {
    const ordinal = payoutAt[position] as number;
    if (ordinal >= 0) payoutAt[position] = placeOf[ordinal] as number;
  }
  const payouts = order.map((ordinal) => built[ordinal] as PspPayout);
  const members = payouts.reduce((count, payout) => count + payout.lineIds.length, 0);
  assert(items.length + members + notPaidOut.length === psp.length, 'every PSP line is in the bank view, in one payout, or not paid out', { items: items.length, members, notPaidOut: notPaidOut.length, psp: psp.length });
  return { items, payouts, notPaidOut: notPaidOut.sort(), payoutAt };
}
