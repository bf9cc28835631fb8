import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SideBatchesBuilder, type SideBatches } from './side-batches.ts';

function built(rows: ReadonlyArray<readonly [number, string]>): SideBatches {
  const builder = new SideBatchesBuilder();
  for (const [item, batchId] of rows) builder.add(item, batchId);
  return builder.build();
}

function asMap(batches: SideBatches): Map<string, number[]> {
  return new Map(batches.ids.map((id, batch) => [id, batches.members(batch)]));
}

describe('SideBatches', () => {
  it('keeps batches whose rows follow each other as ranges, numbered by first appearance', () => {
    // Items 0-2 of PO-2, 3 has no batch, 4-5 of PO-1, 7 of PO-3.
    const batches = built([[0, 'PO-2'], [1, 'PO-2'], [2, 'PO-2'], [4, 'PO-1'], [5, 'PO-1'], [7, 'PO-3']]);
    expect(batches.ids).toEqual(['PO-2', 'PO-1', 'PO-3']);
    expect([batches.count(0), batches.count(1), batches.count(2)]).toEqual([3, 2, 1]);
    expect(asMap(batches)).toEqual(new Map([['PO-2', [0, 1, 2]], ['PO-1', [4, 5]], ['PO-3', [7]]]));
    expect(batches.member(1, 1)).toBe(5);
  });

  it('gathers a batch whose rows are scattered, in item order', () => {
    // PO-A at 0, 1, 4, 5 and 9; PO-B at 2, 3 and 6 (a gap at 7-8 with no batch).
    const batches = built([[0, 'PO-A'], [1, 'PO-A'], [2, 'PO-B'], [3, 'PO-B'], [4, 'PO-A'], [5, 'PO-A'], [6, 'PO-B'], [9, 'PO-A']]);
    expect(asMap(batches)).toEqual(new Map([['PO-A', [0, 1, 4, 5, 9]], ['PO-B', [2, 3, 6]]]));
    expect([batches.count(0), batches.count(1)]).toEqual([5, 3]);
  });

  it('has no batches when no row names one', () => {
    expect(built([]).size).toBe(0);
  });

  it('refuses items out of order (every list is in item order)', () => {
    const builder = new SideBatchesBuilder();
    builder.add(4, 'PO-1');
    expect(() => builder.add(4, 'PO-1')).toThrow(/item order/);
  });

  it('holds what a map of lists built row by row holds (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom(null, 'A', 'B', 'C', 'D')), { maxLength: 40 }), (steps) => {
        const expected = new Map<string, number[]>();
        const rows: Array<readonly [number, string]> = [];
        let item = -1;
        for (const [gap, batchId] of steps) {
          item += gap;
          if (batchId === null) continue;
          rows.push([item, batchId]);
          const list = expected.get(batchId);
          if (list === undefined) expected.set(batchId, [item]);
          else list.push(item);
        }
        const batches = built(rows);
        expect(asMap(batches)).toEqual(expected);
        expect([...asMap(batches).keys()]).toEqual([...expected.keys()]);
      }),
    );
  });
});
