import { assert } from '../assert.ts';
import type { MinorUnits } from './minor.ts';

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Sums in minor units, one per slot, in a Float64Array: exact for integers up to 2^53, and a slot
 * whose sum would pass that moves to an exact BigInt (its float is then NaN). A hot loop adds a
 * million amounts with one array store each; no BigInt until a sum needs one.
 */
export class ExactSlots {
  values: Float64Array;
  readonly spilled = new Map<number, bigint>();

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  add(index: number, amount: MinorUnits): void {
    if (typeof amount === 'number') {
      const values = this.values;
      // A spilled slot is NaN, so the comparison fails and the BigInt path takes it.
      const next = (values[index] as number) + amount;
      if (next <= SAFE && next >= -SAFE) {
        values[index] = next;
        return;
      }
    }
    this.addBig(index, amount);
  }

  addBig(index: number, amount: MinorUnits): void {
    this.spilled.set(index, BigInt(this.read(index)) + BigInt(amount));
    this.values[index] = Number.NaN;
  }

  read(index: number): MinorUnits {
    const value = this.values[index] as number;
    if (value === value) return value;
    const big = this.spilled.get(index);
    assert(big !== undefined, 'a spilled slot has its BigInt', { index });
    return big;
  }

  /** Copies into a new layout; `move(oldIndex)` gives the new index of each slot. */
  relayout(size: number, move: (index: number) => number): void {
    const next = new Float64Array(size);
    const spilled = [...this.spilled];
    this.spilled.clear();
    this.values.forEach((value, index) => {
      if (value !== 0) next[move(index)] = value;
    });
    for (const [index, big] of spilled) this.spilled.set(move(index), big);
    this.values = next;
  }
}
