import { assert } from '../assert.ts';

/**
 * Tie resolution without a greedy trap. Candidate pairs form a bipartite graph; each connected
 * component is solved on its own by a minimum-cost assignment (Hungarian algorithm, O(n^3) on a
 * bounded component), so "A takes the first candidate, B is left with none" cannot happen.
 * Components are found with a disjoint-set forest, which does not depend on input order.
 */
export class DisjointSet {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let index = 0; index < size; index++) this.parent[index] = index;
  }

  find(node: number): number {
    let root = node;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let current = node;
    while (this.parent[current] !== root) {
      const next = this.parent[current] as number;
      this.parent[current] = root;
      current = next;
    }
    return root;
  }

  /** Unites two sets (the smaller root index becomes the parent; membership never depends on the order of unions). */
  union(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return;
    if (rootA < rootB) this.parent[rootB] = rootA;
    else this.parent[rootA] = rootB;
  }
}

export interface CandidateEdge {
  /** Index on the left side. */
  readonly left: number;
  /** Index on the right side. */
  readonly right: number;
  /** Non-negative integer cost (not money: distances in minor units and days). */
  readonly cost: number;
}

export interface Component {
  readonly left: number[];
  readonly right: number[];
  readonly edges: CandidateEdge[];
}

/** Groups edges into connected components; nodes are numbered left 0..leftCount-1, right after. */
export function components(edges: readonly CandidateEdge[], leftCount: number, rightCount: number): Component[] {
  const forest = new DisjointSet(leftCount + rightCount);
  for (const edge of edges) forest.union(edge.left, leftCount + edge.right);
  const byRoot = new Map<number, Component>();
  for (const edge of edges) {
    const root = forest.find(edge.left);
    let component = byRoot.get(root);
    if (component === undefined) {
      component = { left: [], right: [], edges: [] };
      byRoot.set(root, component);
    }
    component.edges.push(edge);
  }
  for (const component of byRoot.values()) {
    component.left.push(...new Set(component.edges.map((edge) => edge.left)));
    component.right.push(...new Set(component.edges.map((edge) => edge.right)));
  }
  return [...byRoot.values()];
}

/**
 * Minimum-cost assignment on a rows x cols matrix (rows <= cols), Hungarian algorithm with
 * potentials. `cost[r][c]` = Infinity marks a forbidden pair. Returns, per row, the column or -1.
 * Forbidden pairs are replaced by a cost larger than any sum of allowed costs, so the solution
 * first maximizes the number of allowed pairs and only then minimizes their cost.
 */
export function minCostAssignment(cost: readonly (readonly number[])[], rows: number, cols: number): Int32Array {
  assert(rows <= cols, 'assignment has no more rows than columns', { rows, cols });
  let allowedSum = 0;
  for (const row of cost) for (const value of row) if (Number.isFinite(value)) allowedSum += value;
  const forbidden = (allowedSum + 1) * (rows + 1);
  assert(Number.isSafeInteger(forbidden), 'assignment costs stay exact integers', { allowedSum });
  const at = (r: number, c: number): number => {
    const value = (cost[r] as readonly number[])[c] as number;
    return Number.isFinite(value) ? value : forbidden;
  };
  const u = new Array<number>(rows + 1).fill(0);
  const v = new Array<number>(cols + 1).fill(0);
  const match = new Int32Array(cols + 1).fill(0); // column -> row (1-based), 0 = none
  const way = new Int32Array(cols + 1);
  for (let row = 1; row <= rows; row++) {
    match[0] = row;
    let column0 = 0;
    const minv = new Array<number>(cols + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(cols + 1);
    for (let step = 0; step <= cols; step++) {
      used[column0] = 1;
      const row0 = match[column0] as number;
      let delta = Number.POSITIVE_INFINITY;
      let column1 = 0;
      for (let column = 1; column <= cols; column++) {
        if (used[column] === 1) continue;
        const reduced = at(row0 - 1, column - 1) - (u[row0] as number) - (v[column] as number);
        if (reduced < (minv[column] as number)) {
          minv[column] = reduced;
          way[column] = column0;
        }
        if ((minv[column] as number) < delta) {
          delta = minv[column] as number;
          column1 = column;
        }
      }
      for (let column = 0; column <= cols; column++) {
        if (used[column] === 1) {
          u[match[column] as number] = (u[match[column] as number] as number) + delta;
          v[column] = (v[column] as number) - delta;
        } else {
          minv[column] = (minv[column] as number) - delta;
        }
      }
      column0 = column1;
      if (match[column0] === 0) break;
    }
    while (column0 !== 0) {
      const previous = way[column0] as number;
      match[column0] = match[previous] as number;
      column0 = previous;
    }
  }
  const result = new Int32Array(rows).fill(-1);
  for (let column = 1; column <= cols; column++) {
    const row = match[column] as number;
    if (row > 0 && at(row - 1, column - 1) < forbidden) result[row - 1] = column - 1;
  }
  return result;
}

/**
 * Resolves candidate pairs into one-to-one pairs: each component is sorted by transaction id
 * (so the same inputs in any order give the same answer) and solved by minCostAssignment.
 * Components larger than `componentItemsMax` are too ambiguous to decide and are left alone.
 */
export function resolvePairs(
  edges: readonly CandidateEdge[],
  sizes: { readonly left: number; readonly right: number },
  idOf: { readonly left: (index: number) => string; readonly right: (index: number) => string },
  componentItemsMax: number,
): Array<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  for (const component of components(edges, sizes.left, sizes.right)) {
    if (component.left.length === 1 && component.right.length === 1) {
      pairs.push([component.left[0] as number, component.right[0] as number]);
      continue;
    }
    if (component.left.length + component.right.length > componentItemsMax) continue;
    const byLeftId = (a: number, b: number): number => compareText(idOf.left(a), idOf.left(b));
    const byRightId = (a: number, b: number): number => compareText(idOf.right(a), idOf.right(b));
    const lefts = [...component.left].sort(byLeftId);
    const rights = [...component.right].sort(byRightId);
    const transpose = lefts.length > rights.length;
    const rows = transpose ? rights : lefts;
    const cols = transpose ? lefts : rights;
    const rowOf = new Map(rows.map((index, position) => [index, position]));
    const colOf = new Map(cols.map((index, position) => [index, position]));
    const matrix = rows.map(() => new Array<number>(cols.length).fill(Number.POSITIVE_INFINITY));
    for (const edge of component.edges) {
      const row = rowOf.get(transpose ? edge.right : edge.left) as number;
      const col = colOf.get(transpose ? edge.left : edge.right) as number;
      const line = matrix[row] as number[];
      line[col] = Math.min(line[col] as number, edge.cost);
    }
    const assigned = minCostAssignment(matrix, rows.length, cols.length);
    for (let row = 0; row < rows.length; row++) {
      const col = assigned[row] as number;
      if (col < 0) continue;
      const a = rows[row] as number;
      const b = cols[col] as number;
      pairs.push(transpose ? [b, a] : [a, b]);
    }
  }
  return pairs;
}

/** Code-unit order, the same in every engine and locale (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
