import { assert } from '../assert.ts';

/**
 * References that are almost equal: a typed-wrong or cut payout id in remittance text. Keys are
 * case-sensitive (text.ts), so a difference in letter case alone counts as one edit: close enough
 * to suggest, never equal. Candidates come from a deletion index (every key with up to `max`
 * characters deleted, upper-cased): two keys within Levenshtein distance `max` share such a
 * variant, so only pairs that share one are measured, never all pairs.
 */
export const NEAR_DISTANCE_MAX = 2;

/** Levenshtein distance of a and b, or max + 1 when it is larger than max (stops early). */
function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let row = 1; row <= a.length; row++) {
    const current = [row];
    let rowMin = row;
    for (let col = 1; col <= b.length; col++) {
      const substitution = (previous[col - 1] as number) + (a.charCodeAt(row - 1) === b.charCodeAt(col - 1) ? 0 : 1);
      const value = Math.min(substitution, (previous[col] as number) + 1, (current[col - 1] as number) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return Math.min(previous[b.length] as number, max + 1);
}

/** Edits between two keys, a letter-case difference counting one; max + 1 when beyond max. */
export function referenceDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const exact = levenshtein(a, b, max);
  const folded = levenshtein(a.toUpperCase(), b.toUpperCase(), max) + 1;
  return Math.min(exact, folded, max + 1);
}

/** The upper-cased key with every choice of up to `max` characters deleted (deduplicated). */
function deletionVariants(key: string, max: number): Set<string> {
  const variants = new Set<string>([key.toUpperCase()]);
  let frontier = [...variants];
  for (let deleted = 0; deleted < max; deleted++) {
    const next: string[] = [];
    for (const text of frontier) {
      for (let position = 0; position < text.length; position++) {
        const shorter = text.slice(0, position) + text.slice(position + 1);
        if (!variants.has(shorter)) {
          variants.add(shorter);
          next.push(shorter);
        }
      }
    }
    frontier = next;
  }
  return variants;
}

export interface NearRef {
  readonly item: number;
  readonly key: string;
  /** A structured id (true) or a token of remittance text (false): two tokens never make a pair. */
  readonly structured: boolean;
}

export interface NearPair {
  readonly left: number;
  readonly right: number;
  readonly leftKey: string;
  readonly rightKey: string;
  readonly distance: number;
}

/**
 * Pairs of items whose references are within `max` edits, at least one of the two a structured
 * id; the closest reference pair per item pair. `variantsMax` bounds the work: past it the search
 * stops (it only feeds suggestions) and `complete` is false.
 */
export function nearReferencePairs(left: readonly NearRef[], right: readonly NearRef[], max: number, variantsMax: number): { pairs: NearPair[]; complete: boolean } {
  assert(max >= 0 && max <= NEAR_DISTANCE_MAX, 'near-reference distance is small', { max });
  const index = new Map<string, number[]>();
  let variants = 0;
  for (let position = 0; position < left.length; position++) {
    const keys = deletionVariants((left[position] as NearRef).key, max);
    variants += keys.size;
    if (variants > variantsMax) return { pairs: [], complete: false };
    for (const variant of keys) {
      const list = index.get(variant);
      if (list === undefined) index.set(variant, [position]);
      else list.push(position);
    }
  }
  const best = new Map<string, NearPair>();
  let complete = true;
  for (const probe of right) {
    const keys = deletionVariants(probe.key, max);
    variants += keys.size;
    if (variants > variantsMax) {
      complete = false;
      break;
    }
    const seen = new Set<number>();
    for (const variant of keys) {
      for (const position of index.get(variant) ?? []) {
        if (seen.has(position)) continue;
        seen.add(position);
        const ref = left[position] as NearRef;
        if (!ref.structured && !probe.structured) continue;
        const distance = referenceDistance(ref.key, probe.key, max);
        if (distance > max) continue;
        const pairKey = `${ref.item}:${probe.item}`;
        const known = best.get(pairKey);
        if (known === undefined || distance < known.distance) best.set(pairKey, { left: ref.item, right: probe.item, leftKey: ref.key, rightKey: probe.key, distance });
      }
    }
  }
  return { pairs: [...best.values()], complete };
}
