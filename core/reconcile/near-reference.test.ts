import { describe, expect, it } from 'vitest';
import { nearReferencePairs, referenceDistance } from './near-reference.ts';

describe('referenceDistance', () => {
  it('counts edits, a letter-case difference as one, and stops past the bound', () => {
    // One substitution (V -> W).
    expect(referenceDistance('po1RVIQ98XWVyDmF8NtE6v62uV', 'po1RVIQ98XWVyDmF8NtE6v62uW', 2)).toBe(1);
    // One deletion: "INV20240042" -> "INV2024042" drops one 0.
    expect(referenceDistance('INV20240042', 'INV2024042', 2)).toBe(1);
    // Case only: 3 substitutions as written, 0 upper-cased + 1 for the case = 1.
    expect(referenceDistance('abcdefgh', 'ABCDEFGH', 2)).toBe(1);
    // GH -> XY: 2; FGH -> XYZ: 3, beyond 2, reported as 3 (max + 1).
    expect(referenceDistance('ABCDEFGH', 'ABCDEFXY', 2)).toBe(2);
    expect(referenceDistance('ABCDEFGH', 'ABCDEXYZ', 2)).toBe(3);
    expect(referenceDistance('ABCDEFGH', 'ABCDEFGH', 2)).toBe(0);
  });
});

describe('nearReferencePairs', () => {
  it('pairs ids within the distance, never two text tokens, the closest reference per pair', () => {
    const left = [
      { item: 0, key: 'po1RVIQ98XWVyDmF8NtE6v62uV', structured: true },
      { item: 1, key: 'SETTLEMENT', structured: false },
    ];
    const right = [
      { item: 0, key: 'po1RVIQ98XWVyDmF8NtE6v62uW', structured: false },
      { item: 0, key: 'po1RVIQ98XWVyDmF8NtE6v62uV', structured: true },
      { item: 1, key: 'SETTLEMENTS', structured: false },
    ];
    const { pairs, complete } = nearReferencePairs(left, right, 2, 100_000);
    expect(complete).toBe(true);
    // Item 0 pairs at distance 0 (its own id); the tokens SETTLEMENT/SETTLEMENTS (1 edit) are both text: no pair.
    expect(pairs).toEqual([{ left: 0, right: 0, leftKey: 'po1RVIQ98XWVyDmF8NtE6v62uV', rightKey: 'po1RVIQ98XWVyDmF8NtE6v62uV', distance: 0 }]);
  });

  it('stops at the variant bound and says the search is incomplete', () => {
    // A 10-character key has 1 + 10 + 45 = 56 variants at most (fewer where deletions coincide).
    const left = [{ item: 0, key: 'ABCDEFGHIJ', structured: true }];
    expect(nearReferencePairs(left, [{ item: 0, key: 'ABCDEFGHIK', structured: true }], 2, 40).complete).toBe(false);
    expect(nearReferencePairs(left, [{ item: 0, key: 'ABCDEFGHIK', structured: true }], 2, 200)).toEqual({ pairs: [{ left: 0, right: 0, leftKey: 'ABCDEFGHIJ', rightKey: 'ABCDEFGHIK', distance: 1 }], complete: true });
  });
});
