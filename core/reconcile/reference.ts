import type { CanonicalTransaction } from '../transactions/schema.ts';
import { DisjointSet } from './assign.ts';
import { IntList } from './int-list.ts';
import { addGroup, byCurrency, FREE, freeMembers, KEY_COLUMNS, keyCount, keyHashAt, NO_KEY, type LegState, type PreparedSide } from './leg.ts';
import { isUsableAsciiKey, keyHash, normalizeKey, rawFormsOfKey, referenceTokens, sameAsciiKey, usableKey, type TokenOptions } from './text.ts';

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
 *
 * Keys drop separators ("INV-2024/0042" meets "INV20240042"), which also folds two real ids into
 * one key ("ch_0_10" and "ch_01_0" are both "ch010"). A key is ambiguous when one side holds two
 * distinct raw forms of it (case-sensitive, separators kept) on different items; on either side,
 * since which side is indexed depends only on their sizes. Through an ambiguous key only items
 * sharing a raw form link. The others stay free: an automatic match must rest on a reference that
 * names one item, and a key standing for two ids names neither, so an auditor would expect the
 * line to stay open (listed unmatched, offered by suggest.ts when amount and date agree, or paired
 * by a later rule on its own evidence) rather than joined to whichever id folds the same way.
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

/** Slots per key in KeyIndex's arrays: one per role. */
const ROLES = 3;

/** The two sides whose raw forms of a key are compared (KeyIndex.noteOwner). */
const INDEXED = 0;
const PROBING = 1;
type Side = typeof INDEXED | typeof PROBING;

/**
 * The index: each key gets an ordinal, and per key and role (slot = ordinal * ROLES + role) its
 * indexed-side members and the probing-side hits (to refuse a key shared too widely there).
 * Typed arrays, not an object and a list per key: a million keys mostly hold one member, and a
 * million small objects living through the rule were most of its garbage-collection work.
 *
 * Keys are found by their keyHash in an open-addressing table of ordinals, each ordinal keeping
 * its hash and a text that folds to it (an id as written, or the key itself): an ASCII id is
 * looked up with the hash its side was prepared with and compared letter by letter (sameAsciiKey),
 * where a Map of key strings took a normalized copy of every id and hashed it again (a million
 * ids on each side of the bench's largest leg, each folded several times). Keys holding non-ASCII
 * letters, which only normalizeKey folds, are in a Map of their own.
 */
class KeyIndex {
  /** Ordinal + 1 per slot, 0 when empty; at most half full. */
  private table: Int32Array;
  private tableShift: number;
  private count = 0;
  /** Per ordinal: keyHash of its key (unused for a non-ASCII key) and an ASCII text folding to it, or the key. */
  private hashes = new Uint32Array(0);
  private readonly texts: string[] = [];
  private readonly nonAscii = new Map<string, number>();
  /**
   * Each slot's member when it has one, -1 when it has none, and -2 - n when it has two or more:
   * `lists[n]` holds them (in the order added). Read through memberCount and member, no array
   * made for a slot of one member (nearly every slot).
   */
  private first = new Int32Array(0);
  private hitCounts = new Int32Array(0);
  private readonly lists: number[][] = [];
  /**
   * Per key and side (ordinal * 2 + side): the first item (or batch) naming it, -1 for none, and
   * in which role. Its raw form is read again only when another owner names the key, so a key
   * named once (nearly every key) keeps two numbers, not a string.
   */
  private firstOwners = new Int32Array(0);
  private firstRoles = new Uint8Array(0);
  /** Keys with two raw forms on one side, from two owners, by ordinal: they link only items sharing a raw form. */
  private readonly ambiguous = new Map<number, string>();
  /** 1 for an ordinal in `ambiguous`: asked for every probe, a byte read rather than a map lookup. */
  private ambiguousFlags = new Uint8Array(0);

  /** Room for `keys` keys before any array grows (the indexed side's ids: a million in the bench). */
  constructor(keys: number) {
    this.grow(keys);
    const bits = Math.max(4, Math.ceil(Math.log2(keys * 2 + 1)));
    this.table = new Int32Array(2 ** bits);
    this.tableShift = 32 - bits;
  }

  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.tableShift;
  }

  /** Whether some ASCII key has this keyHash: most probed ids are in no index, answered without their text. */
  hasHash(hash: number): boolean {
    const mask = this.table.length - 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & mask) {
      const entry = this.table[slot] as number;
      if (entry === 0) return false;
      if (this.hashes[entry - 1] === hash) return true;
    }
  }

  /** The ordinal of the key `text` folds to, `hash` its keyHash (not -1), or -1 when the key is not in the index. */
  ordinalOfAscii(text: string, hash: number): number {
    const mask = this.table.length - 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & mask) {
      const entry = this.table[slot] as number;
      if (entry === 0) return -1;
      if (this.hashes[entry - 1] === hash && sameAsciiKey(this.texts[entry - 1] as string, text)) return entry - 1;
    }
  }

  /** The key's ordinal (a normalized key, e.g. a token), or -1 when the key is not in the index. */
  ordinalOf(key: string): number {
    const hash = keyHash(key);
    return hash === -1 ? (this.nonAscii.get(key) ?? -1) : this.ordinalOfAscii(key, hash);
  }

  /** The ordinal of the key `text` folds to (`hash` its keyHash, not -1; `text` a usable key), made when new. */
  private ordinalForAscii(text: string, hash: number): number {
    const found = this.ordinalOfAscii(text, hash);
    return found !== -1 ? found : this.insertAscii(text, hash);
  }

  /** A new ordinal for the key `text` folds to, which is not in the index yet. */
  private insertAscii(text: string, hash: number): number {
    const ordinal = this.newOrdinal(text);
    this.hashes[ordinal] = hash;
    if ((this.count + 1) * 2 > this.table.length) this.growTable();
    this.place(ordinal, hash);
    this.count++;
    return ordinal;
  }

  private place(ordinal: number, hash: number): void {
    const mask = this.table.length - 1;
    let slot = this.slotOf(hash);
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = ordinal + 1;
  }

  private growTable(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.tableShift--;
    for (let slot = 0; slot < old.length; slot++) {
      const entry = old[slot] as number;
      if (entry !== 0) this.place(entry - 1, this.hashes[entry - 1] as number);
    }
  }

  private newOrdinal(text: string): number {
    const ordinal = this.texts.length;
    this.texts.push(text);
    if ((ordinal + 1) * ROLES > this.first.length) this.grow(Math.max(3, (this.first.length / ROLES) * 2));
    return ordinal;
  }

  /** The key as normalizeKey gives it. */
  key(ordinal: number): string {
    return normalizeKey(this.texts[ordinal] as string);
  }

  /** The ordinal of the key an id (`hash` its keyHash) folds to, made when new; -1 when the id is no usable key. */
  ordinalForId(text: string, hash: number, options: TokenOptions): number {
    if (hash === -1) {
      const key = usableKey(text, options);
      return key === null ? -1 : this.ordinalForKey(key);
    }
    const found = this.ordinalOfAscii(text, hash);
    if (found !== -1 || !isUsableAsciiKey(text, options)) return found;
    return this.insertAscii(text, hash);
  }

  /** The ordinal of a usable normalized key, made when new. */
  ordinalForKey(key: string): number {
    const hash = keyHash(key);
    if (hash !== -1) return this.ordinalForAscii(key, hash);
    let ordinal = this.nonAscii.get(key);
    if (ordinal === undefined) {
      ordinal = this.newOrdinal(key);
      this.nonAscii.set(key, ordinal);
    }
    return ordinal;
  }

  /** Adds an item to a key's role unless it is the role's last one already. */
  addMember(ordinal: number, role: Role, item: number): void {
    const slot = ordinal * ROLES + role;
    const first = this.first[slot] as number;
    if (first === -1) {
      this.first[slot] = item;
      return;
    }
    if (first >= 0) {
      if (first === item) return;
      this.first[slot] = -2 - this.lists.length;
      this.lists.push([first, item]);
      return;
    }
    const list = this.lists[-2 - first] as number[];
    if (list[list.length - 1] !== item) list.push(item);
  }

  /** Room for `keys` keys: typed arrays, 4 bytes a slot (a million keys in the bench's largest leg). */
  private grow(keys: number): void {
    const first = new Int32Array(keys * ROLES).fill(-1);
    first.set(this.first);
    const hits = new Int32Array(keys * ROLES);
    hits.set(this.hitCounts);
    const owners = new Int32Array(keys * 2).fill(-1);
    owners.set(this.firstOwners);
    const roles = new Uint8Array(keys * 2);
    roles.set(this.firstRoles);
    const hashes = new Uint32Array(keys);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const flags = new Uint8Array(keys);
    flags.set(this.ambiguousFlags);
    this.ambiguousFlags = flags;
    this.first = first;
    this.hitCounts = hits;
    this.firstOwners = owners;
    this.firstRoles = roles;
  }

  memberCount(ordinal: number, role: Role): number {
    const first = this.first[ordinal * ROLES + role] as number;
    return first === -1 ? 0 : first >= 0 ? 1 : (this.lists[-2 - first] as number[]).length;
  }

  /** The role's member at `at` (below memberCount), in the order added. */
  member(ordinal: number, role: Role, at: number): number {
    const first = this.first[ordinal * ROLES + role] as number;
    return first >= 0 ? first : ((this.lists[-2 - first] as number[])[at] as number);
  }

  hits(ordinal: number, role: Role): number {
    return this.hitCounts[ordinal * ROLES + role] as number;
  }

  /**
   * Records an owner (an item, or a batch) naming the key on a side. Returns the slot of the first
   * owner when this is another one, whose raw forms the caller compares (markAmbiguous), else -1.
   */
  noteOwner(ordinal: number, side: Side, owner: number, role: Role): number {
    const at = ordinal * 2 + side;
    const first = this.firstOwners[at] as number;
    if (first === -1) {
      this.firstOwners[at] = owner;
      this.firstRoles[at] = role;
      return -1;
    }
    return first === owner ? -1 : at;
  }

  firstOwner(at: number): number {
    return this.firstOwners[at] as number;
  }

  firstRole(at: number): Role {
    return this.firstRoles[at] as Role;
  }

  markAmbiguous(ordinal: number, key: string): void {
    this.ambiguous.set(ordinal, key);
    this.ambiguousFlags[ordinal] = 1;
  }

  /** The key when it is ambiguous, else undefined. */
  ambiguousKey(ordinal: number): string | undefined {
    return this.ambiguousFlags[ordinal] === 0 ? undefined : this.ambiguous.get(ordinal);
  }

  hit(ordinal: number, role: Role, weight: number): void {
    const slot = ordinal * ROLES + role;
    this.hitCounts[slot] = (this.hitCounts[slot] as number) + weight;
  }
}


/**
 * The probes that hit a key, in typed columns (the larger side probes: 1.85M PSP lines in the
 * bench, where three plain arrays held 8 bytes each a probe). A probe is an item (ROLE_ID,
 * ROLE_TOKEN) or a batch of the probing side (ROLE_BATCH).
 */
class Probes {
  private readonly subjects = new IntList();
  private readonly roles = new IntList();
  /** The key ordinal the probe hit. */
  private readonly keys = new IntList();
  /** Free members of each probed batch, by batch ordinal. */
  readonly batches: (readonly number[])[] = [];

  get length(): number {
    return this.subjects.length;
  }

  push(subject: number, role: Role, key: number): void {
    this.subjects.push(subject);
    this.roles.push(role);
    this.keys.push(key);
  }

  subject(position: number): number {
    return this.subjects.at(position);
  }

  role(position: number): Role {
    return this.roles.at(position) as Role;
  }

  key(position: number): number {
    return this.keys.at(position);
  }
}

/**
 * Hashes of every id and batchId the other side knows (keyHash: -1 for non-ASCII ids, which
 * then let any non-ASCII token through to the exact lookup). A remittance-text token is a
 * reference only when it is one of these: looked up, not guessed from its shape. An
 * open-addressing table of the unsigned 32-bit hashes in one typed array, 0 marking an empty slot
 * (a hash of 0 is a flag of its own), filled up to three quarters: a million ids cost 8 MB, not a
 * million Set entries (nor a sort). A table at most half full with a byte of its own per slot to
 * mark it used took 20 MB, which with the rule's other arrays crossed the 64 MB of new typed
 * arrays at which V8 collects the whole heap (see groupEdges).
 */
class KnownHashes {
  private readonly slots: Uint32Array;
  private readonly shift: number;
  private hasZero = false;
  private hasNonAscii = false;

  /** Room for `count` hashes. */
  constructor(count: number) {
    const bits = Math.max(4, Math.ceil(Math.log2((count * 4) / 3 + 1)));
    this.slots = new Uint32Array(2 ** bits);
    this.shift = 32 - bits;
  }

  /** The side's structured ids and batch ids. */
  static ofSide(side: PreparedSide): KnownHashes {
    const batchIds = side.batches.ids;
    let count = batchIds.length;
    for (let column = 0; column < KEY_COLUMNS; column++) count += keyCount(side, column);
    const known = new KnownHashes(count);
    for (let column = 0; column < KEY_COLUMNS; column++) {
      if (side.keyKinds[column] === null) continue;
      for (let item = 0; item < side.txs.length; item++) {
        const hash = keyHashAt(side, item, column);
        if (hash !== NO_KEY) known.add(hash);
      }
    }
    for (const batchId of batchIds) known.add(keyHash(batchId));
    return known;
  }

  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  add(hash: number): void {
    if (hash === -1) {
      this.hasNonAscii = true;
      return;
    }
    if (hash === 0) {
      this.hasZero = true;
      return;
    }
    const mask = this.slots.length - 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number;
      if (held === hash) return;
      if (held === 0) {
        this.slots[slot] = hash;
        return;
      }
    }
  }

  has(hash: number): boolean {
    if (hash === -1) return this.hasNonAscii;
    if (hash === 0) return this.hasZero;
    const mask = this.slots.length - 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & mask) {
      const held = this.slots[slot] as number;
      if (held === hash) return true;
      if (held === 0) return false;
    }
  }
}

function buildIndex(side: PreparedSide, leg: LegState, other: PreparedSide): KeyIndex {
  // Room for every id and batch (tokens, when the text is scanned, grow it).
  let keys = side.batches.size;
  for (let column = 0; column < KEY_COLUMNS; column++) keys += keyCount(side, column);
  const index = new KeyIndex(keys);
  const known = side.scanText ? KnownHashes.ofSide(other) : null;
  const indexedTx = (item: number): CanonicalTransaction => side.txs[item] as CanonicalTransaction;
  // `text` folds to the key (an id or batchId as written, or a token): it names the key when owners are compared.
  const add = (ordinal: number, role: Role, item: number, text: string): void => {
    index.addMember(ordinal, role, item);
    noteKeyOwner(index, ordinal, INDEXED, item, role, text, indexedTx, leg);
  };
  for (let item = 0; item < side.txs.length; item++) {
    if (side.groupOf[item] !== FREE) continue;
    const tx = side.txs[item] as CanonicalTransaction;
    const references = tx.references;
    // The ids' keys in order, each once (an item naming one key twice is one member).
    const external = idOrdinal(index, references.externalId, keyHashAt(side, item, 0), leg);
    if (external !== -1) add(external, ROLE_ID, item, references.externalId as string);
    const endToEnd = idOrdinal(index, references.endToEndId, keyHashAt(side, item, 1), leg);
    if (endToEnd !== -1 && endToEnd !== external) add(endToEnd, ROLE_ID, item, references.endToEndId as string);
    const bank = idOrdinal(index, references.bankReference, keyHashAt(side, item, 2), leg);
    if (bank !== -1 && bank !== external && bank !== endToEnd) add(bank, ROLE_ID, item, references.bankReference as string);
    const batch = usableKey(references.batchId, leg.tokenOptions);
    if (batch !== null) add(index.ordinalForKey(batch), ROLE_BATCH, item, references.batchId as string);
    if (known === null) continue;
    for (const token of referenceTokens(tx.description, leg.tokenOptions)) if (known.has(keyHash(token))) add(index.ordinalForKey(token), ROLE_TOKEN, item, token);
  }
  return index;
}

/** The ordinal of an indexed item's id (`hash` its prepared keyHash), made when new; -1 for a null id or no usable key. */
function idOrdinal(index: KeyIndex, text: string | null, hash: number, leg: LegState): number {
  return text === null ? -1 : index.ordinalForId(text, hash, leg.tokenOptions);
}

function probeSide(side: PreparedSide, index: KeyIndex, leg: LegState): Probes {
  const probes = new Probes();
  // An item owns its references, a probed batch its batchId (owners numbered after the items).
  const ownerTx = (owner: number): CanonicalTransaction => side.txs[owner < side.txs.length ? owner : ((probes.batches[owner - side.txs.length] as readonly number[])[0] as number)] as CanonicalTransaction;
  // `text` folds to the key (an id or batchId as written, or a token): it names the key when owners are compared.
  const add = (subject: number, role: Role, key: number, weight: number, text: string): void => {
    if (key === -1) return;
    probes.push(subject, role, key);
    index.hit(key, role, weight);
    noteKeyOwner(index, key, PROBING, role === ROLE_BATCH ? side.txs.length + subject : subject, role, text, ownerTx, leg);
  };
  // The ordinal of the key a probing id folds to (`hash` its keyHash), or -1.
  const lookup = (raw: string, hash: number): number => {
    if (hash !== -1) return index.ordinalOfAscii(raw, hash);
    const key = usableKey(raw, leg.tokenOptions);
    return key === null ? -1 : index.ordinalOf(key);
  };
  // Most probed ids are in no index: their hashes (computed when the side was prepared) answer
  // that without touching the row. -1 (non-ASCII) is decided on the text.
  const maybe = (hash: number): boolean => hash !== NO_KEY && (hash === -1 || index.hasHash(hash));
  for (let item = 0; item < side.txs.length; item++) {
    if (side.groupOf[item] !== FREE) continue;
    const hashExternal = keyHashAt(side, item, 0);
    const hashEndToEnd = keyHashAt(side, item, 1);
    const hashBank = keyHashAt(side, item, 2);
    const hitExternal = maybe(hashExternal);
    const hitEndToEnd = maybe(hashEndToEnd);
    const hitBank = maybe(hashBank);
    if (hitExternal || hitEndToEnd || hitBank) {
      const { externalId, endToEndId, bankReference } = (side.txs[item] as CanonicalTransaction).references;
      // A hit slot's reference is not null (its hash is not NO_KEY).
      const external = hitExternal ? lookup(externalId as string, hashExternal) : -1;
      add(item, ROLE_ID, external, 1, externalId ?? '');
      const endToEnd = hitEndToEnd ? lookup(endToEndId as string, hashEndToEnd) : -1;
      if (endToEnd !== external) add(item, ROLE_ID, endToEnd, 1, endToEndId ?? '');
      const bank = hitBank ? lookup(bankReference as string, hashBank) : -1;
      if (bank !== external && bank !== endToEnd) add(item, ROLE_ID, bank, 1, bankReference ?? '');
    }
    if (side.scanText) for (const token of referenceTokens((side.txs[item] as CanonicalTransaction).description, leg.tokenOptions)) add(item, ROLE_TOKEN, index.ordinalOf(token), 1, token);
  }
  for (let batch = 0; batch < side.batches.size; batch++) {
    const batchId = side.batches.id(batch);
    const key = lookup(batchId, keyHash(batchId));
    if (key === -1) continue;
    const free = freeMembers(side, batch);
    if (free.length === 0) continue;
    for (const members of byCurrency(side, free)) {
      // Pushed first: add reads the batch's members when it compares owners.
      probes.batches.push(members);
      add(probes.batches.length - 1, ROLE_BATCH, key, members.length, batchId);
    }
  }
  return probes;
}

/**
 * Notes `owner` (read through `ownerTx`) naming the key `ordinal` on one side, by `text` as
 * written, and marks the key ambiguous when the side's first owner wrote it in another raw form.
 */
function noteKeyOwner(index: KeyIndex, ordinal: number, side: Side, owner: number, role: Role, text: string, ownerTx: (owner: number) => CanonicalTransaction, leg: LegState): void {
  const at = index.noteOwner(ordinal, side, owner, role);
  if (at === -1) return;
  const first = ownerTx(index.firstOwner(at));
  const firstRole = index.firstRole(at);
  if (role === ROLE_ID && firstRole === ROLE_ID && namesId(first, text)) return;
  const key = index.key(ordinal);
  if (!sharesRawForm(first, firstRole, ownerTx(owner), role, key, leg)) index.markAmbiguous(ordinal, key);
}

/**
 * Whether an item names `text` among its ids as written: then an owner naming the key by that id
 * shares a raw form with it (sharesRawForm's answer, without folding their references again; in
 * the bench a charge's gross and fee lines name it so, a million times).
 */
function namesId(tx: CanonicalTransaction, text: string): boolean {
  const { externalId, endToEndId, bankReference } = tx.references;
  return externalId === text || endToEndId === text || bankReference === text;
}

/** Whether two owners name the key with one same raw form (case-sensitive, separators kept). */
function sharesRawForm(a: CanonicalTransaction, aRole: Role, b: CanonicalTransaction, bRole: Role, key: string, leg: LegState): boolean {
  const raws = rawFormsOf(a, aRole, key, leg);
  return rawFormsOf(b, bRole, key, leg).some((raw) => raws.includes(raw));
}

const NO_IDS = { externalId: null, endToEndId: null, bankReference: null } as const;

/** The raw forms (separators kept) of an item's references in a role that fold to `key`: read again only where owners are compared. */
function rawFormsOf(tx: CanonicalTransaction, role: Role, key: string, leg: LegState): string[] {
  const { externalId, endToEndId, bankReference, batchId } = tx.references;
  if (role === ROLE_BATCH) return usableKey(batchId, leg.tokenOptions) === key ? [batchId as string] : [];
  return rawFormsOfKey(role === ROLE_ID ? { externalId, endToEndId, bankReference } : NO_IDS, role === ROLE_ID ? null : tx.description, key, leg.tokenOptions);
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

/**
 * Unites the edges whose item ends are still free and records each two-sided component as a group.
 * Components are numbered by first touch, walking the free edges' ends in order (the order groups
 * are recorded in); each item once, a batch node standing for its members. Their members are
 * placed by a counting sort over two more walks of the edges: the working arrays are sized once
 * (nodes, components, members). Lists grown by doubling and a list per walk were ~200 MB of typed
 * arrays for the bench's 1.85M links, and V8 answers that much new external memory with full
 * collections of the whole heap (three in a row, freeing nothing, while this ran).
 */
function groupEdges(leg: LegState, graph: Graph, edges: IntList): void {
  if (edges.length === 0) return;
  const itemsEnd = graph.leftCount + graph.rightCount;
  const nodes = itemsEnd + graph.batches.length;
  const isFree = (node: number): boolean =>
    node >= itemsEnd || (node < graph.leftCount ? leg.left.groupOf[node] === FREE : leg.right.groupOf[node - graph.leftCount] === FREE);
  const forest = new DisjointSet(nodes);
  for (let position = 0; position < edges.length; position += 2) {
    const a = edges.at(position);
    const b = edges.at(position + 1);
    if (isFree(a) && isFree(b)) forest.union(a, b);
  }
  /** The walk that last placed each item node (1 counting, 2 placing). */
  const stamps = new Uint8Array(itemsEnd);
  // A component holds two nodes or more: at most nodes / 2 of them. Counts at [ordinal + 1].
  const starts = new Int32Array((nodes >> 1) + 2);
  let components = 0;
  let byComponent = new Int32Array(0);
  const place = (walk: number, ordinal: number, node: number): void => {
    if (stamps[node] === walk) return;
    stamps[node] = walk;
    if (walk === 1) starts[ordinal + 1] = (starts[ordinal + 1] as number) + 1;
    else {
      byComponent[starts[ordinal] as number] = node;
      starts[ordinal] = (starts[ordinal] as number) + 1;
    }
  };
  const visit = (walk: number, node: number): void => {
    const ordinal = forest.label(node);
    if (ordinal === components) components++;
    if (node < itemsEnd) place(walk, ordinal, node);
    else for (const member of graph.batches[node - itemsEnd] as readonly number[]) place(walk, ordinal, graph.probingIsLeft ? member : graph.leftCount + member);
  };
  for (let walk = 1; walk <= 2; walk++) {
    for (let position = 0; position < edges.length; position += 2) {
      const a = edges.at(position);
      const b = edges.at(position + 1);
      if (!isFree(a) || !isFree(b)) continue;
      visit(walk, a);
      visit(walk, b);
    }
    if (walk === 2) break;
    for (let component = 0; component < components; component++) starts[component + 1] = (starts[component + 1] as number) + (starts[component] as number);
    byComponent = new Int32Array(starts[components] as number);
  }
  // Placing moved each start to its component's end (the next one's start).
  // Reused for every component: addGroup copies the members (two arrays per group were a million allocations).
  const left: number[] = [];
  const right: number[] = [];
  for (let component = 0; component < components; component++) {
    left.length = 0;
    right.length = 0;
    for (let at = component === 0 ? 0 : (starts[component - 1] as number); at < (starts[component] as number); at++) {
      const node = byComponent[at] as number;
      if (node < graph.leftCount) {
        if (leg.left.groupOf[node] === FREE) left.push(node);
      } else if (leg.right.groupOf[node - graph.leftCount] === FREE) right.push(node - graph.leftCount);
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
  const edges: Record<typeof DIRECT | typeof BATCH, IntList> = { [DIRECT]: new IntList(), [BATCH]: new IntList() };
  const crossSeen = new Set<string>();
  for (let position = 0; position < probes.length; position++) {
    const subject = probes.subject(position);
    const probeRole = probes.role(position);
    const key = probes.key(position);
    if (index.hits(key, probeRole) > roleLimit(probeRole, leg)) continue;
    const isBatch = probeRole === ROLE_BATCH;
    // Probed batches hold one currency each (byCurrency) and one batchId.
    const probeTx = probing.txs[isBatch ? ((probes.batches[subject] as readonly number[])[0] as number) : subject] as CanonicalTransaction;
    const currency = probeTx.currency;
    const probeNode = isBatch ? batchNodeBase + subject : itemNode(graph, !leftIsIndexed, subject);
    const ambiguousKey = index.ambiguousKey(key);
    for (let role = 0 as Role; role <= ROLE_BATCH; role++) {
      const strength = (JOINS[probeRole] as readonly number[])[role] as number;
      const count = strength === 0 ? 0 : index.memberCount(key, role);
      if (count === 0 || count > roleLimit(role, leg)) continue;
      for (let at = 0; at < count; at++) {
        const member = index.member(key, role, at);
        if (ambiguousKey !== undefined && !sharesRawForm(probeTx, probeRole, indexed.txs[member] as CanonicalTransaction, role, ambiguousKey, leg)) continue;
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
        const pairs = edges[strength as typeof DIRECT | typeof BATCH];
        pairs.push(probeNode);
        pairs.push(itemNode(graph, leftIsIndexed, member));
      }
    }
  }
  groupEdges(leg, graph, edges[DIRECT]);
  groupEdges(leg, graph, edges[BATCH]);
}
