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

/**
 * One key of the index: indexed-side items by role, and the probing-side items that hit it by
 * role (to refuse a key shared too widely there). Fields, not arrays per role: a million keys
 * mostly use one role, and five arrays each were most of the rule's garbage.
 */
class KeyEntry {
  private byId: number[] | null = null;
  private byToken: number[] | null = null;
  private byBatch: number[] | null = null;
  private idHits = 0;
  private tokenHits = 0;
  private batchHits = 0;

  /** The role's members; empty (shared, never written) when it has none. */
  members(role: Role): readonly number[] {
    return (role === ROLE_ID ? this.byId : role === ROLE_TOKEN ? this.byToken : this.byBatch) ?? NO_MEMBERS;
  }

  /** Adds an item unless it is the role's last one already. */
  add(role: Role, item: number): void {
    const list = role === ROLE_ID ? this.byId : role === ROLE_TOKEN ? this.byToken : this.byBatch;
    if (list === null) {
      if (role === ROLE_ID) this.byId = [item];
      else if (role === ROLE_TOKEN) this.byToken = [item];
      else this.byBatch = [item];
    } else if (list[list.length - 1] !== item) list.push(item);
  }

  hits(role: Role): number {
    return role === ROLE_ID ? this.idHits : role === ROLE_TOKEN ? this.tokenHits : this.batchHits;
  }

  hit(role: Role, weight: number): void {
    if (role === ROLE_ID) this.idHits += weight;
    else if (role === ROLE_TOKEN) this.tokenHits += weight;
    else this.batchHits += weight;
  }
}

const NO_MEMBERS: readonly number[] = Object.freeze([]);

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
    entry = new KeyEntry();
    index.set(key, entry);
  }
  entry.add(role, item);
}

/**
 * Hashes of every id and batchId the other side knows (keyHash: -1 for non-ASCII ids, which
 * then let any non-ASCII token through to the exact lookup). A remittance-text token is a
 * reference only when it is one of these: looked up, not guessed from its shape. An
 * open-addressing table of the unsigned 32-bit hashes in typed arrays: a million ids cost two
 * flat arrays, not a million Set entries (nor a sort).
 */
class KnownHashes {
  private readonly slots: Uint32Array;
  private readonly used: Uint8Array;
  private readonly shift: number;
  private hasNonAscii = false;

  constructor(side: PreparedSide) {
    const batchIds = [...batchesOf(side).keys()];
    let count = batchIds.length;
    for (let index = 0; index < side.keyHashes.length; index++) if (side.keyHashes[index] !== NO_KEY) count++;
    // At most half full: short probe runs.
    const bits = Math.max(4, Math.ceil(Math.log2(count * 2 + 1)));
    this.slots = new Uint32Array(2 ** bits);
    this.used = new Uint8Array(2 ** bits);
    this.shift = 32 - bits;
    for (let index = 0; index < side.keyHashes.length; index++) {
      const hash = side.keyHashes[index] as number;
      if (hash !== NO_KEY) this.add(hash);
    }
    for (const batchId of batchIds) this.add(keyHash(batchId));
  }

  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  private add(hash: number): void {
    if (hash === -1) {
      this.hasNonAscii = true;
      return;
    }
    const mask = this.slots.length - 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & mask) {
      if (this.used[slot] === 0) {
        this.used[slot] = 1;
        this.slots[slot] = hash;
        return;
      }
      if (this.slots[slot] === hash) return;
    }
  }

  has(hash: number): boolean {
    if (hash === -1) return this.hasNonAscii;
    const mask = this.slots.length - 1;
    for (let slot = this.slotOf(hash); this.used[slot] === 1; slot = (slot + 1) & mask) if (this.slots[slot] === hash) return true;
    return false;
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
    entry.hit(role, weight);
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
  // Members per component, numbered by first touch (the order groups are recorded in); a stamp
  // per node keeps each node once. Flat number arrays and a counting sort, not an object and two
  // lists per component: a million components made most of this rule's garbage.
  const ordinalOfRoot = new Int32Array(itemsEnd + graph.batches.length).fill(-1);
  const stamped = new Uint8Array(itemsEnd);
  const collected: number[] = [];
  const ordinals: number[] = [];
  const onLeft: boolean[] = [];
  let components = 0;
  const collect = (ordinal: number, isLeft: boolean, item: number): void => {
    const node = isLeft ? item : graph.leftCount + item;
    if (stamped[node] === 1) return;
    stamped[node] = 1;
    collected.push(item);
    ordinals.push(ordinal);
    onLeft.push(isLeft);
  };
  for (const node of touched) {
    const root = forest.find(node);
    let ordinal = ordinalOfRoot[root] as number;
    if (ordinal === -1) {
      ordinal = components++;
      ordinalOfRoot[root] = ordinal;
    }
    if (node < graph.leftCount) collect(ordinal, true, node);
    else if (node < itemsEnd) collect(ordinal, false, node - graph.leftCount);
    else for (const member of graph.batches[node - itemsEnd] as readonly number[]) collect(ordinal, graph.probingIsLeft, member);
  }
  const starts = new Int32Array(components + 1);
  for (const ordinal of ordinals) (starts[ordinal + 1] as number)++;
  for (let component = 0; component < components; component++) starts[component + 1] = (starts[component + 1] as number) + (starts[component] as number);
  const next = starts.slice(0, components);
  const byComponent = new Int32Array(collected.length);
  for (let position = 0; position < collected.length; position++) {
    const ordinal = ordinals[position] as number;
    byComponent[next[ordinal] as number] = position;
    next[ordinal] = (next[ordinal] as number) + 1;
  }
  for (let component = 0; component < components; component++) {
    const left: number[] = [];
    const right: number[] = [];
    for (let at = starts[component] as number; at < (starts[component + 1] as number); at++) {
      const position = byComponent[at] as number;
      const item = collected[position] as number;
      if (onLeft[position] === true) {
        if (leg.left.groupOf[item] === FREE) left.push(item);
      } else if (leg.right.groupOf[item] === FREE) right.push(item);
    }
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
    if (entry.hits(probeRole) > roleLimit(probeRole, leg)) continue;
    const isBatch = probeRole === ROLE_BATCH;
    const members = isBatch ? (probes.batches[subject] as readonly number[]) : [subject];
    // Probed batches hold one currency each (byCurrency).
    const currency = (probing.txs[members[0] as number] as CanonicalTransaction).currency;
    const probeNode = isBatch ? batchNodeBase + subject : itemNode(graph, !leftIsIndexed, subject);
    for (let role = 0 as Role; role <= ROLE_BATCH; role++) {
      const strength = (JOINS[probeRole] as readonly number[])[role] as number;
      const indexedMembers = entry.members(role);
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
