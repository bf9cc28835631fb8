import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { toMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { ReconcileInputError } from './errors.ts';
import { IntList } from './int-list.ts';
import { RULE_KINDS, type DateField, type ReconcileRules, type RuleKind } from './rules.ts';
import { SideBatchesBuilder, type SideBatches } from './side-batches.ts';
import { keyHash, usableKey, type TokenOptions } from './text.ts';
import { daysInMonth } from '../calendar.ts';

/**
 * The working state of one two-sided match ("leg"): each side's transactions with their exact
 * integer minor units and day numbers in parallel arrays (a million objects would cost more than
 * the matching), and which group, if any, already owns each item.
 */
export const FREE = -1;

export interface PreparedSide {
  readonly txs: readonly CanonicalTransaction[];
  readonly minor: readonly MinorUnits[];
  /** Days since 1970-01-01 of the date chosen by rules.dateFields. */
  readonly day: Int32Array;
  /** Index of the owning group, FREE when unmatched. */
  readonly groupOf: Int32Array;
  /** Whether this side's description is searched for references (remittance text). */
  readonly scanText: boolean;
  /** The items by batchId, built in the same pass (the row is in cache) and shared by the reference and batch rules. */
  readonly batches: SideBatches;
  /**
   * keyHash of externalId, endToEndId and bankReference (KEY_COLUMNS, one column each), computed
   * while the row is in cache, so the reference rule asks its hash set without touching the row
   * again. Read through keyHashAt: the unsigned hashes here, and in keyKinds whether the item has
   * one. A column is null when no item of the side has that reference: a PSP report's lines carry
   * an externalId only, a bank's a bankReference, and the two empty columns of a million lines
   * were 10 MB of typed arrays, the memory V8 answers with a full collection (see groupEdges).
   */
  readonly keyHashes: readonly (Uint32Array | null)[];
  readonly keyKinds: readonly (Uint8Array | null)[];
}

/** What keyHashAt gives for a missing reference (keyHash is unsigned or -1, never this). */
export const NO_KEY = -2;
/** The references hashed per item, by column: externalId, endToEndId, bankReference. */
export const KEY_COLUMNS = 3;
const KEY_NONE = 0;
const KEY_HASHED = 1;
/** keyHash -1: the id has non-ASCII characters, decided on its text. */
const KEY_NON_ASCII = 2;

/** The keyHash of an item's reference in a column (0 externalId, 1 endToEndId, 2 bankReference), NO_KEY when the reference is null. */
export function keyHashAt(side: PreparedSide, item: number, column: number): number {
  const kinds = side.keyKinds[column];
  const kind = kinds === null || kinds === undefined ? KEY_NONE : kinds[item];
  return kind === KEY_HASHED ? ((side.keyHashes[column] as Uint32Array)[item] as number) : kind === KEY_NON_ASCII ? -1 : NO_KEY;
}

/** How many items of the side have a reference in the column. */
export function keyCount(side: PreparedSide, column: number): number {
  const kinds = side.keyKinds[column];
  if (kinds === null || kinds === undefined) return 0;
  let count = 0;
  for (let item = 0; item < kinds.length; item++) if (kinds[item] !== KEY_NONE) count++;
  return count;
}

/** Notes an item's reference `text` in a column, made for the side's `size` items at its first reference. */
function noteKeyHash(hashes: (Uint32Array | null)[], kinds: (Uint8Array | null)[], size: number, column: number, item: number, text: string): void {
  let columnKinds = kinds[column] as Uint8Array | null;
  if (columnKinds === null) {
    columnKinds = new Uint8Array(size);
    kinds[column] = columnKinds;
    hashes[column] = new Uint32Array(size);
  }
  const hash = keyHash(text);
  if (hash === -1) {
    columnKinds[item] = KEY_NON_ASCII;
    return;
  }
  (hashes[column] as Uint32Array)[item] = hash;
  columnKinds[item] = KEY_HASHED;
}

/** Members split by currency: a batch spanning currencies (Adyen's batch number) is one batch per currency. */
export function byCurrency(side: PreparedSide, members: readonly number[]): (readonly number[])[] {
  const first = (side.txs[members[0] as number] as CanonicalTransaction).currency;
  if (members.every((index) => (side.txs[index] as CanonicalTransaction).currency === first)) return [members];
  const split = new Map<string, number[]>();
  for (const index of members) {
    const currency = (side.txs[index] as CanonicalTransaction).currency;
    const list = split.get(currency);
    if (list === undefined) split.set(currency, [index]);
    else list.push(index);
  }
  return [...split.values()];
}

export interface FxApplied {
  readonly from: string;
  readonly to: string;
  readonly date: string;
  readonly rate: string;
}

/** The rule kinds, plus 'suggestion' for a suggestion accepted above rules.suggest.autoAcceptScoreMin. */
export type MatchRule = RuleKind | 'suggestion';

export interface GroupDraft {
  readonly rule: MatchRule;
  readonly left: readonly number[];
  readonly right: readonly number[];
  readonly fx: FxApplied | null;
}

/** Every MatchRule, so a group's rule is kept as its index. */
const MATCH_RULES: readonly MatchRule[] = [...RULE_KINDS, 'suggestion'];
const RULE_CODE: ReadonlyMap<MatchRule, number> = new Map(MATCH_RULES.map((rule, code) => [rule, code]));

/**
 * The groups a leg has recorded, until the leg builds its MatchGroups: members in one flat list
 * (a group's left members, then its right ones), starts, counts and rules (by index in
 * MATCH_RULES) in lists of their own, fx only for the groups that have one; IntLists, 4 bytes an
 * entry. A draft object and two member arrays per group (a million groups in the bench) lived
 * through every later rule and were copied by every scavenge; the per-group columns were plain
 * arrays, 8 bytes an entry, alive until the output is written.
 */
export class GroupDrafts {
  private readonly members = new IntList();
  private readonly starts = new IntList();
  private readonly leftCounts = new IntList();
  private readonly rightCounts = new IntList();
  private readonly ruleCodes = new IntList();
  /** Only fx groups have one. */
  private readonly fxs = new Map<number, FxApplied>();

  get length(): number {
    return this.starts.length;
  }

  push(draft: GroupDraft): void {
    if (draft.fx !== null) this.fxs.set(this.starts.length, draft.fx);
    this.starts.push(this.members.length);
    for (const index of draft.left) this.members.push(index);
    for (const index of draft.right) this.members.push(index);
    this.leftCounts.push(draft.left.length);
    this.rightCounts.push(draft.right.length);
    this.ruleCodes.push(RULE_CODE.get(draft.rule) as number);
  }

  /** The group's rule and member counts, read without building its draft. */
  rule(group: number): MatchRule {
    return MATCH_RULES[this.ruleCodes.at(group)] as MatchRule;
  }

  leftCount(group: number): number {
    return this.leftCounts.at(group);
  }

  rightCount(group: number): number {
    return this.rightCounts.at(group);
  }

  /** The smallest id (code-unit order) among the group's members: what its MatchGroup id is made of. */
  smallestId(group: number, left: readonly CanonicalTransaction[], right: readonly CanonicalTransaction[]): string {
    const start = this.starts.at(group);
    const leftEnd = start + this.leftCounts.at(group);
    const rightEnd = leftEnd + this.rightCounts.at(group);
    let smallest: string | null = null;
    for (let position = start; position < rightEnd; position++) {
      const id = ((position < leftEnd ? left : right)[this.members.at(position)] as CanonicalTransaction).id;
      if (smallest === null || id < smallest) smallest = id;
    }
    assert(smallest !== null, 'a group holds at least two items', { group });
    return smallest;
  }

  /** The group as it was recorded (fresh member arrays). */
  draft(group: number): GroupDraft {
    const start = this.starts.at(group);
    const leftEnd = start + this.leftCounts.at(group);
    const rightEnd = leftEnd + this.rightCounts.at(group);
    return { rule: this.rule(group), left: this.members.slice(start, leftEnd), right: this.members.slice(leftEnd, rightEnd), fx: this.fxs.get(group) ?? null };
  }
}

export interface FxMissing {
  readonly from: string;
  readonly to: string;
  readonly date: string;
  readonly transactionIds: string[];
}

export interface LegState {
  readonly rules: ReconcileRules;
  readonly left: PreparedSide;
  readonly right: PreparedSide;
  readonly groups: GroupDrafts;
  readonly fxMissing: FxMissing[];
  readonly tokenOptions: TokenOptions;
  /** Same-reference pairs in different currencies, found by the reference rule, for the fx rule. */
  readonly crossCurrencyLinks: Array<readonly [number, number]>;
  readonly toleranceCache: Map<string, number>;
  /** Batch sums the batch rule could not tell apart (ties): suggested, never matched (suggest.ts). */
  readonly aggregateTies: AggregateTie[];
}

/** A many-to-one candidate left by a tie: `left` and `right` index their sides; one of them has one item. */
export interface AggregateTie {
  readonly left: readonly number[];
  readonly right: readonly number[];
  readonly batchId: string;
  /** |sum - single| in minor units, and the days between the batch (its latest line) and the single item. */
  readonly distance: number;
  readonly days: number;
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Days since 1970-01-01 of a "YYYY-MM-DD…" string, NaN when it is not a real calendar date.
 * Integer arithmetic (days-from-civil, proleptic Gregorian), read by character code: it runs once
 * per transaction.
 */
export function dayNumber(text: string): number {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (!(day >= 1 && day <= daysInMonth(year, month))) return Number.NaN;
  const shifted = month <= 2 ? year - 1 : year;
  const era = Math.floor(shifted / 400);
  const yearOfEra = shifted - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function dateOf(tx: CanonicalTransaction, fields: readonly DateField[]): string {
  for (const field of fields) {
    const value = tx[field];
    if (value !== null) return value.slice(0, 10);
  }
  return tx.occurredAt.slice(0, 10);
}

/** The date of the default field order, without a loop over field names (a million calls). */
function defaultDateOf(tx: CanonicalTransaction): string {
  const value = tx.valueDate ?? tx.bookingDate ?? tx.occurredAt;
  return value.length === 10 ? value : value.slice(0, 10);
}

function dateReader(fields: readonly DateField[]): (tx: CanonicalTransaction) => string {
  const isDefault = fields.length === 3 && fields[0] === 'valueDate' && fields[1] === 'bookingDate' && fields[2] === 'occurredAt';
  return isDefault ? defaultDateOf : (tx) => dateOf(tx, fields);
}

function prepareSide(txs: readonly CanonicalTransaction[], rules: ReconcileRules, scanText: boolean): PreparedSide {
  const minor: MinorUnits[] = new Array<MinorUnits>(txs.length);
  const day = new Int32Array(txs.length);
  const readDate = dateReader(rules.dateFields);
  let lastCurrency = '';
  let exponent = 0;
  const batches = new SideBatchesBuilder();
  const keyHashes: (Uint32Array | null)[] = [null, null, null];
  const keyKinds: (Uint8Array | null)[] = [null, null, null];
  for (let index = 0; index < txs.length; index++) {
    const tx = txs[index] as CanonicalTransaction;
    if (tx.currency !== lastCurrency) {
      exponent = minorUnitsOf(tx.currency);
      lastCurrency = tx.currency;
    }
    try {
      minor[index] = toMinorUnits(tx.amount, exponent);
    } catch (error) {
      throw new ReconcileInputError('reconcile_amount_invalid', `transaction ${tx.id}: amount ${JSON.stringify(tx.amount)} is not exact in ${tx.currency}`, { id: tx.id, cause: String(error) });
    }
    const date = readDate(tx);
    const number = dayNumber(date);
    if (Number.isNaN(number)) throw new ReconcileInputError('reconcile_date_invalid', `transaction ${tx.id}: date ${JSON.stringify(date)} is not a calendar date YYYY-MM-DD`, { id: tx.id, date });
    day[index] = number;
    const { externalId, endToEndId, bankReference, batchId } = tx.references;
    if (externalId !== null) noteKeyHash(keyHashes, keyKinds, txs.length, 0, index, externalId);
    if (endToEndId !== null) noteKeyHash(keyHashes, keyKinds, txs.length, 1, index, endToEndId);
    if (bankReference !== null) noteKeyHash(keyHashes, keyKinds, txs.length, 2, index, bankReference);
    if (batchId !== null && batchId !== '') batches.add(index, batchId);
  }
  return { txs, minor, day, groupOf: new Int32Array(txs.length).fill(FREE), scanText, batches: batches.build(), keyHashes, keyKinds };
}

export function createLeg(left: readonly CanonicalTransaction[], right: readonly CanonicalTransaction[], rules: ReconcileRules, scan: { left: boolean; right: boolean }): LegState {
  return {
    rules,
    left: prepareSide(left, rules, scan.left),
    right: prepareSide(right, rules, scan.right),
    groups: new GroupDrafts(),
    fxMissing: [],
    tokenOptions: {
      keyLengthMin: rules.reference.keyLengthMin,
      placeholders: new Set(rules.reference.placeholders.map((text) => text.toUpperCase())),
    },
    crossCurrencyLinks: [],
    toleranceCache: new Map(),
    aggregateTies: [],
  };
}

/** Marks members taken; returns the first member that was already taken, or -1. */
function take(side: PreparedSide, members: readonly number[], groupIndex: number): number {
  let taken = -1;
  for (const index of members) {
    if (side.groupOf[index] !== FREE && taken === -1) taken = index;
    side.groupOf[index] = groupIndex;
  }
  return taken;
}

/**
 * Records a group and marks its members taken; taking an item twice is a bug, so it is asserted
 * (once per side, after the loop: a details object per member would cost a million allocations).
 * The members are copied: the caller may reuse its arrays.
 */
export function addGroup(leg: LegState, draft: GroupDraft): void {
  assert(draft.left.length + draft.right.length >= 2, 'a group holds at least two items', { rule: draft.rule });
  const groupIndex = leg.groups.length;
  const takenLeft = take(leg.left, draft.left, groupIndex);
  assert(takenLeft === -1, 'an item joins at most one group', { id: leg.left.txs[takenLeft]?.id, rule: draft.rule });
  const takenRight = take(leg.right, draft.right, groupIndex);
  assert(takenRight === -1, 'an item joins at most one group', { id: leg.right.txs[takenRight]?.id, rule: draft.rule });
  leg.groups.push(draft);
}

/** Inclusive amount tolerance of a currency in minor units; decimals finer than the currency are cut (toward zero). */
export function toleranceMinor(leg: Pick<LegState, 'rules' | 'toleranceCache'>, currency: string): number {
  const cached = leg.toleranceCache.get(currency);
  if (cached !== undefined) return cached;
  const text = leg.rules.amountToleranceByCurrency[currency] ?? leg.rules.amountTolerance;
  const exponent = minorUnitsOf(currency);
  const minor = toMinorUnits(new Decimal(text).toDecimalPlaces(exponent, Decimal.ROUND_DOWN).toFixed(exponent), exponent);
  assert(typeof minor === 'number', 'an amount tolerance fits a safe integer', { currency, text });
  leg.toleranceCache.set(currency, minor);
  return minor;
}

/** |a - b| as a safe number when it is one, else Infinity (so it never passes a tolerance test). */
export function distanceMinor(a: MinorUnits, b: MinorUnits): number {
  if (typeof a === 'number' && typeof b === 'number') {
    const distance = Math.abs(a - b);
    if (Number.isSafeInteger(distance)) return distance;
  }
  const big = BigInt(a) - BigInt(b);
  const absolute = big < 0n ? -big : big;
  return absolute <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(absolute) : Number.POSITIVE_INFINITY;
}

export function structuredKeys(tx: CanonicalTransaction, options: TokenOptions): string[] {
  const keys: string[] = [];
  for (const text of [tx.references.externalId, tx.references.endToEndId, tx.references.bankReference]) {
    const key = usableKey(text, options);
    if (key !== null && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** The free members of a batch of the side, in item order (a fresh list). */
export function freeMembers(side: PreparedSide, batch: number): number[] {
  const { batches } = side;
  const free: number[] = [];
  for (let at = 0; at < batches.count(batch); at++) {
    const item = batches.member(batch, at);
    if (side.groupOf[item] === FREE) free.push(item);
  }
  return free;
}

export function freeIndexes(side: PreparedSide): number[] {
  const result: number[] = [];
  for (let index = 0; index < side.groupOf.length; index++) if (side.groupOf[index] === FREE) result.push(index);
  return result;
}
