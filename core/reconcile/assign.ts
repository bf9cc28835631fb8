import { assert } from '../assert.ts';

/**
 * Tie resolution without a greedy trap. Candidate pairs form a bipartite graph; each connected
 * component is solved on its own by a minimum-cost assignment (Hungarian algorithm, O(n^3) on a
 * bounded component), so "A takes the first candidate, B is left with none" cannot happen.
 * Components are found with a disjoint-set forest, which does not depend on input order.
 */
export class DisjointSet {
  /** A node's parent; for a root -1, or -2 - n once `label` has numbered its set n. */
  private readonly parent: Int32Array;
  private labels = 0;

  constructor(size: number) {
    this.parent = new Int32Array(size).fill(-1);
  }

  find(node: number): number {
    let root = node;
    while ((this.parent[root] as number) >= 0) root = this.parent[root] as number;
    let current = node;
    while (current !== root) {
      const next = this.parent[current] as number;
      this.parent[current] = root;
      current = next;
    }
    return root;
  }

  /** Unites two sets (the smaller root index becomes the parent; membership never depends on the order of unions). */
  union(a: number, b: number): void {
    assert(this.labels === 0, 'sets are united before any is labelled');
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return;
    if (rootA < rootB) this.parent[rootB] = rootA;
    else this.parent[rootA] = rootB;
  }

  /**
   * The number of the node's set, 0, 1, 2… in the order sets are first asked for (after the last
   * union), kept in the root's slot: no second array of every node to number the roots.
   */
  label(node: number): number {
    const root = this.find(node);
    const mark = this.parent[root] as number;
    if (mark !== -1) return -2 - mark;
    this.parent[root] = -2 - this.labels;
    return this.labels++;
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

/**
 * The connected components of a set of edges, as a label per edge (0, 1, 2… in the order of each
 * component's first edge) and per label its first edge and whether it joins more than one item on
 * either side. The forest holds only the items the edges name, numbered densely as they come (left
 * item i as 2i, right item j as 2j + 1 in the map): one of every item of a leg was 4 MB of typed
 * array per call for the edges an amount or batch rule leaves.
 */
interface EdgeLabels {
  readonly labels: Int32Array;
  readonly count: number;
  readonly firstEdge: Int32Array;
  /** 1 where the component holds two items or more on a side, 0 for one item on each side. */
  readonly many: Uint8Array;
}

function labelEdges(edges: readonly CandidateEdge[]): EdgeLabels {
  const dense = new Map<number, number>();
  const denseOf = (node: number): number => {
    let number = dense.get(node);
    if (number === undefined) {
      number = dense.size;
      dense.set(node, number);
    }
    return number;
  };
  const ends = new Int32Array(edges.length * 2);
  edges.forEach((edge, at) => {
    ends[at * 2] = denseOf(edge.left * 2);
    ends[at * 2 + 1] = denseOf(edge.right * 2 + 1);
  });
  const forest = new DisjointSet(dense.size);
  for (let at = 0; at < edges.length; at++) forest.union(ends[at * 2] as number, ends[at * 2 + 1] as number);
  const labels = new Int32Array(edges.length);
  // There are at most as many components as edges. A component whose edges all join its first edge's two items is one pair.
  const firstEdge = new Int32Array(edges.length);
  const many = new Uint8Array(edges.length);
  let count = 0;
  for (let at = 0; at < edges.length; at++) {
    const label = forest.label(ends[at * 2] as number);
    labels[at] = label;
    if (label === count) {
      firstEdge[count++] = at;
      continue;
    }
    const first = firstEdge[label] as number;
    if (ends[at * 2] !== ends[first * 2] || ends[at * 2 + 1] !== ends[first * 2 + 1]) many[label] = 1;
  }
  return { labels, count, firstEdge, many };
}

/** Groups edges into connected components, in the order of their first edge; each item once per component, in the order the edges name it. */
export function components(edges: readonly CandidateEdge[]): Component[] {
  return componentsOf(edges, labelEdges(edges), () => true);
}

/** The components whose label `wanted` accepts, built from their edges' labels. */
function componentsOf(edges: readonly CandidateEdge[], { labels, count }: EdgeLabels, wanted: (label: number) => boolean): Component[] {
  const byLabel: (Component | null)[] = new Array<Component | null>(count).fill(null);
  const seenLeft = new Set<number>();
  const seenRight = new Set<number>();
  edges.forEach((edge, at) => {
    const label = labels[at] as number;
    if (!wanted(label)) return;
    let component = byLabel[label] as Component | null;
    if (component === null) {
      component = { left: [], right: [], edges: [] };
      byLabel[label] = component;
    }
    component.edges.push(edge);
    // An item belongs to one component: one set per side is enough.
    if (!seenLeft.has(edge.left)) {
      seenLeft.add(edge.left);
      component.left.push(edge.left);
    }
    if (!seenRight.has(edge.right)) {
      seenRight.add(edge.right);
      component.right.push(edge.right);
    }
  });
  return byLabel.filter((component): component is Component => component !== null);
}

/**
 * Minimum-cost assignment on a rows x cols matrix (rows <= cols), Hungarian algorithm with
 * potentials. `cost[r][c]` = Infinity marks a forbidden pair. Returns, per row, the column or -1.
 * Forbidden pairs are replaced by a cost larger than any sum of allowed costs, so the solution
 * first maximizes the number of allowed pairs and only then minimizes their cost.
 */
export function minCostAssignment(cost: readonly (readonly number[])[], rows: number, cols: number): Int32Array {
  const solution = solveAssignment(cost, rows, cols);
  const result = new Int32Array(rows).fill(-1);
  for (let row = 0; row < rows; row++) {
    const col = solution.column[row] as number;
    if (solution.allowed(row, col)) result[row] = col;
  }
  return result;
}

/** A full assignment of the matrix (forbidden entries at their large cost) with its dual potentials. */
interface Solution {
  /** Row -> column, 0-based; every row has one (rows <= cols). */
  readonly column: Int32Array;
  /** Reduced cost cost(r, c) - u(r) - v(c): >= 0 everywhere, 0 on the assignment (dual feasibility). */
  readonly reduced: (row: number, col: number) => number;
  /** v(c) of a column: 0 for columns no row took, <= 0 for the others. */
  readonly columnPotential: (col: number) => number;
  readonly allowed: (row: number, col: number) => boolean;
}

function solveAssignment(cost: readonly (readonly number[])[], rows: number, cols: number): Solution {
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
  const column = new Int32Array(rows).fill(-1);
  for (let col = 1; col <= cols; col++) {
    const row = match[col] as number;
    if (row > 0) column[row - 1] = col - 1;
  }
  assert(column.every((col) => col >= 0), 'every row of the full matrix is assigned', { rows, cols });
  return {
    column,
    reduced: (row, col) => at(row, col) - (u[row + 1] as number) - (v[col + 1] as number),
    columnPotential: (col) => v[col + 1] as number,
    allowed: (row, col) => at(row, col) < forbidden,
  };
}

/**
 * Strongly connected components of a small digraph (adjacency lists), iteratively (no recursion):
 * returns each node's component number.
 */
function stronglyConnected(adjacent: readonly (readonly number[])[]): Int32Array {
  const count = adjacent.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const frames: Array<{ node: number; next: number }> = [];
  let counter = 0;
  let components = 0;
  for (let start = 0; start < count; start++) {
    if (order[start] !== -1) continue;
    frames.push({ node: start, next: 0 });
    order[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { node: number; next: number };
      const edges = adjacent[frame.node] as readonly number[];
      if (frame.next < edges.length) {
        const target = edges[frame.next++] as number;
        if (order[target] === -1) {
          order[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = 1;
          frames.push({ node: target, next: 0 });
        } else if (onStack[target] === 1) {
          low[frame.node] = Math.min(low[frame.node] as number, order[target] as number);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number);
      if (low[frame.node] !== order[frame.node]) continue;
      for (;;) {
        const member = stack.pop() as number;
        onStack[member] = 0;
        component[member] = components;
        if (member === frame.node) break;
      }
      components++;
    }
  }
  assert(stack.length === 0, 'every node left the Tarjan stack');
  return component;
}

/**
 * The allowed pairs that every optimal assignment contains (per row: its column, or -1). A pair
 * left out is tied: another assignment with as many pairs and the same cost does without it.
 * With the solver's potentials, the optimal assignments are those that use only tight edges
 * (reduced cost 0), so an alternative is an alternating cycle in the tight graph: rows point to
 * their column, a column to every other row it is tight with; a column no row took (potential 0)
 * can start such a path and a taken column of potential 0 can end it (both joined through one
 * extra node). A pair is forced exactly when its row and column are in different strongly
 * connected components.
 */
export function forcedAssignment(cost: readonly (readonly number[])[], rows: number, cols: number): Int32Array {
  const solution = solveAssignment(cost, rows, cols);
  const taken = new Uint8Array(cols);
  for (const col of solution.column) taken[col] = 1;
  const through = rows + cols;
  const adjacent: number[][] = Array.from({ length: through + 1 }, () => []);
  for (let row = 0; row < rows; row++) {
    const mine = solution.column[row] as number;
    (adjacent[row] as number[]).push(rows + mine);
    for (let col = 0; col < cols; col++) if (col !== mine && solution.reduced(row, col) === 0) (adjacent[rows + col] as number[]).push(row);
  }
  for (let col = 0; col < cols; col++) {
    if (taken[col] === 0) (adjacent[through] as number[]).push(rows + col);
    else if (solution.columnPotential(col) === 0) (adjacent[rows + col] as number[]).push(through);
  }
  const component = stronglyConnected(adjacent);
  const result = new Int32Array(rows).fill(-1);
  for (let row = 0; row < rows; row++) {
    const col = solution.column[row] as number;
    assert(solution.reduced(row, col) === 0, 'an assigned pair is tight', { row, col });
    if (solution.allowed(row, col) && component[row] !== component[rows + col]) result[row] = col;
  }
  return result;
}

/**
 * Resolves candidate pairs into one-to-one pairs: each component is sorted by transaction id
 * (so the same inputs in any order give the same answer) and solved by a minimum-cost
 * assignment, of which only the forced pairs are taken (forcedAssignment): where two optimal
 * assignments exist (equal amounts, equal dates, nothing else to tell them apart) the tied items
 * stay free for suggestions instead of being paired in id order. Components larger than
 * `componentItemsMax` are too ambiguous to decide and are left alone.
 */
export function resolvePairs(
  edges: readonly CandidateEdge[],
  idOf: { readonly left: (index: number) => string; readonly right: (index: number) => string },
  componentItemsMax: number,
): Array<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  const labelled = labelEdges(edges);
  // Most components are one item on each side (a batch and its payout, a bank line and its
  // twin): paired from their first edge, no component built.
  const solved = componentsOf(edges, labelled, (label) => labelled.many[label] === 1);
  let next = 0;
  for (let label = 0; label < labelled.count; label++) {
    if (labelled.many[label] === 0) {
      const edge = edges[labelled.firstEdge[label] as number] as CandidateEdge;
      pairs.push([edge.left, edge.right]);
      continue;
    }
    const component = solved[next++] as Component;
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
    const assigned = forcedAssignment(matrix, rows.length, cols.length);
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

/**
 * The ids in code-unit order, sorted in place (the default sort compares strings as compareText
 * does, without a callback). Rows often arrive in id order already: such a list is not sorted again.
 */
export function inCodeUnitOrder(ids: string[]): string[] {
  for (let position = 1; position < ids.length; position++) if ((ids[position - 1] as string) > (ids[position] as string)) return ids.sort();
  return ids;
}
