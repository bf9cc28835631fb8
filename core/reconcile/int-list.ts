/**
 * Integers appended one at a time to a typed array that doubles as it fills: 4 bytes an entry,
 * where a plain array of numbers takes 8 (and more while it grows). The reference rule keeps
 * item indexes by the million in these (its probes, edges and components), a leg its groups.
 */
export class IntList {
  length = 0;
  private items: Int32Array;

  constructor(capacity = 1024) {
    this.items = new Int32Array(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }

  at(position: number): number {
    return this.items[position] as number;
  }

  /** Overwrites an entry already pushed. */
  set(position: number, value: number): void {
    this.items[position] = value;
  }

  /** The entries from `start` up to `end` (not included) as a new array. */
  slice(start: number, end: number): number[] {
    // A plain loop: Array.from over a subarray (a view and an iterator) was ~2 % of reconcile's CPU, a few entries a group.
    const last = Math.min(end, this.length);
    const values = new Array<number>(Math.max(0, last - start));
    for (let position = start; position < last; position++) values[position - start] = this.items[position] as number;
    return values;
  }
}
