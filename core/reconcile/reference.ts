import { assert } from '../assert.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';
import { DisjointSet } from './assign.ts';
import { addGroup, batchesOf, byCurrency, FREE, KEYS_PER_ITEM, NO_KEY, structuredKeys, type LegState, type PreparedSide } from './leg.ts';
import { keyHash, referenceTokens, usableKey } from './text.ts';

/**
 * The exact-reference rule as a hash join. The side with fewer items is indexed (its structured
 * ids, its batchIds and, when its text is scanned, its remittance tokens); the other side probes
 * the index with its ids and tokens per item, and with its batchIds once per batch (a million
 * PSP lines are a hundred thousand batches). Linked items are grouped by connected component,
 * which does not depend on input order.
 *
 * Join strengths: DIRECT when one item names another (id=id, id=token), BATCH when an item names
 * a batch (id=batch, token=batch); token=token and batch=batch say nothing. Direct links are
 * grouped first, batch links only among items still free, so an internal payout naming its
 * payout id pairs with the PSP's payout line, not with every line of the batch.
 */
const ROLE_ID = 0;
const ROLE_TOKEN = 1;
const ROLE_BATCH = 2;
type Role = typeof ROLE_ID | typeof ROLE_TOKEN | typeof ROLE_BATCH;

const DIRECT = 1;
const BATCH = 2;
/** JOINS[probing role][indexed role]. */
const JOINS: readonly (readonly number[])[] = [
  [DIRECT, DIRECT, BATCH],
  [DIRECT, 0, BATCH],
  [BATCH, BATCH, 0],
];

interface KeyEntry {
  /** Indexed-side items by role. */
  readonly members: [number[], number[], number[]];
  /** Probing-side items that hit this key, by role, to refuse a key shared too widely there. */
  readonly hits: [number, number, number];
}

/** A probe is an item (ROLE_ID, ROLE_TOKEN) or a batch of the probing side (ROLE_BATCH). */
interface Probes {
  readonly subject: number[];
  readonly role: Role[];
  readonly entry: KeyEntry[];
  /** Free members of each probed batch, by batch ordinal. */
  readonly batches: (readonly number[])[];
}

function addMember(index: Map<string, KeyEntry>, key: string, role: Role, item: number): void {
  let entry = index.get(key);
  if (entry === undefined) {
    entry = { members: [[], [], []], hits: [0, 0, 0] };
    index.set(key, entry);
  }
  const members = entry.members[role];
  if (members[members.length - 1] !== item) members.push(item);
}

/**
 * Hashes of every id and batchId the other side knows (keyHash: -1 for non-ASCII ids, which
 * then let any non-ASCII token through to the exact lookup). A remittance-text token is a
 * reference only when it is one of these: looked up, not guessed from its shape. A sorted typed
 * array, searched by bisection: a million ids cost one sort, not a million Set entries.
 */
class KnownHashes {
  private readonly sorted: Float64Array;

  constructor(side: PreparedSide) {
    let count = 0;
    for (const hash of side.keyHashes) if (hash !== NO_KEY) count++;
    const batchIds = [...batchesOf(side).keys()];
    const values = new Float64Array(count + batchIds.length);
    let position = 0;
    for (const hash of side.keyHashes) if (hash !== NO_KEY) values[position++] = hash;
    for (const batchId of batchIds) values[position++] = keyHash(batchId);
    assert(position === values.length, 'every known hash is stored once');
    this.sorted = values.sort();
  }

  has(hash: number): boolean {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sorted[middle] as number) < hash) low = middle + 1;
      else high = middle;
    }
    return low < this.sorted.length && this.sorted[low] === hash;
  }
}

function buildIndex(side: PreparedSide, leg: LegState, other: PreparedSide): Map<string, KeyEntry> {
  const index = new Map<string, KeyEntry>();
  const known = side.scanText ? new KnownHashes(other) : null;
  for (let item = 0; item < side.txs.length; item++) {
    if (side.groupOf[item] !== FREE) continue;
    const tx = side.txs[item] as CanonicalTransaction;
    for (const key of structuredKeys(tx, leg.tokenOptions)) addMember(index, key, ROLE_ID, item);
    const batch = usableKey(tx.references.batchId, leg.tokenOptions);
    if (batch !== null) addMember(index, batch, ROLE_BATCH, item);
    if (known === null) continue;
    for (const token of referenceTokens(tx.description, leg.tokenOptions)) if (known.has(keyHash(token))) addMember(index, token, ROLE_TOKEN, item);
  }
  return index;
}

function probeSide(side: PreparedSide, index: Map<string, KeyEntry>, leg: LegState): Probes {
  const probes: Probes = { subject: [], role: [], entry: [], batches: [] };
  const add = (subject: number, role: Role, entry: KeyEntry | undefined, weight: number): void => {
    if (entry === undefined) return;
    probes.subject.push(subject);
    probes.role.push(role);
    probes.entry.push(entry);
    entry.hits[role] += weight;
  };
  // Most probed ids are in no index: a set of key hashes (computed when the side was prepared)
  // answers that without touching the row or normalizing the id.
  const hashes = new Set<number>();
  for (const key of index.keys()) hashes.add(keyHash(key));
  const lookup = (raw: string | null): KeyEntry | undefined => {
    if (raw === null) return undefined;
    const hash = keyHash(raw);
    if (hash !== -1 && !hashes.has(hash)) return undefined;
    const key = usableKey(raw, leg.tokenOptions);
    return key === null ? undefined : index.get(key);
  };
  // A prepared hash that is in the set, or -1 (non-ASCII: decide on the text).
  const maybe = (hash: number): boolean => hash !== NO_KEY && (hash === -1 || hashes.has(hash));
  for (let item = 0; item < side.txs.length; item++) {
    if (side.groupOf[item] !== FREE) continue;
    const base = item * KEYS_PER_ITEM;
    const hitExternal = maybe(side.keyHashes[base] as number);
    const hitEndToEnd = maybe(side.keyHashes[base + 1] as number);
    const hitBank = maybe(side.keyHashes[base + 2] as number);
    if (hitExternal || hitEndToEnd || hitBank) {
      const { externalId, endToEndId, bankReference } = (side.txs[item] as CanonicalTransaction).references;
      const external = hitExternal ? lookup(externalId) : undefined;
      add(item, ROLE_ID, external, 1);
      const endToEnd = hitEndToEnd ? lookup(endToEndId) : undefined;
      if (endToEnd !== external) add(item, ROLE_ID, endToEnd, 1);
      const bank = hitBank ? lookup(bankReference) : undefined;
      if (bank !== external && bank !== endToEnd) add(item, ROLE_ID, bank, 1);
    }
    if (side.scanText) for (const token of referenceTokens((side.txs[item] as CanonicalTransaction).description, leg.tokenOptions)) add(item, ROLE_TOKEN, index.get(token), 1);
  }
  for (const [batchId, indexes] of batchesOf(side)) {
    const entry = lookup(batchId);
    if (entry === undefined) continue;
    const free = indexes.filter((item) => side.groupOf[item] === FREE);
    if (free.length === 0) continue;
    for (const members of byCurrency(side, free)) {
      add(probes.batches.length, ROLE_BATCH, entry, members.length);
      probes.batches.push(members);
    }
  }
  return probes;
}

function roleLimit(role: Role, leg: LegState): number {
  return role === ROLE_BATCH ? leg.rules.batch.batchItemsMax : leg.rules.reference.keyItemsMax;
}

/**
 * Node numbering for the union-find: left items, then right items, then probed batches.
 * Edges are flat [node, node, ...] arrays, one array per join strength.
 */
interface Graph {
  readonly leftCount: number;
  readonly rightCount: number;
  readonly probingIsLeft: boolean;
  readonly batches: readonly (readonly number[])[];
}

function itemNode(graph: Graph, isLeft: boolean, item: number): number {
  return isLeft ? item : graph.leftCount + item;
}

/** Unites the edges whose item ends are still free and records each two-sided component as a group. */
function groupEdges(leg: LegState, graph: Graph, edges: readonly number[]): void {
  const itemsEnd = graph.leftCount + graph.rightCount;
  const isFree = (node: number): boolean =>
    node >= itemsEnd || (node < graph.leftCount ? leg.left.groupOf[node] === FREE : leg.right.groupOf[node - graph.leftCount] === FREE);
  const forest = new DisjointSet(itemsEnd + graph.batches.length);
  const touched: number[] = [];
  for (let position = 0; position < edges.length; position += 2) {
    const a = edges[position] as number;
    const b = edges[position + 1] as number;
    if (!isFree(a) || !isFree(b)) continue;
    forest.union(a, b);
    touched.push(a, b);
  }
  // Members per component root; a stamp per node keeps each node once without a Set per group.
  const byRoot = new Map<number, { left: number[]; right: number[] }>();
  const stamped = new Uint8Array(itemsEnd);
  const collect = (group: { left: number[]; right: number[] }, isLeft: boolean, item: number): void => {
    const node = isLeft ? item : graph.leftCount + item;
    if (stamped[node] === 1) return;
    stamped[node] = 1;
    (isLeft ? group.left : group.right).push(item);
  };
  for (const node of touched) {
    const root = forest.find(node);
    let group = byRoot.get(root);
    if (group === undefined) {
      group = { left: [], right: [] };
      byRoot.set(root, group);
    }
    if (node < graph.leftCount) collect(group, true, node);
    else if (node < itemsEnd) collect(group, false, node - graph.leftCount);
    else for (const member of graph.batches[node - itemsEnd] as readonly number[]) collect(group, graph.probingIsLeft, member);
  }
  for (const group of byRoot.values()) {
    const left = group.left.filter((item) => leg.left.groupOf[item] === FREE);
    const right = group.right.filter((item) => leg.right.groupOf[item] === FREE);
    if (left.length > 0 && right.length > 0) addGroup(leg, { rule: 'reference', left, right, fx: null });
  }
}

export function applyReferenceRule(leg: LegState): void {
  const leftIsIndexed = leg.left.txs.length <= leg.right.txs.length;
  const indexed = leftIsIndexed ? leg.left : leg.right;
  const probing = leftIsIndexed ? leg.right : leg.left;
  const index = buildIndex(indexed, leg, probing);
  const probes = probeSide(probing, index, leg);
  const graph: Graph = { leftCount: leg.left.txs.length, rightCount: leg.right.txs.length, probingIsLeft: !leftIsIndexed, batches: probes.batches };
  const batchNodeBase = graph.leftCount + graph.rightCount;
  const edges: Record<typeof DIRECT | typeof BATCH, number[]> = { [DIRECT]: [], [BATCH]: [] };
  const crossSeen = new Set<string>();
  for (let position = 0; position < probes.subject.length; position++) {
    const subject = probes.subject[position] as number;
    const probeRole = probes.role[position] as Role;
    const entry = probes.entry[position] as KeyEntry;
    if (entry.hits[probeRole] > roleLimit(probeRole, leg)) continue;
    const isBatch = probeRole === ROLE_BATCH;
    const members = isBatch ? (probes.batches[subject] as readonly number[]) : [subject];
    // Probed batches hold one currency each (byCurrency).
    const currency = (probing.txs[members[0] as number] as CanonicalTransaction).currency;
    const probeNode = isBatch ? batchNodeBase + subject : itemNode(graph, !leftIsIndexed, subject);
    for (let role = 0 as Role; role <= ROLE_BATCH; role++) {
      const strength = (JOINS[probeRole] as readonly number[])[role] as number;
      const indexedMembers = entry.members[role];
      if (strength === 0 || indexedMembers.length === 0 || indexedMembers.length > roleLimit(role, leg)) continue;
      for (const member of indexedMembers) {
        if ((indexed.txs[member] as CanonicalTransaction).currency !== currency) {
          if (strength === DIRECT) {
            const pair: readonly [number, number] = leftIsIndexed ? [member, subject] : [subject, member];
            const pairKey = `${pair[0]}:${pair[1]}`;
            if (!crossSeen.has(pairKey)) {
              crossSeen.add(pairKey);
              leg.crossCurrencyLinks.push(pair);
            }
          }
          continue;
        }
        edges[strength as typeof DIRECT | typeof BATCH].push(probeNode, itemNode(graph, leftIsIndexed, member));
      }
    }
  }
  groupEdges(leg, graph, edges[DIRECT]);
  groupEdges(leg, graph, edges[BATCH]);
}
