import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import { fromMinorUnits, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText } from './assign.ts';
import { AmountIndex } from './indexes.ts';
import { addGroup, distanceMinor, FREE, freeIndexes, structuredKeys, type LegState } from './leg.ts';
import { jaccard, referenceTokens, words } from './text.ts';

/**
 * Scored suggestions for what the rules left unmatched, for a human to accept or reject.
 * Scores are 0..1 numbers (a ranking, not money): amount 50 %, date 25 %, text 25 %.
 * - amount: 1 at equal amounts, falling linearly to 0 at rules.suggest.amountDistanceBpsMax of the probing item's amount;
 * - date: 1 on the same day, falling linearly to 0 beyond rules.suggest.dateWindowDays;
 * - text: 1 when a reference of one side appears on the other, else the Jaccard similarity of
 *   the counterparty names and descriptions.
 * Candidates come from an amount index (never a pairwise scan). Nothing is accepted unless
 * rules.suggest.autoAcceptScoreMin is set and the pair is each other's single best at or above it.
 */
export interface SuggestionReason {
  readonly code: 'amount' | 'date' | 'text';
  readonly score: number;
  readonly detail: string;
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
  /** Structured ids (externalId, endToEndId, bankReference). */
  readonly keys: ReadonlySet<string>;
  /** Candidate tokens of the description: a reference only where they name the other item's id. */
  readonly tokens: ReadonlySet<string>;
  readonly name: ReadonlySet<string>;
  readonly text: ReadonlySet<string>;
}

function featuresOf(leg: LegState, tx: CanonicalTransaction): TextFeatures {
  return {
    keys: new Set(structuredKeys(tx, leg.tokenOptions)),
    tokens: new Set(referenceTokens(tx.description, leg.tokenOptions)),
    name: words(tx.counterparty.name),
    text: words(tx.description),
  };
}

/** An id of one item named by the other (id = id, id = token); two texts sharing a word say nothing. */
function sharedReference(left: TextFeatures, right: TextFeatures): string | null {
  for (const key of left.keys) if (right.keys.has(key) || right.tokens.has(key)) return key;
  for (const key of right.keys) if (left.tokens.has(key)) return key;
  return null;
}

function textScore(left: TextFeatures, right: TextFeatures): { score: number; detail: string } {
  const shared = sharedReference(left, right);
  if (shared !== null) return { score: 1, detail: `shared reference ${shared}` };
  const names = jaccard(left.name, right.name);
  const texts = jaccard(left.text, right.text);
  const score = Math.max(names, texts);
  return { score, detail: names >= texts ? `counterparty similarity ${rounded(names)}` : `description similarity ${rounded(texts)}` };
}

interface Scored {
  readonly left: number;
  readonly right: number;
  readonly suggestion: Suggestion;
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
      const text = textScore(probeFeatures, otherFeatures);
      const score = rounded(WEIGHT.amount * amount + WEIGHT.date * date + WEIGHT.text * text.score);
      if (score < suggest.scoreMin) continue;
      const [leftTx, rightTx] = probeIsLeft ? [tx, other] : [other, tx];
      const [left, right] = probeIsLeft ? [probe, hit] : [hit, probe];
      const difference = fromMinorUnits(BigInt(leg.right.minor[right] as MinorUnits) - BigInt(leg.left.minor[left] as MinorUnits), minorUnitsOf(tx.currency));
      mine.push({
        left,
        right,
        suggestion: {
          id: `${leftTx.id}>${rightTx.id}`,
          leftIds: [leftTx.id],
          rightIds: [rightTx.id],
          score,
          reasons: [
            { code: 'amount', score: rounded(amount), detail: `difference ${difference} ${tx.currency}` },
            { code: 'date', score: rounded(date), detail: `${days} day(s) apart` },
            { code: 'text', score: rounded(text.score), detail: text.detail },
          ],
        },
      });
    }
    mine.sort(bySuggestion);
    scored.push(...mine.slice(0, suggest.perItemMax));
  }
  return scored;
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
    if (item.suggestion.score < threshold) continue;
    const forLeft = bestLeft.get(item.left) as Scored[];
    const forRight = bestRight.get(item.right) as Scored[];
    if (forLeft.length !== 1 || forRight.length !== 1 || forLeft[0] !== item || forRight[0] !== item) continue;
    if (leg.left.groupOf[item.left] !== FREE || leg.right.groupOf[item.right] !== FREE) continue;
    addGroup(leg, { rule: 'suggestion', left: [item.left], right: [item.right], fx: null });
  }
}

/** Suggestions for the leftovers (after auto-accepting, if enabled), best first. */
export function suggestForLeftovers(leg: LegState): Suggestion[] {
  const scored = scorePairs(leg);
  const threshold = leg.rules.suggest.autoAcceptScoreMin;
  if (threshold !== null) autoAccept(leg, scored, threshold);
  return scored
    .filter((item) => leg.left.groupOf[item.left] === FREE && leg.right.groupOf[item.right] === FREE)
    .sort(bySuggestion)
    .map((item) => item.suggestion);
}
