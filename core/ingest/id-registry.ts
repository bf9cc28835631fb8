import { assert } from '../assert.ts';
import type { MinorUnits } from '../money/minor.ts';
import type { KnownIds, KnownTransaction, TransactionContent } from './pipeline.ts';

/**
 * Every transaction id seen in a run (earlier files, this file), with where it was first seen,
 * kept compactly: the ids' UTF-8 bytes in one growing arena and an open-addressing table of
 * entry numbers. A Map<string, object> of a million ids costs ~150 MB and most of an import's
 * time in allocation and GC; this costs the id bytes plus ~28 bytes per id and allocates nothing
 * per id. Lookups take bytes (a scanner's view of a cell) or strings (any importer).
 *
 * Exports usually number their rows in order. While every id recorded so far came through
 * findOrAddJoined with one head, each cell greater than the one before (shorter first, then byte
 * by byte), no id can repeat an earlier one, and the ids are only appended: the slot table is
 * built the first time an id breaks the order or another lookup needs it (measured: a million
 * ordered references imported ~8 % faster, with 8 MB less memory).
 */
const EMPTY = 0;
/**
 * An id's hash is FNV-1a over all its bytes but its "number byte", mixed, plus that byte; the slot
 * is its low bits. The number byte is the last digit among the id's last NUMBER_WINDOW bytes (the
 * number of a reference, before a short suffix such as Stripe's ':fee'), else the last byte. Ids
 * that differ only there (ch_1230 … ch_1239, and txn_1230:fee … txn_1239:fee: exports usually
 * number rows in order) land in neighbouring slots, so consecutive rows share cache lines of a
 * table of many megabytes instead of each missing the cache (measured: the id work of a million
 * sequential references took ~25 % less time; a Stripe export's fee ids, apart from the gross ids
 * they alternate with, ~6 % of its reading). Other ids are spread as by any hash; ids sharing all
 * but that byte form runs of at most 256 slots. A joined id's hash continues its head's FNV state
 * over the cell (see joinedHash), so the two are never copied into one buffer.
 */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Bytes at the end of an id searched for its number byte (a digit and a suffix of up to 4 bytes). */
const NUMBER_WINDOW = 5;

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function fnvStep(state: number, byte: number): number {
  return Math.imul(state ^ byte, FNV_PRIME);
}

/** The id's hash from the FNV state over all its bytes but the last, and that last byte (0 for an empty id). */
function idHash(state: number, lastByte: number): number {
  let mixed = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  mixed ^= mixed >>> 13;
  return (mixed + lastByte) | 0;
}
const ENTRIES_INITIAL = 1 << 12;
/** The table is kept at most two thirds full, so probe runs stay short; fuller than half keeps a million ids in 8 MB of slots (cache misses and page faults dominate). */
const SLOTS_PER_ENTRY = 1.5;
/** Lines are positive; a KnownTransaction without a line is stored as this. */
const NO_LINE = -1;
const NO_HEAD = new Uint8Array(0);
/** Bytes reserved per id by reserve(): a scanned id stores only its reference, the head (`tx:<namespace>|<account>|`) once. */
const BYTES_PER_ENTRY_ESTIMATE = 16;
/** Head number of ids stored whole. */
const NO_HEAD_INDEX = 0;
/** Currency number of an entry recorded without its content (record() of a caller that had none). */
const NO_CONTENT = -1;

/** A calendar date (YYYY-MM-DD) as the number YYYYMMDD, exactly; 0 for none. */
function dateNumber(date: string | null): number {
  if (date === null) return 0;
  let number = 0;
  for (let index = 0; index < date.length; index++) {
    const code = date.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) number = number * 10 + (code - 0x30);
  }
  assert(date.length === 10 && number >= 10_000_101, 'a calendar date', { date });
  return number;
}

function numberDate(number: number): string | null {
  if (number === 0) return null;
  const text = String(number);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  return end <= start ? idHash(FNV_OFFSET, 0) : continuedHash(NO_HEAD, FNV_OFFSET, bytes, start, end);
}

/** The id hash of head + bytes[start, end), start < end, `state` the FNV state over the head. */
function continuedHash(head: Uint8Array, state: number, bytes: Uint8Array, start: number, end: number): number {
  let number = end - 1;
  for (let index = end - 1; index >= start && index >= end - NUMBER_WINDOW; index--)
    if (isDigit(bytes[index] as number)) {
      number = index;
      break;
    }
  if (number === end - 1 && !isDigit(bytes[number] as number) && end - start < NUMBER_WINDOW) {
    // A short cell without a digit: the number byte may be in the head, whose state then does not serve.
    for (let index = head.length - 1; index >= 0 && index >= head.length - (NUMBER_WINDOW - (end - start)); index--)
      if (isDigit(head[index] as number)) return headNumberHash(head, index, bytes, start, end);
  }
  for (let index = start; index < number; index++) state = fnvStep(state, bytes[index] as number);
  for (let index = number + 1; index < end; index++) state = fnvStep(state, bytes[index] as number);
  return idHash(state, bytes[number] as number);
}

/** The id hash of head + bytes[start, end) whose number byte is head[number]. */
function headNumberHash(head: Uint8Array, number: number, bytes: Uint8Array, start: number, end: number): number {
  let state = FNV_OFFSET;
  for (let index = 0; index < head.length; index++) if (index !== number) state = fnvStep(state, head[index] as number);
  for (let index = start; index < end; index++) state = fnvStep(state, bytes[index] as number);
  return idHash(state, head[number] as number);
}

export class IdRegistry implements KnownIds {
  /**
   * Entry number + 1 per slot. The entry's hash is read from `hashes`: for ids numbered in order
   * their slots and their entries are both neighbours, so this costs no more cache misses than
   * keeping the hash in the slot did, and the table is half the memory (8 MB for a million ids).
   */
  private slots: Int32Array = new Int32Array(ENTRIES_INITIAL * 2);
  private hashes: Int32Array = new Int32Array(ENTRIES_INITIAL);
  /** Entry i's id is its run's head followed by arena[ends[i - 1] .. ends[i]) (ends[-1] = 0). */
  private ends: Int32Array = new Int32Array(ENTRIES_INITIAL);
  /**
   * Head and source per run of entries that share both (a file's rows nearly always do): run r
   * covers entries runStarts[r] .. runStarts[r + 1] - 1. Two numbers per run instead of two per
   * entry keep a million ids 8 MB smaller, and memory touched is time here (page faults).
   */
  private runStarts: number[] = [];
  private runHeads: number[] = [];
  private runSources: number[] = [];
  /** Id heads shared by many ids (a scanner's `tx:<namespace>|<account>|`), stored once instead of copied into every id. */
  private readonly heads: Uint8Array[] = [NO_HEAD];
  /** FNV-1a state over each head's bytes, so a cell's hash continues it (see joinedHash). */
  private readonly headStates: number[] = [FNV_OFFSET];
  private readonly headIndexes = new Map<string, number>();
  private lines: Int32Array = new Int32Array(ENTRIES_INITIAL);
  /**
   * What each id's row said about its money, exactly (not hashed: a crafted row must not pass for
   * a repeat): amount in minor units, currency number, booking and value date as YYYYMMDD. A row
   * that repeats an id with other content is a conflict, not a duplicate.
   */
  private amounts: Float64Array = new Float64Array(ENTRIES_INITIAL);
  /** Amounts beyond safe integers, by entry (their slot in `amounts` holds NaN). */
  private readonly bigAmounts = new Map<number, bigint>();
  private currencyNumbers: Int16Array = new Int16Array(ENTRIES_INITIAL);
  private bookingDates: Int32Array = new Int32Array(ENTRIES_INITIAL);
  private valueDates: Int32Array = new Int32Array(ENTRIES_INITIAL);
  private readonly currencies: string[] = [];
  private readonly currencyIndexes = new Map<string, number>();
  private lastCurrency = '';
  private lastCurrencyNumber = NO_CONTENT;
  private arena: Uint8Array = new Uint8Array(ENTRIES_INITIAL * 32);
  private count = 0;
  /** True while the ids are in increasing order and the slot table is not built (see the class comment). */
  private ordered = true;
  /** Ids announced by reserve(): the slot table is sized for them when it is built. */
  private reserved = 0;
  private readonly sources: Array<string | null> = [];
  private readonly sourceIndexes = new Map<string | null, number>();
  private scratch: Uint8Array = new Uint8Array(256);
  private readonly encoder = new TextEncoder();

  get size(): number {
    return this.count;
  }

  /** A small number standing for a source file (its SHA-256), stored with each id instead of the string. */
  sourceIndex(sourceId: string | null): number {
    let index = this.sourceIndexes.get(sourceId);
    if (index === undefined) {
      index = this.sources.length;
      this.sources.push(sourceId);
      this.sourceIndexes.set(sourceId, index);
    }
    return index;
  }

  /**
   * Gives a source registered under a provisional name its real one: a streamed file's SHA-256 is
   * known only once it has been read, and its ids are recorded on the way. Ids already reported
   * with the provisional name are the caller's to correct.
   */
  nameSource(index: number, sourceId: string): void {
    assert(index >= 0 && index < this.sources.length, 'the source was registered', { index });
    const provisional = this.sources[index] ?? null;
    if (this.sourceIndexes.get(provisional) === index) this.sourceIndexes.delete(provisional);
    this.sources[index] = sourceId;
    if (!this.sourceIndexes.has(sourceId)) this.sourceIndexes.set(sourceId, index);
  }

  /** A number standing for `head` in findOrAddJoined: register a head once, use it for every id that starts with it. */
  headIndex(head: Uint8Array): number {
    const key = head.join(',');
    let index = this.headIndexes.get(key);
    if (index === undefined) {
      index = this.heads.push(head.slice()) - 1;
      let state = FNV_OFFSET;
      for (const byte of head) state = fnvStep(state, byte);
      this.headStates.push(state);
      this.headIndexes.set(key, index);
    }
    return index;
  }

  /** Makes room for `entries` ids at once, instead of doubling (and re-placing every id) on the way. */
  reserve(entries: number): void {
    assert(Number.isInteger(entries) && entries >= 0, 'a whole number of entries', { entries });
    if (entries > this.hashes.length) this.growEntries(entries);
    if (entries * BYTES_PER_ENTRY_ESTIMATE > this.arena.length) this.arena = grown(this.arena, entries * BYTES_PER_ENTRY_ESTIMATE);
    this.reserved = Math.max(this.reserved, entries);
    if (!this.ordered && entries * SLOTS_PER_ENTRY > this.slots.length) this.rehash(entries);
  }

  /** The entry number of the id held in bytes[start, end) (whose hashBytes is `hash`), or -1. */
  find(bytes: Uint8Array, start: number, end: number, hash: number = hashBytes(bytes, start, end)): number {
    return this.probe(NO_HEAD_INDEX, bytes, start, end, hash, false, NO_LINE, 0);
  }

  /** Records the id unless already there: -1 when it was new, else the earlier entry's number. */
  findOrAdd(bytes: Uint8Array, start: number, end: number, line: number | null, source: number, hash: number = hashBytes(bytes, start, end)): number {
    assert(source >= 0 && source < this.sources.length, 'the source was registered', { source });
    return this.probe(NO_HEAD_INDEX, bytes, start, end, hash, true, line ?? NO_LINE, source);
  }

  /**
   * findOrAdd for the id heads[head] + bytes[start, end) (a fixed prefix from headIndex(), then a
   * scanner's cell, not empty): only the cell's bytes are copied, and its hash is only computed
   * when the slot table is in use.
   */
  findOrAddJoined(head: number, bytes: Uint8Array, start: number, end: number, line: number, source: number): number {
    // Checked without building the details unless they fail: this runs once per row of a big file.
    if (!(source >= 0 && source < this.sources.length)) assert(false, 'the source was registered', { source });
    if (!(head > NO_HEAD_INDEX && head < this.heads.length)) assert(false, 'the head was registered', { head });
    if (!(end > start)) assert(false, 'a cell of at least one byte', { start, end });
    if (this.ordered && this.follows(head, bytes, start, end)) {
      this.append(head, bytes, start, end, line, source);
      return -1;
    }
    return this.probe(head, bytes, start, end, this.joinedHash(head, bytes, start, end), true, line, source);
  }

  /** hashBytes of heads[head] + bytes[start, end), start < end, without joining them. */
  private joinedHash(head: number, bytes: Uint8Array, start: number, end: number): number {
    return continuedHash(this.heads[head] as Uint8Array, this.headStates[head] as number, bytes, start, end);
  }

  /** Where an entry was first seen. */
  knownAt(entry: number): KnownTransaction {
    assert(entry >= 0 && entry < this.count, 'entry number in range', { entry });
    const line = this.lines[entry] as number;
    const known = { line: line === NO_LINE ? null : line, sourceId: this.sources[this.runSources[this.runOf(entry)] as number] ?? null };
    const content = this.contentAt(entry);
    return content === null ? known : { ...known, content };
  }

  /** What the entry's row said about its money; null when it was recorded without it. */
  contentAt(entry: number): TransactionContent | null {
    const currency = this.currencyNumbers[entry] as number;
    if (currency === NO_CONTENT) return null;
    const amount = this.amounts[entry] as number;
    return {
      currency: this.currencies[currency] as string,
      minor: Number.isNaN(amount) ? (this.bigAmounts.get(entry) as bigint) : amount,
      bookingDate: numberDate(this.bookingDates[entry] as number),
      valueDate: numberDate(this.valueDates[entry] as number),
    };
  }

  /** Keeps what the entry's row said about its money (call right after the entry was added). */
  setContent(entry: number, currency: string, minor: MinorUnits, bookingDate: string | null, valueDate: string | null): void {
    assert(entry >= 0 && entry < this.count, 'entry number in range', { entry });
    this.currencyNumbers[entry] = this.currencyNumber(currency);
    this.setAmount(entry, minor);
    this.bookingDates[entry] = dateNumber(bookingDate);
    this.valueDates[entry] = dateNumber(valueDate);
  }

  /** Whether the entry's row said the same about its money; null when the entry has no content to compare. */
  sameContent(entry: number, currency: string, minor: MinorUnits, bookingDate: string | null, valueDate: string | null): boolean | null {
    const stored = this.currencyNumbers[entry] as number;
    if (stored === NO_CONTENT) return null;
    if (this.currencies[stored] !== currency) return false;
    const amount = this.amounts[entry] as number;
    const same = Number.isNaN(amount) ? typeof minor === 'bigint' && this.bigAmounts.get(entry) === minor : typeof minor === 'number' && amount === minor;
    return same && this.bookingDates[entry] === dateNumber(bookingDate) && this.valueDates[entry] === dateNumber(valueDate);
  }

  /** The entry number of the id last added. */
  get lastEntry(): number {
    return this.count - 1;
  }

  private setAmount(entry: number, minor: MinorUnits): void {
    // A bigint inside the safe range is stored as the number it equals, so both forms compare equal.
    const small = typeof minor === 'number' ? minor : minor >= BigInt(Number.MIN_SAFE_INTEGER) && minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : null;
    if (small !== null) {
      this.amounts[entry] = small;
      return;
    }
    this.amounts[entry] = Number.NaN;
    this.bigAmounts.set(entry, minor as bigint);
  }

  private currencyNumber(currency: string): number {
    if (currency === this.lastCurrency) return this.lastCurrencyNumber;
    let number = this.currencyIndexes.get(currency);
    if (number === undefined) {
      number = this.currencies.push(currency) - 1;
      assert(number < 0x7fff, 'currencies fit their numbers', { currencies: number });
      this.currencyIndexes.set(currency, number);
    }
    this.lastCurrency = currency;
    this.lastCurrencyNumber = number;
    return number;
  }

  get(id: string): KnownTransaction | undefined {
    const length = this.encode(id);
    const entry = this.find(this.scratch, 0, length);
    return entry === -1 ? undefined : this.knownAt(entry);
  }

  /** Records an id from a whole-file import; the first sighting wins, as for any other id. */
  record(id: string, known: KnownTransaction): void {
    const length = this.encode(id);
    if (this.findOrAdd(this.scratch, 0, length, known.line, this.sourceIndex(known.sourceId)) !== -1) return;
    const content = known.content ?? null;
    if (content !== null) this.setContent(this.lastEntry, content.currency, content.minor, content.bookingDate, content.valueDate);
  }

  private encode(id: string): number {
    if (this.scratch.length < id.length * 3) this.scratch = new Uint8Array(id.length * 3);
    const { read, written } = this.encoder.encodeInto(id, this.scratch);
    assert(read === id.length, 'the whole id was encoded', { id });
    return written;
  }

  /**
   * Whether heads[head] + bytes[start, end) comes after the last id in the order: the same head
   * (one id can be split between head and cell in more than one way, so only one head keeps
   * "other cell" meaning "other id"), and a cell longer, or as long and greater.
   */
  private follows(head: number, bytes: Uint8Array, start: number, end: number): boolean {
    const last = this.count - 1;
    if (last < 0) return true;
    if (this.runHeads[this.runHeads.length - 1] !== head) return false;
    const from = last === 0 ? 0 : (this.ends[last - 1] as number);
    const length = (this.ends[last] as number) - from;
    if (end - start !== length) return end - start > length;
    const arena = this.arena;
    for (let index = 0; index < length; index++) {
      const difference = (bytes[start + index] as number) - (arena[from + index] as number);
      if (difference !== 0) return difference > 0;
    }
    return false;
  }

  private probe(head: number, bytes: Uint8Array, start: number, end: number, hash: number, add: boolean, line: number, source: number): number {
    if (this.ordered) {
      // The first lookup that needs the table: hash every id so far (appended unhashed) and build it.
      this.ordered = false;
      for (let entry = 0; entry < this.count; entry++) {
        const from = entry === 0 ? 0 : (this.ends[entry - 1] as number);
        this.hashes[entry] = this.joinedHash(this.runHeads[this.runOf(entry)] as number, this.arena, from, this.ends[entry] as number);
      }
      this.rehash(Math.max(this.count * 2, this.reserved));
    }
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let probes = 0; probes <= mask; probes++) {
      const stored = slots[slot] as number;
      if (stored === EMPTY) {
        if (add) this.insert(head, bytes, start, end, hash, line, source, slot);
        return -1;
      }
      if (hashes[stored - 1] === hash && this.sameId(stored - 1, head, bytes, start, end)) return stored - 1;
      slot = (slot + 1) & mask;
    }
    assert(false, 'the id table always has a free slot');
    return -1;
  }

  /** Whether entry's id is heads[head] + bytes[start, end), whichever way each side is split between head and tail. */
  private sameId(entry: number, head: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = entry === 0 ? 0 : (this.ends[entry - 1] as number);
    const to = this.ends[entry] as number;
    const storedHead = this.heads[this.runHeads[this.runOf(entry)] as number] as Uint8Array;
    const queryHead = this.heads[head] as Uint8Array;
    const length = storedHead.length + (to - from);
    if (length !== queryHead.length + (end - start)) return false;
    const arena = this.arena;
    for (let index = 0; index < length; index++) {
      const stored = index < storedHead.length ? storedHead[index] : arena[from + index - storedHead.length];
      const query = index < queryHead.length ? queryHead[index] : bytes[start + index - queryHead.length];
      if (stored !== query) return false;
    }
    return true;
  }

  private insert(head: number, bytes: Uint8Array, start: number, end: number, hash: number, line: number, source: number, slot: number): void {
    const entry = this.append(head, bytes, start, end, line, source);
    this.hashes[entry] = hash;
    if (this.count * SLOTS_PER_ENTRY > this.slots.length) this.rehash(this.count * 2);
    else this.slots[slot] = entry + 1;
  }

  /** Records an id's bytes, line and source; its hash is the caller's to store (ordered ids have none yet). */
  private append(head: number, bytes: Uint8Array, start: number, end: number, line: number, source: number): number {
    const entry = this.count;
    const from = entry === 0 ? 0 : (this.ends[entry - 1] as number);
    const to = from + (end - start);
    if (to > this.arena.length) this.arena = grown(this.arena, to);
    // A plain loop: ids are short, and subarray() would allocate a view per id.
    const arena = this.arena;
    for (let index = start, at = from; index < end; index++, at++) arena[at] = bytes[index] as number;
    if (entry === this.hashes.length) this.growEntries(entry * 2);
    this.ends[entry] = to;
    const run = this.runStarts.length - 1;
    if (run < 0 || this.runHeads[run] !== head || this.runSources[run] !== source) {
      this.runStarts.push(entry);
      this.runHeads.push(head);
      this.runSources.push(source);
    }
    this.lines[entry] = line;
    this.currencyNumbers[entry] = NO_CONTENT;
    this.count = entry + 1;
    return entry;
  }

  /** The run holding an entry: the last run starting at or before it. */
  private runOf(entry: number): number {
    const starts = this.runStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= entry) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private growEntries(capacity: number): void {
    this.hashes = grownInt(this.hashes, capacity);
    this.ends = grownInt(this.ends, capacity);
    this.lines = grownInt(this.lines, capacity);
    this.currencyNumbers = grownTyped(this.currencyNumbers, new Int16Array(capacity));
    this.amounts = grownTyped(this.amounts, new Float64Array(capacity));
    this.bookingDates = grownInt(this.bookingDates, capacity);
    this.valueDates = grownInt(this.valueDates, capacity);
  }

  /** A slot table for `entries` ids, with every entry re-placed (including one just added). */
  private rehash(entries: number): void {
    let size = this.slots.length;
    while (size < entries * SLOTS_PER_ENTRY) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let entry = 0; entry < this.count; entry++) {
      const hash = this.hashes[entry] as number;
      let slot = hash & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grown(bytes: Uint8Array, needed: number): Uint8Array {
  const next = new Uint8Array(Math.max(needed, bytes.length * 2));
  next.set(bytes);
  return next;
}

function grownInt(values: Int32Array, capacity: number): Int32Array {
  return grownTyped(values, new Int32Array(capacity));
}

function grownTyped<T extends Int16Array | Int32Array | Float64Array>(values: T, next: T): T {
  next.set(values as never);
  return next;
}
