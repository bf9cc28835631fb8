import { assert } from '../assert.ts';

/**
 * A bounded memo keyed by bytes: the CSV scanner looks up a cell (currency, date, kind, partner)
 * by its UTF-8 bytes, so a million rows that repeat a few thousand values cost no string and no
 * allocation per row. The value is computed from the cell's text the first time. Like
 * BoundedMemo it forgets everything when full (bounded memory whatever the file); keys longer
 * than `keyBytesMax` are computed each time instead of stored.
 *
 * The slot table starts small and doubles with the entries (up to what entriesMax needs): a
 * scanner reads several memos per row, and a column of 28 dates in a table sized for 20,000
 * would touch a random cache line of a 256 KB table on every lookup.
 */
const EMPTY = 0;
const SLOTS_INITIAL = 64;

/**
 * A hash of bytes[start, end) taking four bytes per multiply: cells are short (dates, codes,
 * names), and a multiply per byte made hashing most of a lookup. Only this memo uses it.
 */
function hashKey(bytes: Uint8Array, start: number, end: number): number {
  let hash = (end - start) | 0;
  let index = start;
  for (; index + 4 <= end; index += 4) {
    const word = (bytes[index] as number) | ((bytes[index + 1] as number) << 8) | ((bytes[index + 2] as number) << 16) | ((bytes[index + 3] as number) << 24);
    hash = Math.imul(hash ^ word, 0x9e3779b1);
    hash ^= hash >>> 15;
  }
  for (; index < end; index++) hash = Math.imul(hash ^ (bytes[index] as number), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return hash ^ (hash >>> 13);
}

export class ByteMemo<V> {
  /** Pairs (entry number + 1, hash): a probe reads one cache line before any entry array. */
  private slots: Int32Array = new Int32Array(SLOTS_INITIAL * 2);
  private readonly slotsMax: number;
  private readonly hashes: Int32Array;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private readonly arena: Uint8Array;
  private readonly values: V[] = [];
  private count = 0;
  private used = 0;
  /** The entry found or added last, or -1. */
  private last = -1;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly entriesMax: number,
    private readonly keyBytesMax: number,
  ) {
    assert(Number.isInteger(entriesMax) && entriesMax >= 1 && entriesMax <= 1 << 20, 'entriesMax in range', { entriesMax });
    assert(Number.isInteger(keyBytesMax) && keyBytesMax >= 1 && keyBytesMax <= 4096, 'keyBytesMax in range', { keyBytesMax });
    let slots = 2;
    while (slots < entriesMax * 2) slots *= 2;
    this.slotsMax = Math.max(slots, SLOTS_INITIAL);
    this.hashes = new Int32Array(entriesMax);
    this.starts = new Int32Array(entriesMax);
    this.lengths = new Int32Array(entriesMax);
    this.arena = new Uint8Array(entriesMax * keyBytesMax);
  }

  get(bytes: Uint8Array, start: number, end: number, compute: (text: string) => V): V {
    const length = end - start;
    if (length > this.keyBytesMax) return compute(this.decoder.decode(bytes.subarray(start, end)));
    // Consecutive rows often repeat a cell (one currency, one channel): compare before hashing.
    // The last byte first: values of a column differ at the end more often (2026-03-05, studio-17).
    const last = this.last;
    if (last !== -1 && this.lengths[last] === length && (length === 0 || this.arena[(this.starts[last] as number) + length - 1] === bytes[end - 1]) && this.sameBytes(last, bytes, start, length)) {
      return this.values[last] as V;
    }
    const hash = hashKey(bytes, start, end);
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    for (let stored = slots[slot << 1] as number; stored !== EMPTY; stored = slots[slot << 1] as number) {
      const entry = stored - 1;
      if (slots[(slot << 1) + 1] === hash && this.lengths[entry] === length && this.sameBytes(entry, bytes, start, length)) {
        this.last = entry;
        return this.values[entry] as V;
      }
      slot = (slot + 1) & mask;
    }
    const value = compute(this.decoder.decode(bytes.subarray(start, end)));
    if (this.count === this.entriesMax) this.clear();
    const entry = this.count++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.used;
    this.lengths[entry] = length;
    this.arena.set(bytes.subarray(start, end), this.used);
    this.used += length;
    this.values[entry] = value;
    // At most half full: past that the table doubles (every entry re-placed, including this one).
    if (this.count * 4 > this.slots.length && this.slots.length < this.slotsMax * 2) this.resize(this.slots.length);
    else this.place(this.slots, hash, entry);
    this.last = entry;
    return value;
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

  private sameBytes(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const from = this.starts[entry] as number;
    for (let index = 0; index < length; index++) if (arena[from + index] !== bytes[start + index]) return false;
    return true;
  }

  private clear(): void {
    this.slots = new Int32Array(SLOTS_INITIAL * 2);
    this.values.length = 0;
    this.count = 0;
    this.used = 0;
    this.last = -1;
  }
}
