import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { minCostAssignment, resolvePairs } from './assign.ts';

const INF = Number.POSITIVE_INFINITY;

describe('minCostAssignment', () => {
  it('maximizes the number of allowed pairs before minimizing cost', () => {
    // Row 0 is cheapest with col 0, but row 1 can only take col 0.
    expect([...minCostAssignment([[0, 5], [1, INF]], 2, 2)]).toEqual([1, 0]);
  });

  it('equals brute force on small matrices (property)', () => {
    const matrix = fc.integer({ min: 1, max: 4 }).chain((rows) =>
      fc.integer({ min: rows, max: 5 }).chain((cols) => fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant(INF)), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })),
    );
    fc.assert(
      fc.property(matrix, (cost) => {
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

describe('resolvePairs', () => {
  it('gives the same pairs whatever the edge order', () => {
    const edges = [
      { left: 0, right: 0, cost: 1 },
      { left: 0, right: 1, cost: 1 },
      { left: 1, right: 0, cost: 1 },
      { left: 1, right: 1, cost: 1 },
    ];
    const ids = { left: (i: number) => `L${i}`, right: (i: number) => `R${i}` };
    const forward = resolvePairs(edges, { left: 2, right: 2 }, ids, 10);
    const backward = resolvePairs([...edges].reverse(), { left: 2, right: 2 }, ids, 10);
    expect([...backward].sort()).toEqual([...forward].sort());
    expect(forward).toHaveLength(2);
  });
});
