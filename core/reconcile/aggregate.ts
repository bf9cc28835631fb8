import { addMinor, type MinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { compareText, resolvePairs, type CandidateEdge } from './assign.ts';
import { AmountIndex } from './indexes.ts';
import { addGroup, byCurrency, distanceMinor, FREE, freeIndexes, freeMembers, toleranceMinor, type LegState, type PreparedSide } from './leg.ts';
import { normalizeWord } from './text.ts';

/**
 * One-to-many and many-to-one matching.
 * - Batch sums: every batchId's free items are summed per currency (a PSP payout batch = its sales
 *   minus fees and refunds) and matched to one free item of the other side by amount and date window; ties
 *   go through the same assignment as one-to-one matches. A batch is dated by its latest item.
 * - Subset sums: for a free item, the free items of the other side with the same currency and
 *   counterparty inside the date window are the candidate set; only when that set is at most
 *   `subsetSum.candidatesMax` items is it searched (combinations of 2..itemsMax), and a match is
 *   taken only when it is the item's single solution and no other proposal claims its items.
 */
interface Batch {
  /** The batch's ordinal in its side's batches. */
  readonly batch: number;
  /** null when the batch is all of its members (all free, one currency): its list is made only when it is paired. */
  readonly members: readonly number[] | null;
  readonly currency: string;
  readonly total: MinorUnits;
  readonly day: number;
}

function membersOf(side: PreparedSide, batch: Batch): readonly number[] {
  return batch.members ?? side.batches.members(batch.batch);
}

/** Whether every member of the batch is free and in `currency`. */
function wholeIn(side: PreparedSide, batch: number, currency: string): boolean {
  const { batches } = side;
  for (let at = 0; at < batches.count(batch); at++) {
    const item = batches.member(batch, at);
    if (side.groupOf[item] !== FREE || (side.txs[item] as CanonicalTransaction).currency !== currency) return false;
  }
  return true;
}

function freeBatches(side: PreparedSide, itemsMax: number): Batch[] {
  const found: Batch[] = [];
  const { batches } = side;
  const sum = (batch: number, members: readonly number[] | null, currency: string): void => {
    let total: MinorUnits = 0;
    let day = Number.NEGATIVE_INFINITY;
    const count = members === null ? batches.count(batch) : members.length;
    for (let at = 0; at < count; at++) {
      const index = members === null ? batches.member(batch, at) : (members[at] as number);
      total = addMinor(total, side.minor[index] as MinorUnits);
      day = Math.max(day, side.day[index] as number);
    }
    found.push({ batch, members, currency, total, day });
  };
  for (let batch = 0; batch < batches.size; batch++) {
    const count = batches.count(batch);
    if (count < 2) continue;
    const currency = (side.txs[batches.member(batch, 0)] as CanonicalTransaction).currency;
    if (wholeIn(side, batch, currency)) {
      if (count <= itemsMax) sum(batch, null, currency);
      continue;
    }
    const free = freeMembers(side, batch);
    if (free.length < 2) continue;
    for (const members of byCurrency(side, free)) {
      if (members.length < 2 || members.length > itemsMax) continue;
      sum(batch, members, (side.txs[members[0] as number] as CanonicalTransaction).currency);
    }
  }
  return found;
}

interface BatchMatches {
  /** [batch members, single item]: the pairs every optimal assignment shares. */
  readonly pairs: Array<readonly [readonly number[], number]>;
  /** Candidate pairs whose batch and single item were both left free (a tie): for suggestions. */
  readonly ties: Array<{ readonly members: readonly number[]; readonly single: number; readonly distance: number; readonly days: number }>;
}

/** Batches of `many` against single items of `one`. */
function matchBatches(leg: LegState, many: PreparedSide, one: PreparedSide): BatchMatches {
  const batches = freeBatches(many, leg.rules.batch.batchItemsMax);
  if (batches.length === 0) return { pairs: [], ties: [] };
  const singles = freeIndexes(one);
  const batchIndexes = batches.map((_, position) => position);
  const index = new AmountIndex(
    (position) => (batches[position] as Batch).currency,
    (position) => (batches[position] as Batch).total,
    (position) => (batches[position] as Batch).day,
    batchIndexes,
  );
  const window = leg.rules.dateWindowDays;
  const edges: CandidateEdge[] = [];
  for (const single of singles) {
    const tx = one.txs[single] as CanonicalTransaction;
    const tolerance = toleranceMinor(leg, tx.currency);
    const found = index.query({
      currency: tx.currency,
      minor: one.minor[single] as MinorUnits,
      toleranceMinor: tolerance,
      day: one.day[single] as number,
      windowDays: window,
      candidatesMax: leg.rules.assignment.candidatesPerItemMax,
    });
    if (found === null) continue;
    for (const position of found) {
      const batch = batches[position] as Batch;
      const cost = distanceMinor(batch.total, one.minor[single] as MinorUnits) * (window + 1) + Math.abs(batch.day - (one.day[single] as number));
      edges.push({ left: position, right: single, cost });
    }
  }
  const batchKey = (position: number): string => `${many.batches.id((batches[position] as Batch).batch)}|${(batches[position] as Batch).currency}`;
  const pairs = resolvePairs(
    edges,
    { left: batchKey, right: (single) => (one.txs[single] as CanonicalTransaction).id },
    leg.rules.assignment.componentItemsMax,
  );
  const pairedBatches = new Set(pairs.map(([position]) => position));
  const pairedSingles = new Set(pairs.map(([, single]) => single));
  const ties = edges
    .filter((edge) => !pairedBatches.has(edge.left) && !pairedSingles.has(edge.right))
    .map((edge) => {
      const batch = batches[edge.left] as Batch;
      return { members: membersOf(many, batch), single: edge.right, distance: distanceMinor(batch.total, one.minor[edge.right] as MinorUnits), days: Math.abs(batch.day - (one.day[edge.right] as number)) };
    });
  return { pairs: pairs.map(([position, single]) => [membersOf(many, batches[position] as Batch), single] as const), ties };
}

const batchIdOf = (side: PreparedSide, members: readonly number[]): string => (side.txs[members[0] as number] as CanonicalTransaction).references.batchId ?? '';

export function applyBatchRule(leg: LegState): void {
  const onRight = matchBatches(leg, leg.right, leg.left);
  for (const [members, single] of onRight.pairs) addGroup(leg, { rule: 'batch', left: [single], right: members, fx: null });
  for (const tie of onRight.ties) leg.aggregateTies.push({ left: [tie.single], right: tie.members, batchId: batchIdOf(leg.right, tie.members), distance: tie.distance, days: tie.days });
  const onLeft = matchBatches(leg, leg.left, leg.right);
  for (const [members, single] of onLeft.pairs) addGroup(leg, { rule: 'batch', left: members, right: [single], fx: null });
  for (const tie of onLeft.ties) leg.aggregateTies.push({ left: tie.members, right: [tie.single], batchId: batchIdOf(leg.left, tie.members), distance: tie.distance, days: tie.days });
}

function counterpartyKey(tx: CanonicalTransaction): string {
  return `${tx.currency}|${tx.counterparty.name === null ? '' : normalizeWord(tx.counterparty.name)}`;
}

interface Proposal {
  readonly one: number;
  readonly many: readonly number[];
  readonly oneIsLeft: boolean;
}

/** Every subset of `candidates` of size 2..itemsMax whose sum is within tolerance of `target`. */
function subsetsNear(candidates: readonly number[], side: PreparedSide, target: MinorUnits, tolerance: number, itemsMax: number): number[][] {
  const solutions: number[][] = [];
  const chosen: number[] = [];
  const count = candidates.length;
  // Iterative enumeration of index combinations (no recursion), bounded by C(candidatesMax, itemsMax).
  for (let size = 2; size <= Math.min(itemsMax, count); size++) {
    const positions = Array.from({ length: size }, (_, position) => position);
    for (;;) {
      chosen.length = 0;
      let total: MinorUnits = 0;
      for (const position of positions) {
        const item = candidates[position] as number;
        chosen.push(item);
        total = addMinor(total, side.minor[item] as MinorUnits);
      }
      if (distanceMinor(total, target) <= tolerance) solutions.push([...chosen]);
      let cursor = size - 1;
      while (cursor >= 0 && (positions[cursor] as number) === count - size + cursor) cursor--;
      if (cursor < 0) break;
      positions[cursor] = (positions[cursor] as number) + 1;
      for (let next = cursor + 1; next < size; next++) positions[next] = (positions[next - 1] as number) + 1;
    }
  }
  return solutions;
}

/** First position in a day-sorted bucket whose day is >= `day` (binary search). */
function firstOnOrAfter(bucket: readonly number[], side: PreparedSide, day: number): number {
  let low = 0;
  let high = bucket.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((side.day[bucket[middle] as number] as number) < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

function proposeSubsets(leg: LegState, oneSide: PreparedSide, manySide: PreparedSide, oneIsLeft: boolean): Proposal[] {
  // Buckets only for the keys some `one` item asks for.
  const ones = freeIndexes(oneSide).map((one) => ({ one, key: counterpartyKey(oneSide.txs[one] as CanonicalTransaction) }));
  const buckets = new Map<string, number[]>(ones.map(({ key }) => [key, []]));
  for (const item of freeIndexes(manySide)) buckets.get(counterpartyKey(manySide.txs[item] as CanonicalTransaction))?.push(item);
  for (const bucket of buckets.values()) bucket.sort((a, b) => (manySide.day[a] as number) - (manySide.day[b] as number));
  const window = leg.rules.dateWindowDays;
  const { candidatesMax, itemsMax } = leg.rules.subsetSum;
  const proposals: Proposal[] = [];
  for (const { one, key } of ones) {
    const tx = oneSide.txs[one] as CanonicalTransaction;
    const bucket = buckets.get(key) as number[];
    if (bucket.length < 2) continue;
    const day = oneSide.day[one] as number;
    const candidates: number[] = [];
    for (let cursor = firstOnOrAfter(bucket, manySide, day - window); cursor < bucket.length; cursor++) {
      const item = bucket[cursor] as number;
      if ((manySide.day[item] as number) > day + window || candidates.length > candidatesMax) break;
      candidates.push(item);
    }
    if (candidates.length < 2 || candidates.length > candidatesMax) continue;
    candidates.sort((a, b) => compareText((manySide.txs[a] as CanonicalTransaction).id, (manySide.txs[b] as CanonicalTransaction).id));
    const solutions = subsetsNear(candidates, manySide, oneSide.minor[one] as MinorUnits, toleranceMinor(leg, tx.currency), itemsMax);
    if (solutions.length === 1) proposals.push({ one, many: solutions[0] as number[], oneIsLeft });
  }
  return proposals;
}

export function applySubsetSumRule(leg: LegState): void {
  const proposals = [...proposeSubsets(leg, leg.left, leg.right, true), ...proposeSubsets(leg, leg.right, leg.left, false)];
  // An item claimed by two proposals (in either direction) is ambiguous: neither proposal is taken.
  const claims = new Map<string, number>();
  const claim = (isLeft: boolean, item: number): void => {
    const key = `${isLeft ? 'L' : 'R'}${item}`;
    claims.set(key, (claims.get(key) ?? 0) + 1);
  };
  for (const proposal of proposals) {
    claim(proposal.oneIsLeft, proposal.one);
    for (const item of proposal.many) claim(!proposal.oneIsLeft, item);
  }
  const single = (isLeft: boolean, item: number): boolean => claims.get(`${isLeft ? 'L' : 'R'}${item}`) === 1;
  for (const proposal of proposals) {
    if (!single(proposal.oneIsLeft, proposal.one) || !proposal.many.every((item) => single(!proposal.oneIsLeft, item))) continue;
    if (proposal.oneIsLeft) addGroup(leg, { rule: 'subset-sum', left: [proposal.one], right: [...proposal.many], fx: null });
    else addGroup(leg, { rule: 'subset-sum', left: [...proposal.many], right: [proposal.one], fx: null });
  }
}
