import { assert } from '../assert.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { addMinor, fromMinorUnits, sumMinor, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { applyBatchRule, applySubsetSumRule } from './aggregate.ts';
import { compareText, inCodeUnitOrder, resolvePairs, type CandidateEdge } from './assign.ts';
import { applyFxRule, convertMinor, RateTable } from './fx.ts';
import { AmountIndex } from './indexes.ts';
import { addGroup, createLeg, distanceMinor, FREE, freeIndexes, structuredKeys, toleranceMinor, type FxApplied, type FxMissing, type GroupDraft, type GroupDrafts, type LegState, type MatchRule, type PreparedSide } from './leg.ts';
import { applyReferenceRule } from './reference.ts';
import { rulesForLeg, type ReconcileRules, type RuleKind } from './rules.ts';
import { suggestForLeftovers, type Suggestion } from './suggest.ts';
import { rawFormsOfKey } from './text.ts';
import { variancePartsOf, varianceTexts, type VarianceBreakdown, type VarianceParts } from './variance.ts';

/**
 * The two-sided matching engine ("a leg": internal vs PSP, PSP vs bank, internal vs bank).
 * Rules run in rules.order; each sees only the items still free, and every item ends in exactly
 * one group or in its side's unmatched list (asserted here, property-tested in match.test.ts).
 * Output order depends only on ids, never on input order.
 */
export interface MatchGroup {
  /** Deterministic: the leg name and the smallest member id (an id joins one group only). */
  readonly id: string;
  readonly rule: MatchRule;
  readonly leftIds: readonly string[];
  readonly rightIds: readonly string[];
  readonly leftTotal: { readonly amount: string; readonly currency: string } | null;
  readonly rightTotal: { readonly amount: string; readonly currency: string } | null;
  /** right - left, in `currency` (the right side's, or the fx target): exact decimal string. */
  readonly difference: string;
  readonly currency: string;
  /** Largest distance in days between any left and any right member. */
  readonly dateDistanceDays: number;
  readonly fx: FxApplied | null;
  /** Present only when difference is not zero. */
  readonly variance: VarianceBreakdown | null;
}

export interface LegResult {
  readonly leg: string;
  readonly groups: MatchGroup[];
  readonly unmatchedLeft: string[];
  readonly unmatchedRight: string[];
  readonly suggestions: Suggestion[];
  readonly fxMissing: FxMissing[];
  readonly counts: Readonly<Record<MatchRule, number>>;
}

/**
 * A leg's outcome with its groups still compact (the CLI's path at a million groups): each
 * MatchGroup is built when `groups()` reaches it, in the same id order as LegResult.groups, and
 * can die young instead of a million of them living until the output is written.
 */
export interface CompactLegResult extends Omit<LegResult, 'groups'> {
  readonly groupCount: number;
  /** The groups in id order, each built as it is reached; every call builds them again. */
  groups(): Generator<MatchGroup>;
  /** Each group's members as positions in the leg's left and right inputs, in no set order: what reads members needs no group built. */
  members(): Generator<GroupMembers>;
  /** What a tally reads of each group, in id order, without its MatchGroup (no ids, no texts). */
  outcomes(): Generator<GroupOutcome>;
  /** The group at `position` in id order (GroupOutcome.position), built. */
  group(position: number): MatchGroup;
}

/** A group's difference and how its breakdown ends, in exact minor units: what MatchGroup says of them as texts. */
export interface GroupOutcome {
  /** In id order: the group's place among groups(). */
  readonly position: number;
  readonly currency: string;
  /** right - left in minor units of `currency` (MatchGroup.difference). */
  readonly difference: MinorUnits;
  /** The breakdown's unexplained part is not zero (false without a breakdown). */
  readonly unexplained: boolean;
  /** The breakdown's tolerated part is not zero (false without a breakdown). */
  readonly tolerated: boolean;
}

export type GroupMembers = Pick<GroupDraft, 'left' | 'right'>;

export interface LegOptions {
  readonly name: string;
  /** Search this side's description for references (bank remittance text). */
  readonly scanText: { readonly left: boolean; readonly right: boolean };
  readonly rates: RateTable;
}

function applyAmountDateRule(leg: LegState): void {
  const lefts = freeIndexes(leg.left);
  const rights = freeIndexes(leg.right);
  // Index the smaller side, probe with the larger: O(n log m), never n x m.
  const indexLeft = lefts.length <= rights.length;
  const indexed = indexLeft ? leg.left : leg.right;
  const probing = indexLeft ? leg.right : leg.left;
  const index = AmountIndex.ofSide(indexed, indexLeft ? lefts : rights);
  const window = leg.rules.dateWindowDays;
  const edges: CandidateEdge[] = [];
  for (const probe of indexLeft ? rights : lefts) {
    const tx = probing.txs[probe] as CanonicalTransaction;
    const found = index.query({
      currency: tx.currency,
      minor: probing.minor[probe] as MinorUnits,
      toleranceMinor: toleranceMinor(leg, tx.currency),
      day: probing.day[probe] as number,
      windowDays: window,
      candidatesMax: leg.rules.assignment.candidatesPerItemMax,
    });
    for (const hit of found ?? []) {
      const cost = distanceMinor(probing.minor[probe] as MinorUnits, indexed.minor[hit] as MinorUnits) * (window + 1) + Math.abs((probing.day[probe] as number) - (indexed.day[hit] as number));
      edges.push(indexLeft ? { left: hit, right: probe, cost } : { left: probe, right: hit, cost });
    }
  }
  const pairs = resolvePairs(edges, { left: (i) => (leg.left.txs[i] as CanonicalTransaction).id, right: (i) => (leg.right.txs[i] as CanonicalTransaction).id }, leg.rules.assignment.componentItemsMax);
  for (const [left, right] of pairs) addGroup(leg, { rule: 'amount-date', left: [left], right: [right], fx: null });
}

/**
 * Within one side: exactly two free items sharing a reference, in one currency, summing to zero.
 * Negative items (refunds, returned payments) are the few: they are indexed by amount, and a
 * positive item's keys are computed only when its amount meets one of them.
 */
function reversalsOf(side: PreparedSide, leg: LegState): Array<readonly [number, number]> {
  // currency -> absolute minor units -> negative items (BigInt keys compare by value in a Map).
  const negatives = new Map<string, Map<MinorUnits, number[]>>();
  const free = freeIndexes(side);
  for (const item of free) {
    const minor = side.minor[item] as MinorUnits;
    if (minor >= 0) continue;
    const currency = (side.txs[item] as CanonicalTransaction).currency;
    let byAmount = negatives.get(currency);
    if (byAmount === undefined) {
      byAmount = new Map();
      negatives.set(currency, byAmount);
    }
    const absolute = negateMinor(minor);
    const list = byAmount.get(absolute);
    if (list === undefined) byAmount.set(absolute, [item]);
    else list.push(item);
  }
  if (negatives.size === 0) return [];
  const byKey = new Map<string, { readonly key: string; readonly items: number[] }>();
  const note = (item: number): void => {
    const tx = side.txs[item] as CanonicalTransaction;
    const minor = side.minor[item] as MinorUnits;
    for (const key of structuredKeys(tx, leg.tokenOptions)) {
      const bucketKey = `${tx.currency}|${minor < 0 ? -minor : minor}|${key}`;
      const bucket = byKey.get(bucketKey);
      if (bucket === undefined) byKey.set(bucketKey, { key, items: [item] });
      else if (!bucket.items.includes(item)) bucket.items.push(item);
    }
  };
  for (const byAmount of negatives.values()) for (const list of byAmount.values()) for (const item of list) note(item);
  for (const item of free) {
    const minor = side.minor[item] as MinorUnits;
    if (minor > 0 && negatives.get((side.txs[item] as CanonicalTransaction).currency)?.has(minor) === true) note(item);
  }
  const pairs = new Map<string, readonly [number, number]>();
  for (const { key, items } of byKey.values()) {
    if (items.length !== 2) continue;
    const [a, b] = items as [number, number];
    if (BigInt(sumMinor([side.minor[a] as MinorUnits, side.minor[b] as MinorUnits])) !== 0n) continue;
    // A reversal nets two items away, so they must write the key alike (case and separators kept): ch_0_10 and ch_01_0 fold to one key.
    const aForms = rawFormsOfKey((side.txs[a] as CanonicalTransaction).references, null, key, leg.tokenOptions);
    if (!rawFormsOfKey((side.txs[b] as CanonicalTransaction).references, null, key, leg.tokenOptions).some((form) => aForms.includes(form))) continue;
    pairs.set(a < b ? `${a}:${b}` : `${b}:${a}`, a < b ? [a, b] : [b, a]);
  }
  // An item in two different pairs (a refund that could reverse either of two sales) is ambiguous.
  const uses = new Map<number, number>();
  for (const [a, b] of pairs.values()) {
    uses.set(a, (uses.get(a) ?? 0) + 1);
    uses.set(b, (uses.get(b) ?? 0) + 1);
  }
  return [...pairs.values()].filter(([a, b]) => uses.get(a) === 1 && uses.get(b) === 1);
}

function applyReversalRule(leg: LegState): void {
  for (const [a, b] of reversalsOf(leg.left, leg)) addGroup(leg, { rule: 'reversal', left: [a, b], right: [], fx: null });
  for (const [a, b] of reversalsOf(leg.right, leg)) addGroup(leg, { rule: 'reversal', left: [], right: [a, b], fx: null });
}

const APPLY: Readonly<Record<RuleKind, (leg: LegState, rates: RateTable) => void>> = {
  reference: applyReferenceRule,
  batch: applyBatchRule,
  'amount-date': applyAmountDateRule,
  'subset-sum': applySubsetSumRule,
  fx: applyFxRule,
  reversal: applyReversalRule,
};

interface SideTotal {
  readonly currency: string;
  readonly minor: MinorUnits;
}

/** What building a MatchGroup reads of a leg, so the rest of its working state can go once the rules ran. */
interface GroupSource {
  readonly rules: ReconcileRules;
  readonly toleranceCache: Map<string, number>;
  readonly left: SideOfGroups;
  readonly right: SideOfGroups;
}

type SideOfGroups = Pick<PreparedSide, 'txs' | 'minor' | 'day'>;

function totalOf(side: SideOfGroups, members: readonly number[]): SideTotal | null {
  if (members.length === 0) return null;
  const currency = (side.txs[members[0] as number] as CanonicalTransaction).currency;
  let minor: MinorUnits = 0;
  let sameCurrency = true;
  for (const index of members) {
    sameCurrency &&= (side.txs[index] as CanonicalTransaction).currency === currency;
    minor = addMinor(minor, side.minor[index] as MinorUnits);
  }
  assert(sameCurrency, 'one side of a group has one currency', { currency });
  return { currency, minor };
}

/** A side total in the group's currency: as is, or converted at the group's rate (fx groups only). */
function inCurrency(total: SideTotal | null, currency: string, fx: FxApplied | null): MinorUnits {
  if (total === null) return 0;
  if (total.currency === currency) return total.minor;
  assert(fx !== null && fx.from === total.currency && fx.to === currency, 'only an fx group mixes currencies', { from: total.currency, to: currency });
  return convertMinor(fromMinorUnits(total.minor, minorUnitsOf(total.currency)), fx.rate, currency);
}

function money(total: SideTotal | null): { amount: string; currency: string } | null {
  return total === null ? null : { amount: fromMinorUnits(total.minor, minorUnitsOf(total.currency)), currency: total.currency };
}

/** Member ids in code-unit order. */
function idsOf(side: SideOfGroups, members: readonly number[]): string[] {
  const ids = new Array<string>(members.length);
  for (let position = 0; position < members.length; position++) ids[position] = (side.txs[members[position] as number] as CanonicalTransaction).id;
  return inCodeUnitOrder(ids);
}

/** A group's side totals and difference, in minor units: what its MatchGroup and its outcome are made from. */
interface GroupAmounts {
  readonly leftTotal: SideTotal | null;
  readonly rightTotal: SideTotal | null;
  readonly currency: string;
  /** right - left in minor units of `currency`. */
  readonly difference: MinorUnits;
}

function amountsOf(leg: GroupSource, draft: GroupDraft): GroupAmounts {
  const leftTotal = totalOf(leg.left, draft.left);
  const rightTotal = totalOf(leg.right, draft.right);
  const currency = draft.fx?.to ?? rightTotal?.currency ?? (leftTotal as SideTotal).currency;
  const difference = addMinor(inCurrency(rightTotal, currency, draft.fx), negateMinor(inCurrency(leftTotal, currency, draft.fx)));
  return { leftTotal, rightTotal, currency, difference };
}

/** The breakdown of a group whose difference is not zero, its members read in place. */
function variancePartsOfGroup(leg: GroupSource, draft: GroupDraft, currency: string): VarianceParts {
  return variancePartsOf(
    { txs: leg.left.txs, minor: leg.left.minor, day: leg.left.day, members: draft.left },
    { txs: leg.right.txs, minor: leg.right.minor, day: leg.right.day, members: draft.right },
    { fx: draft.fx, fxToleranceBps: leg.rules.fx.toleranceBps, dateWindowDays: leg.rules.dateWindowDays, toleranceMinor: toleranceMinor(leg, currency) },
  );
}

function buildGroup(leg: GroupSource, name: string, draft: GroupDraft): MatchGroup {
  const leftIds = idsOf(leg.left, draft.left);
  const rightIds = idsOf(leg.right, draft.right);
  const { leftTotal, rightTotal, currency, difference } = amountsOf(leg, draft);
  let dateDistanceDays = 0;
  for (const left of draft.left) for (const right of draft.right) dateDistanceDays = Math.max(dateDistanceDays, Math.abs((leg.left.day[left] as number) - (leg.right.day[right] as number)));
  const firstLeft = leftIds[0];
  const firstRight = rightIds[0];
  const first = firstLeft === undefined ? (firstRight as string) : firstRight === undefined || firstLeft < firstRight ? firstLeft : firstRight;
  const variance = difference === 0 ? null : varianceTexts(variancePartsOfGroup(leg, draft, currency));
  const rightMoney = money(rightTotal);
  // Most groups balance: the left total is then the same text, and the difference is zero.
  const leftMoney = rightMoney !== null && leftTotal !== null && leftTotal.currency === rightMoney.currency && leftTotal.minor === (rightTotal as SideTotal).minor ? rightMoney : money(leftTotal);
  return {
    id: `${name}:${first}`,
    rule: draft.rule,
    leftIds,
    rightIds,
    leftTotal: leftMoney,
    rightTotal: rightMoney,
    difference: fromMinorUnits(difference, minorUnitsOf(currency)),
    currency,
    dateDistanceDays,
    fx: draft.fx,
    variance,
  };
}

function outcomeOf(leg: GroupSource, draft: GroupDraft, position: number): GroupOutcome {
  const { currency, difference } = amountsOf(leg, draft);
  if (difference === 0) return { position, currency, difference, unexplained: false, tolerated: false };
  const parts = variancePartsOfGroup(leg, draft, currency);
  return { position, currency, difference, unexplained: parts.unexplained !== 0, tolerated: parts.tolerated !== 0 };
}

function negateMinor(value: MinorUnits): MinorUnits {
  return typeof value === 'number' ? (value === 0 ? 0 : -value) : -value;
}

function unmatchedIds(side: PreparedSide): string[] {
  const ids: string[] = [];
  for (let index = 0; index < side.groupOf.length; index++) if (side.groupOf[index] === FREE) ids.push((side.txs[index] as CanonicalTransaction).id);
  return ids.sort();
}

/**
 * The drafts in the order of their groups' ids: the leg name and the smallest member id, so the
 * smallest id alone orders them (a stable sort, as the built groups were sorted before).
 */
function idOrder(drafts: GroupDrafts, left: readonly CanonicalTransaction[], right: readonly CanonicalTransaction[]): Int32Array {
  const smallest = new Array<string>(drafts.length);
  for (let group = 0; group < drafts.length; group++) smallest[group] = drafts.smallestId(group, left, right);
  // Kept until the output is written: 4 bytes a group, not a plain array's 8.
  return Int32Array.from(Array.from({ length: drafts.length }, (_, group) => group).sort((a, b) => compareText(smallest[a] as string, smallest[b] as string)));
}

/**
 * Matches two sides with the rules in order; the leg name prefixes group ids. The groups stay
 * drafts until asked for (matchLeg builds them all).
 */
export function matchLegCompact(left: readonly CanonicalTransaction[], right: readonly CanonicalTransaction[], rules: ReconcileRules, options: LegOptions): CompactLegResult {
  const leg = createLeg(left, right, rulesForLeg(rules, options.name), options.scanText);
  // With an empty side there is nothing to reconcile against: every item stays unmatched
  // (reversals included), which also keeps a two-way run from paying for a third leg.
  const runs = left.length > 0 && right.length > 0;
  if (runs) for (const kind of rules.order) APPLY[kind](leg, options.rates);
  const suggestions = runs ? suggestForLeftovers(leg) : [];
  const drafts = leg.groups;
  const order = idOrder(drafts, left, right);
  const unmatchedLeft = unmatchedIds(leg.left);
  const unmatchedRight = unmatchedIds(leg.right);
  const grouped = { left: 0, right: 0 };
  const counts = { reference: 0, batch: 0, 'amount-date': 0, 'subset-sum': 0, fx: 0, reversal: 0, suggestion: 0 } satisfies Record<MatchRule, number>;
  for (let group = 0; group < drafts.length; group++) {
    grouped.left += drafts.leftCount(group);
    grouped.right += drafts.rightCount(group);
    counts[drafts.rule(group)]++;
  }
  assert(grouped.left + unmatchedLeft.length === left.length, 'every left item is grouped once or unmatched', { grouped: grouped.left, unmatched: unmatchedLeft.length, total: left.length });
  assert(grouped.right + unmatchedRight.length === right.length, 'every right item is grouped once or unmatched', { grouped: grouped.right, unmatched: unmatchedRight.length, total: right.length });
  const fxMissing = [...leg.fxMissing].sort((a, b) => compareText(`${a.date}|${a.from}|${a.to}`, `${b.date}|${b.from}|${b.to}`));
  const source: GroupSource = {
    rules: leg.rules,
    toleranceCache: leg.toleranceCache,
    left: { txs: leg.left.txs, minor: leg.left.minor, day: leg.left.day },
    right: { txs: leg.right.txs, minor: leg.right.minor, day: leg.right.day },
  };
  const name = options.name;
  function* groups(): Generator<MatchGroup> {
    for (const group of order) yield buildGroup(source, name, drafts.draft(group));
  }
  function* members(): Generator<GroupMembers> {
    for (let group = 0; group < drafts.length; group++) yield drafts.draft(group);
  }
  function* outcomes(): Generator<GroupOutcome> {
    for (let position = 0; position < order.length; position++) yield outcomeOf(source, drafts.draft(order[position] as number), position);
  }
  const group = (position: number): MatchGroup => {
    assert(position >= 0 && position < order.length, 'a group position is within the leg', { position, groups: order.length });
    return buildGroup(source, name, drafts.draft(order[position] as number));
  };
  return { leg: name, groupCount: drafts.length, groups, members, outcomes, group, unmatchedLeft, unmatchedRight, suggestions, fxMissing, counts };
}

/** Matches two sides with the rules in order, every MatchGroup built (the desk's path). */
export function matchLeg(left: readonly CanonicalTransaction[], right: readonly CanonicalTransaction[], rules: ReconcileRules, options: LegOptions): LegResult {
  const compact = matchLegCompact(left, right, rules, options);
  const groups = new Array<MatchGroup>(compact.groupCount);
  let position = 0;
  for (const group of compact.groups()) groups[position++] = group;
  const { leg, unmatchedLeft, unmatchedRight, suggestions, fxMissing, counts } = compact;
  return { leg, groups, unmatchedLeft, unmatchedRight, suggestions, fxMissing, counts };
}
