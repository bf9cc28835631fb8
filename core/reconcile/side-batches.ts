import { assert } from '../assert.ts';
import { IntList } from './int-list.ts';

/**
 * A side's items by batchId, in item order within a batch, batches numbered by first appearance.
 * Rows of one batch usually follow each other (a report lists a payout's lines together): then
 * each batch is one range of items, kept as its first item and count. Otherwise every batch's
 * members sit in one Int32Array, batch b's `counts[b]` of them from `firsts[b]`. A `number[]` per batch
 * (100,000 in bench/reconcile.bench.ts) lived through every rule and was copied twice by the
 * scavenger: half of preparing a side. Lists are made only where a rule needs one (`members`).
 */
export class SideBatches {
  private constructor(
    readonly ids: readonly string[],
    /** Ranges: the batch's first item. Scattered: where its members start in `items`. */
    private readonly firsts: Int32Array,
    private readonly counts: Int32Array,
    /** null when every batch is one range of items. */
    private readonly items: Int32Array | null,
  ) {}

  static readonly EMPTY = new SideBatches([], new Int32Array(0), new Int32Array(0), null);

  /** Builds from runs of consecutive items: [batch, first item, count] per run, in item order. */
  static fromRuns(ids: readonly string[], runs: IntList): SideBatches {
    const size = ids.length;
    const firsts = new Int32Array(size);
    const counts = new Int32Array(size);
    if (runs.length === size * 3) {
      // One run per batch: each batch is a range.
      for (let at = 0; at < runs.length; at += 3) {
        firsts[runs.at(at)] = runs.at(at + 1);
        counts[runs.at(at)] = runs.at(at + 2);
      }
      return new SideBatches(ids, firsts, counts, null);
    }
    for (let at = 0; at < runs.length; at += 3) counts[runs.at(at)] = (counts[runs.at(at)] as number) + runs.at(at + 2);
    let total = 0;
    for (let batch = 0; batch < size; batch++) {
      firsts[batch] = total;
      total += counts[batch] as number;
    }
    const items = new Int32Array(total);
    const cursors = firsts.slice();
    for (let at = 0; at < runs.length; at += 3) {
      const batch = runs.at(at);
      const first = runs.at(at + 1);
      const end = first + runs.at(at + 2);
      let cursor = cursors[batch] as number;
      for (let item = first; item < end; item++) items[cursor++] = item;
      cursors[batch] = cursor;
    }
    return new SideBatches(ids, firsts, counts, items);
  }

  get size(): number {
    return this.ids.length;
  }

  id(batch: number): string {
    return this.ids[batch] as string;
  }

  count(batch: number): number {
    return this.counts[batch] as number;
  }

  /** The batch's member at `at` (below count), in item order. */
  member(batch: number, at: number): number {
    const first = this.firsts[batch] as number;
    return this.items === null ? first + at : (this.items[first + at] as number);
  }

  /** The batch's members in item order, a fresh list. */
  members(batch: number): number[] {
    const count = this.count(batch);
    const list = new Array<number>(count);
    for (let at = 0; at < count; at++) list[at] = this.member(batch, at);
    return list;
  }
}

/**
 * Collects a side's batches one item at a time, in item order (prepareSide's pass): one map lookup
 * per run of rows of one batch, and a run of consecutive items kept as three numbers.
 */
export class SideBatchesBuilder {
  private readonly ordinals = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly runs = new IntList();
  private lastId: string | null = null;
  private lastBatch = -1;
  /** The current run's batch and the item after its last one. */
  private runBatch = -1;
  private runEnd = -1;
  private lastItem = -1;

  add(item: number, batchId: string): void {
    assert(item > this.lastItem, 'batch members are added in item order', { item });
    this.lastItem = item;
    if (batchId !== this.lastId) {
      let batch = this.ordinals.get(batchId);
      if (batch === undefined) {
        batch = this.ids.length;
        this.ordinals.set(batchId, batch);
        this.ids.push(batchId);
      }
      this.lastId = batchId;
      this.lastBatch = batch;
    }
    if (this.lastBatch === this.runBatch && item === this.runEnd) {
      this.runs.set(this.runs.length - 1, this.runs.at(this.runs.length - 1) + 1);
      this.runEnd++;
      return;
    }
    this.runs.push(this.lastBatch);
    this.runs.push(item);
    this.runs.push(1);
    this.runBatch = this.lastBatch;
    this.runEnd = item + 1;
  }

  build(): SideBatches {
    return this.ids.length === 0 ? SideBatches.EMPTY : SideBatches.fromRuns(this.ids, this.runs);
  }
}
