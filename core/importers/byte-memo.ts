import { assert } from '../assert.ts';
import { hashBytes } from '../ingest/id-registry.ts';

/**
 * A bounded memo keyed by bytes: the CSV scanner looks up a cell (currency, date, kind, partner)
 * by its UTF-8 bytes, so a million rows that repeat a few thousand values cost no string and no
 * allocation per row. The value is computed from the cell's text the first time. Like
 * BoundedMemo it forgets everything when full (bounded memory whatever the file); keys longer
 * than `keyBytesMax` are computed each time instead of stored.
 */
const EMPTY = 0;

export class ByteMemo<V> {
  private readonly slots: Int32Array;
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
    this.slots = new Int32Array(slots);
    this.hashes = new Int32Array(entriesMax);
    this.starts = new Int32Array(entriesMax);
    this.lengths = new Int32Array(entriesMax);
    this.arena = new Uint8Array(entriesMax * keyBytesMax);
  }

  get(bytes: Uint8Array, start: number, end: number, compute: (text: string) => V): V {
    const length = end - start;
    if (length > this.keyBytesMax) return compute(this.decoder.decode(bytes.subarray(start, end)));
    // Consecutive rows often repeat a cell (one currency, one channel): compare before hashing.
    const last = this.last;
    if (last !== -1 && this.lengths[last] === length && this.sameBytes(last, bytes, start, length)) return this.values[last] as V;
    const hash = hashBytes(bytes, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let stored = slots[slot] as number; stored !== EMPTY; stored = slots[slot] as number) {
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.lengths[entry] === length && this.sameBytes(entry, bytes, start, length)) {
        this.last = entry;
        return this.values[entry] as V;
      }
      slot = (slot + 1) & mask;
    }
    const value = compute(this.decoder.decode(bytes.subarray(start, end)));
    if (this.count === this.entriesMax) {
      this.clear();
      slot = hash & mask;
    }
    const entry = this.count++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.used;
    this.lengths[entry] = length;
    this.arena.set(bytes.subarray(start, end), this.used);
    this.used += length;
    this.values[entry] = value;
    slots[slot] = entry + 1;
    this.last = entry;
    return value;
  }

  private sameBytes(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const from = this.starts[entry] as number;
    for (let index = 0; index < length; index++) if (arena[from + index] !== bytes[start + index]) return false;
    return true;
  }

  private clear(): void {
    this.slots.fill(EMPTY);
    this.values.length = 0;
    this.count = 0;
    this.used = 0;
    this.last = -1;
  }
}
