import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { components, DisjointSet, forcedAssignment, inCodeUnitOrder, minCostAssignment, resolvePairs, type CandidateEdge } from './assign.ts';

const INF = Number.POSITIVE_INFINITY;

/** 1..4 rows x rows..5 columns of costs 0..costMax, Infinity marking a forbidden pair. */
function smallMatrix(costMax: number): fc.Arbitrary<number[][]> {
  return fc.integer({ min: 1, max: 4 }).chain((rows) =>
    fc.integer({ min: rows, max: 5 }).chain((cols) => fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: costMax }), fc.constant(INF)), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })),
  );
}

describe('minCostAssignment', () => {
  it('maximizes the number of allowed pairs before minimizing cost', () => {
    // Row 0 is cheapest with col 0, but row 1 can only take col 0.
    expect([...minCostAssignment([[0, 5], [1, INF]], 2, 2)]).toEqual([1, 0]);
  });

  it('equals brute force on small matrices (property)', () => {
    fc.assert(
      fc.property(smallMatrix(9), (cost) => {
        const rows = cost.length;
        const cols = cost[0]?.length ?? 0;
        const score = (assignment: readonly number[]): [number, number] => {
          let count = 0;
          let total = 0;
          assignment.forEach((col, row) => {
            const value = col < 0 ? INF : (cost[row]?.[col] ?? INF);
            if (Number.isFinite(value)) {
              count++;
              total += value;
            }
          });
          return [count, total];
        };
        let best: [number, number] = [-1, 0];
        const permute = (row: number, used: Set<number>, current: number[]): void => {
          if (row === rows) {
            const s = score(current);
            if (s[0] > best[0] || (s[0] === best[0] && s[1] < best[1])) best = s;
            return;
          }
          for (let col = 0; col < cols; col++) if (!used.has(col)) permute(row + 1, new Set([...used, col]), [...current, col]);
        };
        permute(0, new Set(), []);
        expect(score([...minCostAssignment(cost, rows, cols)])).toEqual(best);
      }),
      { numRuns: 300 },
    );
  });
});

describe('forcedAssignment', () => {
  it('keeps exactly the pairs every optimal assignment shares (property, against brute force)', () => {
    // Costs up to 2 make ties common.
    fc.assert(
      fc.property(smallMatrix(2), (cost) => {
        const rows = cost.length;
        const cols = cost[0]?.length ?? 0;
        // Every assignment of rows to distinct columns, scored (allowed pairs, their cost); the
        // optimal ones have the most pairs, then the least cost; a pair is forced when all share it.
        let best: [number, number] = [-1, 0];
        let optimal: number[][] = [];
        const visit = (row: number, used: Set<number>, current: number[]): void => {
          if (row === rows) {
            const chosen = current.map((col, r) => (Number.isFinite(cost[r]?.[col] ?? INF) ? col : -1));
            const score: [number, number] = [chosen.filter((col) => col >= 0).length, chosen.reduce((sum, col, r) => sum + (col >= 0 ? (cost[r]?.[col] ?? 0) : 0), 0)];
            if (score[0] > best[0] || (score[0] === best[0] && score[1] < best[1])) {
              best = score;
              optimal = [chosen];
            } else if (score[0] === best[0] && score[1] === best[1]) optimal.push(chosen);
            return;
          }
          for (let col = 0; col < cols; col++) if (!used.has(col)) visit(row + 1, new Set([...used, col]), [...current, col]);
        };
        visit(0, new Set(), []);
        const expected = Array.from({ length: rows }, (_, row) => (optimal.every((assignment) => assignment[row] === optimal[0]?.[row]) ? (optimal[0]?.[row] ?? -1) : -1));
        expect([...forcedAssignment(cost, rows, cols)]).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });
});

describe('DisjointSet', () => {
  it('numbers its sets 0, 1, 2 in the order they are first asked for, and refuses a union after that', () => {
    const forest = new DisjointSet(6);
    forest.union(4, 5);
    forest.union(0, 2);
    forest.union(2, 4);
    // Sets {0, 2, 4, 5}, {1}, {3}: asked 3 first, then 5, then 1, then 0 again.
    expect([forest.label(3), forest.label(5), forest.label(1), forest.label(0), forest.label(4)]).toEqual([0, 1, 2, 1, 1]);
    expect(forest.find(5)).toBe(forest.find(0));
    expect(forest.find(1)).not.toBe(forest.find(3));
    expect(() => forest.union(1, 3)).toThrow(/united before any is labelled/);
  });
});

describe('components', () => {
  const edge = (left: number, right: number): CandidateEdge => ({ left, right, cost: 0 });

  it('joins edges through shared items, in the order of each component\'s first edge, left and right items numbered apart', () => {
    // Left 7 and right 7 are different items; right 900000 is far past any left index.
    const found = components([edge(7, 900_000), edge(3, 7), edge(7, 1), edge(3, 2)]);
    expect(found.map((component) => ({ left: component.left, right: component.right, edges: component.edges.length }))).toEqual([
      { left: [7], right: [900_000, 1], edges: 2 },
      { left: [3], right: [7, 2], edges: 2 },
    ]);
  });

  it('puts two edges in one component exactly when a path of shared items links them (property, against a search)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 12 }), (pairs) => {
        const edges = pairs.map(([left, right]) => edge(left, right));
        const componentOf = new Map<CandidateEdge, number>();
        components(edges).forEach((component, at) => component.edges.forEach((member) => componentOf.set(member, at)));
        // Reachability by search over items "L<i>" / "R<j>".
        const reach = (from: CandidateEdge): Set<string> => {
          const seen = new Set([`L${from.left}`, `R${from.right}`]);
          for (let grew = true; grew; ) {
            grew = false;
            for (const other of edges) {
              if ((seen.has(`L${other.left}`) || seen.has(`R${other.right}`)) && !(seen.has(`L${other.left}`) && seen.has(`R${other.right}`))) {
                seen.add(`L${other.left}`);
                seen.add(`R${other.right}`);
                grew = true;
              }
            }
          }
          return seen;
        };
        for (const a of edges) {
          const linked = reach(a);
          for (const b of edges) expect(componentOf.get(a) === componentOf.get(b)).toBe(linked.has(`L${b.left}`));
        }
      }),
    );
  });
});

describe('resolvePairs', () => {
  const ids = { left: (i: number) => `L${i}`, right: (i: number) => `R${i}` };

  it('gives the same pairs whatever the edge order', () => {
    // L0-R0 1, L0-R1 5, L1-R0 4, L1-R1 1: the diagonal costs 1 + 1 = 2, the other pairing 5 + 4 = 9.
    const edges = [
      { left: 0, right: 0, cost: 1 },
      { left: 0, right: 1, cost: 5 },
      { left: 1, right: 0, cost: 4 },
      { left: 1, right: 1, cost: 1 },
    ];
    const forward = resolvePairs(edges, ids, 10);
    const backward = resolvePairs([...edges].reverse(), ids, 10);
    expect([...backward].sort()).toEqual([...forward].sort());
    expect([...forward].sort()).toEqual([[0, 0], [1, 1]]);
  });

  it('takes no pair of a tie: two optimal assignments (1 + 1 = 2 either way) leave all four items free', () => {
    const edges = [
      { left: 0, right: 0, cost: 1 },
      { left: 0, right: 1, cost: 1 },
      { left: 1, right: 0, cost: 1 },
      { left: 1, right: 1, cost: 1 },
    ];
    expect(resolvePairs(edges, ids, 10)).toEqual([]);
  });

  it('keeps the forced pairs of a component and drops only the tied ones', () => {
    // L0 has only R0 (cost 0): forced. L1 and L2 both fit R1 and R2 at cost 3: tied.
    // L3 fits R2 at 2 or R3 at 2, but R3 is L3's alone and R2 is wanted by L1 and L2: with
    // L3-R3, {L1, L2} x {R1, R2} ties; with L3-R2 one of L1/L2 is left without a pair (fewer pairs).
    const edges = [
      { left: 0, right: 0, cost: 0 },
      { left: 1, right: 1, cost: 3 },
      { left: 1, right: 2, cost: 3 },
      { left: 2, right: 1, cost: 3 },
      { left: 2, right: 2, cost: 3 },
      { left: 3, right: 2, cost: 2 },
      { left: 3, right: 3, cost: 2 },
      { left: 0, right: 3, cost: 9 },
    ];
    expect([...resolvePairs(edges, ids, 20)].sort()).toEqual([[0, 0], [3, 3]]);
  });

  it('treats a cheaper alternative as no tie: one item, two candidates at costs 1 and 2', () => {
    expect(resolvePairs([{ left: 0, right: 0, cost: 2 }, { left: 0, right: 1, cost: 1 }], ids, 10)).toEqual([[0, 1]]);
    expect(resolvePairs([{ left: 0, right: 0, cost: 1 }, { left: 0, right: 1, cost: 1 }], ids, 10)).toEqual([]);
    // One item on each side named by two edges is still one pair, whatever the order of the components around it.
    expect(resolvePairs([{ left: 5, right: 2, cost: 1 }, { left: 1, right: 1, cost: 3 }, { left: 1, right: 1, cost: 1 }, { left: 5, right: 3, cost: 1 }], ids, 10)).toEqual([[1, 1]]);
  });
});

describe('inCodeUnitOrder', () => {
  it('sorts by code unit (upper case before lower, é after z) and keeps a list already in order as it is', () => {
    expect(inCodeUnitOrder(['tx:b', 'tx:a', 'tx:Z', 'tx:é', 'tx:z'])).toEqual(['tx:Z', 'tx:a', 'tx:b', 'tx:z', 'tx:é']);
    const ordered = ['a', 'a', 'b'];
    expect(inCodeUnitOrder(ordered)).toBe(ordered);
    expect(inCodeUnitOrder([])).toEqual([]);
  });
});
