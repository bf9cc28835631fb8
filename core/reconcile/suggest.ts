import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { fromMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText } from './assign.ts';
import { AmountIndex } from './indexes.ts';
import { addGroup, distanceMinor, FREE, freeIndexes, structuredKeys, type LegState, type PreparedSide } from './leg.ts';
import { nearReferencePairs, referenceDistance, type NearRef } from './near-reference.ts';
import { jaccard, rawFormsOfKey, referenceTokens, words } from './text.ts';

/**
 * Scored suggestions for what the rules left unmatched, for a human to accept or reject.
 * Scores are 0..1 numbers (a ranking, not money): amount 50 %, date 25 %, text 25 %.
 * - amount: 1 at equal amounts, falling linearly to 0 at rules.suggest.amountDistanceBpsMax of the probing item's amount;
 * - date: 1 on the same day, falling linearly to 0 beyond rules.suggest.dateWindowDays;
 * - text: 1 when an id of one side appears on the other; 1 - d/(referenceDistanceMax + 1) when one
 *   is d edits from the other's id (near-reference.ts); else the Jaccard similarity of the
 *   counterparty names and descriptions.
 * Candidates come from an amount index (never a pairwise scan), and from a deletion index of the
 * leftovers' references: a reference within rules.suggest.referenceDistanceMax edits of an id is
 * suggested whatever the amounts and below scoreMin (a typed-wrong payout id), ranked by its score.
 * Nothing is accepted unless rules.suggest.autoAcceptScoreMin is set and the pair is each other's
 * single best at or above it; a pair that rests on a near (not equal) reference never is, nor one
 * whose shared key the two sides write differently: keys drop separators, so "ch_0_10" and
 * "ch_01_0" (two charges) are both "ch010", and only an id written alike names one item.
 */
/** What a reason says, as a code: a screen says it in its language from `params`; `detail` is the same in English. */
export const SUGGESTION_REASON_TEXTS = ['difference', 'days_apart', 'shared_reference', 'folded_reference', 'near_reference', 'counterparty_similarity', 'description_similarity', 'batch_sum'] as const;
export type SuggestionReasonText = (typeof SUGGESTION_REASON_TEXTS)[number];

const ENGLISH: Readonly<Record<SuggestionReasonText, (params: Readonly<Record<string, string>>) => string>> = {
  difference: (p) => `difference ${p.amount} ${p.currency}`,
  days_apart: (p) => `${p.days} day(s) apart`,
  shared_reference: (p) => `shared reference ${p.reference}`,
  folded_reference: (p) => `references ${p.left} and ${p.right} match only without separators`,
  near_reference: (p) => `reference ${p.found} within edit distance ${p.distance} of ${p.key}`,
  counterparty_similarity: (p) => `counterparty similarity ${p.similarity}`,
  description_similarity: (p) => `description similarity ${p.similarity}`,
  batch_sum: (p) => `${p.lines} lines of batch ${p.batch} sum to ${p.sum} ${p.currency}`,
};

export interface SuggestionReason {
  /** `batch`: the left or right side is a batch's lines, summed (a tie the batch rule could not break). */
  readonly code: 'amount' | 'date' | 'text' | 'batch';
  readonly score: number;
  /** In English (the CLI's table and JSON). */
  readonly detail: string;
  readonly says: SuggestionReasonText;
  /** The facts `detail` states, as text (amounts exact, with their currency's digits). */
  readonly params: Readonly<Record<string, string>>;
}

function reason(code: SuggestionReason['code'], score: number, says: SuggestionReasonText, params: Readonly<Record<string, string>>): SuggestionReason {
  return { code, score, detail: ENGLISH[says](params), says, params };
}

export interface Suggestion {
  readonly id: string;
  readonly leftIds: readonly string[];
  readonly rightIds: readonly string[];
  readonly score: number;
  readonly reasons: readonly SuggestionReason[];
}

const WEIGHT = { amount: 0.5, date: 0.25, text: 0.25 } as const;
const SCORE_DECIMALS = 10_000;

function rounded(score: number): number {
  return Math.round(score * SCORE_DECIMALS) / SCORE_DECIMALS;
}

/** What text scoring needs of one item, computed once per item however many pairs it is in. */
interface TextFeatures {
  /** Read again only for a shared key's raw forms. */
  readonly tx: CanonicalTransaction;
  /** Structured ids (externalId, endToEndId, bankReference). */
  readonly keys: ReadonlySet<string>;
  /** Candidate tokens of the description: a reference only where they name the other item's id. */
  readonly tokens: ReadonlySet<string>;
  readonly name: ReadonlySet<string>;
  readonly text: ReadonlySet<string>;
}

function featuresOf(leg: LegState, tx: CanonicalTransaction): TextFeatures {
  return {
    tx,
    keys: new Set(structuredKeys(tx, leg.tokenOptions)),
    tokens: new Set(referenceTokens(tx.description, leg.tokenOptions)),
    name: words(tx.counterparty.name),
    text: words(tx.description),
  };
}

/** Keys of one item's ids the other names (id = id, id = token); two texts sharing a word say nothing. */
function sharedKeys(a: TextFeatures, b: TextFeatures): string[] {
  const keys = [...a.keys].filter((key) => b.keys.has(key) || b.tokens.has(key));
  for (const key of b.keys) if (a.tokens.has(key) && !keys.includes(key)) keys.push(key);
  return keys;
}

/**
 * A key two items share, as each writes it: one written alike when there is one (`a` = `b`), else
 * the first key they write differently, which names no item for sure.
 */
function sharedReference(leg: LegState, a: TextFeatures, b: TextFeatures): { a: string; b: string } | null {
  let folded: { a: string; b: string } | null = null;
  for (const key of sharedKeys(a, b)) {
    const aRaws = rawFormsOfKey(a.tx.references, a.tx.description, key, leg.tokenOptions);
    const bRaws = rawFormsOfKey(b.tx.references, b.tx.description, key, leg.tokenOptions);
    const alike = aRaws.find((raw) => bRaws.includes(raw));
    if (alike !== undefined) return { a: alike, b: alike };
    folded ??= { a: aRaws[0] as string, b: bRaws[0] as string };
  }
  return folded;
}

interface TextEvidence {
  readonly score: number;
  readonly says: SuggestionReasonText;
  readonly params: Readonly<Record<string, string>>;
  /** False when it rests on a near reference, or on a key the two sides write differently: never auto-accepted. */
  readonly acceptable: boolean;
}

/** How `tx` writes a key (separators and case kept), for a person to search by; the key when it has no raw form. */
function writtenKey(leg: LegState, tx: CanonicalTransaction, key: string): string {
  return rawFormsOfKey(tx.references, tx.description, key, leg.tokenOptions)[0] ?? key;
}

/** The closest of one item's ids to the other item's ids and tokens, within the rules' distance; both as their items write them. */
function nearestReference(leg: LegState, owner: TextFeatures, other: TextFeatures): { key: string; found: string; distance: number } | null {
  const { referenceDistanceMax: max, referenceLengthMin } = leg.rules.suggest;
  let best: { key: string; found: string; distance: number } | null = null;
  for (const key of owner.keys) {
    if (key.length < referenceLengthMin) continue;
    for (const found of [...other.keys, ...other.tokens]) {
      if (found.length < referenceLengthMin) continue;
      const distance = referenceDistance(key, found, max);
      if (distance <= max && (best === null || distance < best.distance)) best = { key, found, distance };
    }
  }
  return best === null ? null : { key: writtenKey(leg, owner.tx, best.key), found: writtenKey(leg, other.tx, best.found), distance: best.distance };
}

function nearText(leg: LegState, distance: number, key: string, found: string): TextEvidence {
  return { score: 1 - distance / (leg.rules.suggest.referenceDistanceMax + 1), says: 'near_reference', params: { found, distance: String(distance), key }, acceptable: false };
}

/** `probe` is the probing item, `other` the indexed one: `probeIsLeft` tells which side each raw id is on. */
function textScore(leg: LegState, probe: TextFeatures, other: TextFeatures, probeIsLeft: boolean): TextEvidence {
  const shared = sharedReference(leg, probe, other);
  if (shared !== null) {
    if (shared.a === shared.b) return { score: 1, says: 'shared_reference', params: { reference: shared.a }, acceptable: true };
    const params = probeIsLeft ? { left: shared.a, right: shared.b } : { left: shared.b, right: shared.a };
    return { score: 1, says: 'folded_reference', params, acceptable: false };
  }
  const names = jaccard(probe.name, other.name);
  const texts = jaccard(probe.text, other.text);
  const similarity = Math.max(names, texts);
  const nearest = leg.rules.suggest.referenceDistanceMax === 0 ? null : (nearestReference(leg, probe, other) ?? nearestReference(leg, other, probe));
  if (nearest !== null) {
    const near = nearText(leg, nearest.distance, nearest.key, nearest.found);
    if (near.score > similarity) return near;
  }
  return names >= texts
    ? { score: similarity, says: 'counterparty_similarity', params: { similarity: String(rounded(names)) }, acceptable: true }
    : { score: similarity, says: 'description_similarity', params: { similarity: String(rounded(texts)) }, acceptable: true };
}

interface Scored {
  readonly left: number;
  readonly right: number;
  readonly suggestion: Suggestion;
  /** False for a pair resting on a near or folded reference (TextEvidence): shown, never auto-accepted. */
  readonly acceptable: boolean;
}

/**
 * The side with fewer leftovers probes an amount index of the other side's leftovers, so the
 * cost follows the smaller side; amount distance is measured against the probing item's amount
 * and perItemMax applies per probing item.
 */
function scorePairs(leg: LegState): Scored[] {
  const { suggest } = leg.rules;
  const lefts = freeIndexes(leg.left);
  const rights = freeIndexes(leg.right);
  if (lefts.length === 0 || rights.length === 0) return [];
  const probeIsLeft = lefts.length <= rights.length;
  const probing = probeIsLeft ? leg.left : leg.right;
  const indexed = probeIsLeft ? leg.right : leg.left;
  const index = AmountIndex.ofSide(indexed, probeIsLeft ? rights : lefts);
  const scored: Scored[] = [];
  const indexedFeatures = new Map<number, TextFeatures>();
  for (const probe of probeIsLeft ? lefts : rights) {
    let probeFeatures: TextFeatures | null = null;
    const tx = probing.txs[probe] as CanonicalTransaction;
    const minor = probing.minor[probe] as MinorUnits;
    const span = new Decimal(minor.toString()).abs().times(suggest.amountDistanceBpsMax).dividedToIntegerBy(10_000);
    const toleranceMinor = span.gt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : span.toNumber();
    const found = index.query({ currency: tx.currency, minor, toleranceMinor, day: probing.day[probe] as number, windowDays: suggest.dateWindowDays, candidatesMax: suggest.candidatesScannedMax });
    const mine: Scored[] = [];
    for (const hit of found ?? []) {
      const other = indexed.txs[hit] as CanonicalTransaction;
      const distance = distanceMinor(minor, indexed.minor[hit] as MinorUnits);
      const days = Math.abs((indexed.day[hit] as number) - (probing.day[probe] as number));
      const amount = toleranceMinor === 0 ? 1 : 1 - distance / (toleranceMinor + 1);
      const date = 1 - days / (suggest.dateWindowDays + 1);
      // Even a perfect text score could not lift this pair to scoreMin: skip the text work.
      if (WEIGHT.amount * amount + WEIGHT.date * date + WEIGHT.text < suggest.scoreMin) continue;
      probeFeatures ??= featuresOf(leg, tx);
      let otherFeatures = indexedFeatures.get(hit);
      if (otherFeatures === undefined) {
        otherFeatures = featuresOf(leg, other);
        indexedFeatures.set(hit, otherFeatures);
      }
      const text = textScore(leg, probeFeatures, otherFeatures, probeIsLeft);
      const score = rounded(WEIGHT.amount * amount + WEIGHT.date * date + WEIGHT.text * text.score);
      if (score < suggest.scoreMin) continue;
      mine.push(scoredPair(leg, probeIsLeft ? [probe, hit] : [hit, probe], { amount, date, days }, text));
    }
    mine.sort(bySuggestion);
    scored.push(...mine.slice(0, suggest.perItemMax));
  }
  return scored;
}

/** One suggestion with its reasons; the difference is right - left, in the pair's one currency. */
function scoredPair(leg: LegState, [left, right]: readonly [number, number], measures: { amount: number; date: number; days: number }, text: TextEvidence): Scored {
  const leftTx = leg.left.txs[left] as CanonicalTransaction;
  const rightTx = leg.right.txs[right] as CanonicalTransaction;
  const difference = fromMinorUnits(BigInt(leg.right.minor[right] as MinorUnits) - BigInt(leg.left.minor[left] as MinorUnits), minorUnitsOf(leftTx.currency));
  return {
    left,
    right,
    acceptable: text.acceptable,
    suggestion: {
      id: `${leftTx.id}>${rightTx.id}`,
      leftIds: [leftTx.id],
      rightIds: [rightTx.id],
      score: rounded(WEIGHT.amount * measures.amount + WEIGHT.date * measures.date + WEIGHT.text * text.score),
      reasons: [
        reason('amount', rounded(measures.amount), 'difference', { amount: difference, currency: leftTx.currency }),
        reason('date', rounded(measures.date), 'days_apart', { days: String(measures.days) }),
        reason('text', rounded(text.score), text.says, text.params),
      ],
    },
  };
}

/** The references of one side's leftovers that near matching compares (tokens only where its text is scanned). */
function nearRefsOf(leg: LegState, side: PreparedSide, items: readonly number[]): NearRef[] {
  const refs: NearRef[] = [];
  const lengthMin = leg.rules.suggest.referenceLengthMin;
  for (const item of items) {
    const tx = side.txs[item] as CanonicalTransaction;
    const keys = structuredKeys(tx, leg.tokenOptions).filter((key) => key.length >= lengthMin);
    for (const key of keys) refs.push({ item, key, structured: true });
    if (!side.scanText) continue;
    for (const token of referenceTokens(tx.description, leg.tokenOptions)) if (token.length >= lengthMin && !keys.includes(token)) refs.push({ item, key: token, structured: false });
  }
  return refs;
}

/**
 * Leftover pairs whose references are within referenceDistanceMax edits and that the amount
 * search did not already score: suggested whatever their amounts (same currency only), scored
 * as any other pair (amount 0 beyond amountDistanceBpsMax of the left amount, date 0 beyond the
 * window), kept below scoreMin, never auto-accepted.
 */
function scoreNearReferences(leg: LegState, already: readonly Scored[]): Scored[] {
  const { suggest } = leg.rules;
  if (suggest.referenceDistanceMax === 0) return [];
  const lefts = freeIndexes(leg.left);
  const rights = freeIndexes(leg.right);
  if (lefts.length === 0 || rights.length === 0 || lefts.length > suggest.referenceItemsMax || rights.length > suggest.referenceItemsMax) return [];
  const known = new Set(already.map((item) => `${item.left}:${item.right}`));
  const { pairs } = nearReferencePairs(nearRefsOf(leg, leg.left, lefts), nearRefsOf(leg, leg.right, rights), suggest.referenceDistanceMax, suggest.referenceVariantsMax);
  const scored: Scored[] = [];
  for (const pair of pairs) {
    const leftTx = leg.left.txs[pair.left] as CanonicalTransaction;
    const rightTx = leg.right.txs[pair.right] as CanonicalTransaction;
    if (known.has(`${pair.left}:${pair.right}`) || leftTx.currency !== rightTx.currency) continue;
    const leftMinor = leg.left.minor[pair.left] as MinorUnits;
    const span = new Decimal(leftMinor.toString()).abs().times(suggest.amountDistanceBpsMax).dividedToIntegerBy(10_000);
    const distance = distanceMinor(leftMinor, leg.right.minor[pair.right] as MinorUnits);
    const amount = span.isZero() ? (distance === 0 ? 1 : 0) : Math.max(0, 1 - distance / (span.toNumber() + 1));
    const days = Math.abs((leg.left.day[pair.left] as number) - (leg.right.day[pair.right] as number));
    const date = Math.max(0, 1 - days / (suggest.dateWindowDays + 1));
    const structuredLeft = structuredKeys(leftTx, leg.tokenOptions).includes(pair.leftKey);
    const leftWritten = writtenKey(leg, leftTx, pair.leftKey);
    const rightWritten = writtenKey(leg, rightTx, pair.rightKey);
    const [key, found] = structuredLeft ? [leftWritten, rightWritten] : [rightWritten, leftWritten];
    scored.push(scoredPair(leg, [pair.left, pair.right], { amount, date, days }, nearText(leg, pair.distance, key, found)));
  }
  // Per left item, as the amount search keeps perItemMax per probing item.
  scored.sort(bySuggestion);
  const perLeft = new Map<number, number>();
  return scored.filter((item) => {
    const count = perLeft.get(item.left) ?? 0;
    perLeft.set(item.left, count + 1);
    return count < suggest.perItemMax;
  });
}

function bySuggestion(a: Scored, b: Scored): number {
  return b.suggestion.score - a.suggestion.score || compareText(a.suggestion.id, b.suggestion.id);
}

/** Mutual single-best pairs at or above the threshold become groups with rule 'suggestion'. */
function autoAccept(leg: LegState, scored: readonly Scored[], threshold: number): void {
  const bestOf = (key: (item: Scored) => number): Map<number, Scored[]> => {
    const best = new Map<number, Scored[]>();
    for (const item of scored) {
      const current = best.get(key(item));
      if (current === undefined || item.suggestion.score > (current[0] as Scored).suggestion.score) best.set(key(item), [item]);
      else if (item.suggestion.score === (current[0] as Scored).suggestion.score) current.push(item);
    }
    return best;
  };
  const bestLeft = bestOf((item) => item.left);
  const bestRight = bestOf((item) => item.right);
  for (const item of [...scored].sort(bySuggestion)) {
    if (item.suggestion.score < threshold || !item.acceptable) continue;
    const forLeft = bestLeft.get(item.left) as Scored[];
    const forRight = bestRight.get(item.right) as Scored[];
    if (forLeft.length !== 1 || forRight.length !== 1 || forLeft[0] !== item || forRight[0] !== item) continue;
    if (leg.left.groupOf[item.left] !== FREE || leg.right.groupOf[item.right] !== FREE) continue;
    addGroup(leg, { rule: 'suggestion', left: [item.left], right: [item.right], fx: null });
  }
}

/** Suggestions for the leftovers (after auto-accepting, if enabled), best first. */
export function suggestForLeftovers(leg: LegState): Suggestion[] {
  const byAmount = scorePairs(leg);
  const scored = [...byAmount, ...scoreNearReferences(leg, byAmount)];
  const threshold = leg.rules.suggest.autoAcceptScoreMin;
  if (threshold !== null) autoAccept(leg, scored, threshold);
  const pairs = scored.filter((item) => leg.left.groupOf[item.left] === FREE && leg.right.groupOf[item.right] === FREE).map((item) => item.suggestion);
  // Never auto-accepted: a tie is exactly what a person has to break.
  return [...pairs, ...batchTieSuggestions(leg)].sort((a, b) => b.score - a.score || compareText(a.id, b.id));
}

const allFree = (side: PreparedSide, items: readonly number[]): boolean => items.every((item) => side.groupOf[item] === FREE);

/** The batch rule's ties whose items are all still free, scored like a pair with the batch's sum as its amount (no text). */
function batchTieSuggestions(leg: LegState): Suggestion[] {
  const { suggest } = leg.rules;
  const suggestions: Suggestion[] = [];
  for (const tie of leg.aggregateTies) {
    if (!allFree(leg.left, tie.left) || !allFree(leg.right, tie.right) || tie.days > suggest.dateWindowDays) continue;
    const leftTxs = tie.left.map((item) => leg.left.txs[item] as CanonicalTransaction);
    const rightTxs = tie.right.map((item) => leg.right.txs[item] as CanonicalTransaction);
    const currency = (leftTxs[0] as CanonicalTransaction).currency;
    const digits = minorUnitsOf(currency);
    const sumOf = (side: PreparedSide, items: readonly number[]): bigint => items.reduce((total, item) => total + BigInt(side.minor[item] as MinorUnits), 0n);
    const leftSum = sumOf(leg.left, tie.left);
    const rightSum = sumOf(leg.right, tie.right);
    const batchSum = tie.left.length > 1 ? leftSum : rightSum;
    const single = tie.left.length > 1 ? rightSum : leftSum;
    const span = new Decimal((single < 0n ? -single : single).toString()).times(suggest.amountDistanceBpsMax).dividedToIntegerBy(10_000);
    const toleranceMinor = span.gt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : span.toNumber();
    const amount = toleranceMinor === 0 ? (tie.distance === 0 ? 1 : 0) : Math.max(0, 1 - tie.distance / (toleranceMinor + 1));
    const date = 1 - tie.days / (suggest.dateWindowDays + 1);
    const score = rounded(WEIGHT.amount * amount + WEIGHT.date * date);
    if (score < suggest.scoreMin) continue;
    const leftIds = leftTxs.map((tx) => tx.id).sort(compareText);
    const rightIds = rightTxs.map((tx) => tx.id).sort(compareText);
    const lines = Math.max(tie.left.length, tie.right.length);
    suggestions.push({
      id: `${leftIds.join('+')}>${rightIds.join('+')}`,
      leftIds,
      rightIds,
      score,
      reasons: [
        reason('amount', rounded(amount), 'difference', { amount: fromMinorUnits(rightSum - leftSum, digits), currency }),
        reason('date', rounded(date), 'days_apart', { days: String(tie.days) }),
        reason('batch', 1, 'batch_sum', { lines: String(lines), batch: tie.batchId, sum: fromMinorUnits(batchSum, digits), currency }),
      ],
    });
  }
  return suggestions;
}
