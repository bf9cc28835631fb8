import { assert } from '../assert.ts';

/**
 * A bounded memo keyed by bytes: the CSV scanner looks up a cell (currency, date, kind, partner)
 * by its UTF-8 bytes, so a million rows that repeat a few thousand values cost no string and no
 * allocation per row. The value is computed from the cell's text the first time. Like
 * BoundedMemo it forgets everything when full (bounded memory whatever the file); keys longer
 * than `keyBytesMax` are computed each time instead of stored.
 *
 * Keys of up to 12 bytes (codes, dates, most names) are read as three little-endian 32-bit words
 * (one unaligned load each through a DataView, the bytes past the key masked off), hashed and
 * compared as those words: assembling and comparing them byte by byte was most of a lookup.
 * Longer keys are kept in a byte arena. Every table starts small and doubles with the entries
 * (up to what entriesMax needs): a scanner reads several memos per row, and a column of 28 dates
 * in a table sized for 20,000 would touch a random cache line of a large table on every lookup.
 */
const EMPTY = 0;
const SLOTS_INITIAL = 64;
const ENTRIES_INITIAL = 32;
const SHORT_BYTES_MAX = 12;
/** The low `n` bytes of a word, n = 0..4. */
const LOW_BYTES = [0, 0xff, 0xffff, 0xffffff, -1] as const;

/** Byte `index` of the key as the low byte of a word, or 0 past the key's end. */
function byteAt(bytes: Uint8Array, index: number, end: number): number {
  return index < end ? (bytes[index] as number) : 0;
}

/** Bytes [from, from + 4) of the key as one little-endian word, zero past the end. */
function wordAt(bytes: Uint8Array, from: number, end: number): number {
  if (from + 4 <= end) return (bytes[from] as number) | ((bytes[from + 1] as number) << 8) | ((bytes[from + 2] as number) << 16) | ((bytes[from + 3] as number) << 24);
  return byteAt(bytes, from, end) | (byteAt(bytes, from + 1, end) << 8) | (byteAt(bytes, from + 2, end) << 16) | (byteAt(bytes, from + 3, end) << 24);
}

function mix(hash: number, word: number): number {
  const mixed = Math.imul(hash ^ word, 0x9e3779b1);
  return mixed ^ (mixed >>> 15);
}

function finish(hash: number): number {
  const mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return mixed ^ (mixed >>> 13);
}

/** A hash of a long key, four bytes per multiply. Only this memo uses it. */
function hashLong(bytes: Uint8Array, start: number, end: number): number {
  let hash = end - start;
  for (let index = start; index < end; index += 4) hash = mix(hash, wordAt(bytes, index, end));
  return finish(hash);
}

export class ByteMemo<V> {
  /** Pairs (entry number + 1, hash): a probe reads one cache line before any entry array. */
  private slots: Int32Array = new Int32Array(SLOTS_INITIAL * 2);
  private readonly slotsMax: number;
  private hashes: Int32Array = new Int32Array(ENTRIES_INITIAL);
  private lengths: Int32Array = new Int32Array(ENTRIES_INITIAL);
  /** A short key's three words, zero-padded (entry * 3); a long key's arena offset in the first. */
  private words: Int32Array = new Int32Array(ENTRIES_INITIAL * 3);
  private arena: Uint8Array = new Uint8Array(0);
  private readonly values: V[] = [];
  private count = 0;
  private used = 0;
  /** The entry found or added last, or -1. */
  private last = -1;
  private readonly decoder = new TextDecoder('utf-8');
  /** A DataView of the bytes looked up last: a scanner passes one window for many rows. */
  private viewed: Uint8Array | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));

  constructor(
    private readonly entriesMax: number,
    private readonly keyBytesMax: number,
  ) {
    assert(Number.isInteger(entriesMax) && entriesMax >= 1 && entriesMax <= 1 << 20, 'entriesMax in range', { entriesMax });
    assert(Number.isInteger(keyBytesMax) && keyBytesMax >= 1 && keyBytesMax <= 4096, 'keyBytesMax in range', { keyBytesMax });
    let slots = 2;
    while (slots < entriesMax * 2) slots *= 2;
    this.slotsMax = Math.max(slots, SLOTS_INITIAL);
  }

  get(bytes: Uint8Array, start: number, end: number, compute: (text: string) => V): V {
    const length = end - start;
    if (length > this.keyBytesMax) return compute(this.decoder.decode(bytes.subarray(start, end)));
    if (length > SHORT_BYTES_MAX) return this.getLong(bytes, start, end, compute);
    let w0: number;
    let w1 = 0;
    let w2 = 0;
    if (start + SHORT_BYTES_MAX <= bytes.length) {
      if (bytes !== this.viewed) {
        this.viewed = bytes;
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      const view = this.view;
      w0 = view.getInt32(start, true);
      if (length <= 4) w0 &= LOW_BYTES[length] as number;
      else {
        w1 = view.getInt32(start + 4, true);
        if (length <= 8) w1 &= LOW_BYTES[length - 4] as number;
        else w2 = view.getInt32(start + 8, true) & (LOW_BYTES[length - 8] as number);
      }
    } else {
      // Near the end of the bytes a 12-byte read would overrun: the same words, a byte at a time.
      w0 = wordAt(bytes, start, end);
      w1 = length > 4 ? wordAt(bytes, start + 4, end) : 0;
      w2 = length > 8 ? wordAt(bytes, start + 8, end) : 0;
    }
    // Consecutive rows often repeat a cell (one currency, one channel): compare before hashing.
    const last = this.last;
    if (last !== -1 && this.isShort(last, length, w0, w1, w2)) return this.values[last] as V;
    // Three independent multiplies, not a chain: a lookup waits on the hash before it can probe.
    const spread = Math.imul(w0, 0x9e3779b1) ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ length;
    const hash = spread ^ (spread >>> 15);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    for (let stored = slots[slot << 1] as number; stored !== EMPTY; stored = slots[slot << 1] as number) {
      const entry = stored - 1;
      if (slots[(slot << 1) + 1] === hash && this.isShort(entry, length, w0, w1, w2)) {
        this.last = entry;
        return this.values[entry] as V;
      }
      slot = (slot + 1) & mask;
    }
    const value = compute(this.decoder.decode(bytes.subarray(start, end)));
    const entry = this.add(hash, length, value);
    this.words[entry * 3] = w0;
    this.words[entry * 3 + 1] = w1;
    this.words[entry * 3 + 2] = w2;
    return value;
  }

  private getLong(bytes: Uint8Array, start: number, end: number, compute: (text: string) => V): V {
    const length = end - start;
    const last = this.last;
    if (last !== -1 && this.isLong(last, bytes, start, length)) return this.values[last] as V;
    const hash = hashLong(bytes, start, end);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    for (let stored = slots[slot << 1] as number; stored !== EMPTY; stored = slots[slot << 1] as number) {
      const entry = stored - 1;
      if (slots[(slot << 1) + 1] === hash && this.isLong(entry, bytes, start, length)) {
        this.last = entry;
        return this.values[entry] as V;
      }
      slot = (slot + 1) & mask;
    }
    const value = compute(this.decoder.decode(bytes.subarray(start, end)));
    if (this.used + length > this.arena.length) this.arena = grownBytes(this.arena, this.used + length, this.entriesMax * this.keyBytesMax);
    this.arena.set(bytes.subarray(start, end), this.used);
    const entry = this.add(hash, length, value);
    this.words[entry * 3] = this.used;
    this.used += length;
    return value;
  }

  private isShort(entry: number, length: number, w0: number, w1: number, w2: number): boolean {
    const words = this.words;
    const at = entry * 3;
    return this.lengths[entry] === length && words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2;
  }

  private isLong(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    if (this.lengths[entry] !== length) return false;
    const arena = this.arena;
    const from = this.words[entry * 3] as number;
    for (let index = 0; index < length; index++) if (arena[from + index] !== bytes[start + index]) return false;
    return true;
  }

  /** A new entry (after clearing a full memo), placed in the table; the caller stores its key. */
  private add(hash: number, length: number, value: V): number {
    if (this.count === this.entriesMax) this.clear();
    const entry = this.count++;
    if (entry === this.lengths.length) this.growEntries();
    this.hashes[entry] = hash;
    this.lengths[entry] = length;
    this.values[entry] = value;
    // At most half full: past that the table doubles (every entry re-placed, including this one).
    if (this.count * 4 > this.slots.length && this.slots.length < this.slotsMax * 2) this.resize(this.slots.length);
    else this.place(this.slots, hash, entry);
    this.last = entry;
    return entry;
  }

  private growEntries(): void {
    const capacity = Math.min(this.entriesMax, this.lengths.length * 2);
    this.hashes = grownInts(this.hashes, capacity);
    this.lengths = grownInts(this.lengths, capacity);
    this.words = grownInts(this.words, capacity * 3);
  }

  private place(slots: Int32Array, hash: number, entry: number): void {
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    while (slots[slot << 1] !== EMPTY) slot = (slot + 1) & mask;
    slots[slot << 1] = entry + 1;
    slots[(slot << 1) + 1] = hash;
  }

  /** A table of `pairs` slots with every entry placed again. */
  private resize(pairs: number): void {
    const slots = new Int32Array(pairs * 2);
    for (let entry = 0; entry < this.count; entry++) this.place(slots, this.hashes[entry] as number, entry);
    this.slots = slots;
  }

  private clear(): void {
    this.slots = new Int32Array(SLOTS_INITIAL * 2);
    this.values.length = 0;
    this.count = 0;
    this.used = 0;
    this.last = -1;
  }
}

function grownInts(values: Int32Array, capacity: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(values);
  return next;
}

function grownBytes(bytes: Uint8Array, needed: number, max: number): Uint8Array {
  const next = new Uint8Array(Math.min(max, Math.max(needed, bytes.length * 2, 1024)));
  next.set(bytes);
  return next;
}
