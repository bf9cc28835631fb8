import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashBytes, IdRegistry } from './id-registry.ts';

const encoder = new TextEncoder();

describe('IdRegistry', () => {
  it('remembers each id once with where it was first seen, through growth, by bytes or by text', () => {
    const registry = new IdRegistry();
    const file = registry.sourceIndex('a'.repeat(64));
    const ids = Array.from({ length: 20_000 }, (_, index) => `tx:csv:x||ref-${index}-ü`);
    ids.forEach((id, index) => {
      const bytes = encoder.encode(`##${id}`);
      expect(registry.findOrAdd(bytes, 2, bytes.length, index + 2, file)).toBe(-1);
    });
    expect(registry.size).toBe(ids.length);
    const again = encoder.encode(ids[12_345] as string);
    const entry = registry.findOrAdd(again, 0, again.length, 99, file);
    expect(registry.knownAt(entry)).toEqual({ line: 12_347, sourceId: 'a'.repeat(64) });
    expect(registry.get(ids[0] as string)).toEqual({ line: 2, sourceId: 'a'.repeat(64) });
    expect(registry.get('tx:csv:x||ref-0-u')).toBeUndefined();
    expect(registry.size).toBe(ids.length);
  });

  it('keeps the first sighting of a recorded id and allows a line-less one', () => {
    const registry = new IdRegistry();
    registry.record('tx:a', { line: null, sourceId: null });
    registry.record('tx:a', { line: 7, sourceId: 'later' });
    registry.reserve(100_000);
    expect(registry.get('tx:a')).toEqual({ line: null, sourceId: null });
  });
});

describe('IdRegistry.findOrAddJoined', () => {
  it('is findOrAdd of the prefix and the cell as one id, found by text and bytes alike', () => {
    const registry = new IdRegistry();
    const file = registry.sourceIndex('b'.repeat(64));
    const prefix = registry.headIndex(encoder.encode('tx:csv:x||'));
    expect(registry.headIndex(encoder.encode('tx:csv:x||'))).toBe(prefix);
    const references = Array.from({ length: 5_000 }, (_, index) => (index % 3 === 0 ? `ch_${index}` : `${index}-r`));
    references.forEach((reference, index) => {
      const cell = encoder.encode(` ${reference} `);
      expect(registry.findOrAddJoined(prefix, cell, 1, cell.length - 1, index + 2, file)).toBe(-1);
    });
    references.forEach((reference, index) => {
      expect(registry.get(`tx:csv:x||${reference}`)).toEqual({ line: index + 2, sourceId: 'b'.repeat(64) });
      const whole = encoder.encode(`tx:csv:x||${reference}`);
      expect(registry.findOrAdd(whole, 0, whole.length, 1, file)).toBe(index);
    });
    expect(registry.get('tx:csv:x||ch_')).toBeUndefined();
    expect(registry.size).toBe(references.length);
  });

  it('matches one id however it is split between head and cell', () => {
    const registry = new IdRegistry();
    const file = registry.sourceIndex(null);
    const whole = encoder.encode('tx:csv:x||ch_3');
    expect(registry.findOrAdd(whole, 0, whole.length, 7, file)).toBe(-1);
    const shorter = registry.headIndex(encoder.encode('tx:csv:x|'));
    const cell = encoder.encode('|ch_3');
    expect(registry.findOrAddJoined(shorter, cell, 0, cell.length, 9, file)).toBe(0);
    const longer = registry.headIndex(encoder.encode('tx:csv:x||ch_'));
    expect(registry.findOrAddJoined(longer, cell, 4, cell.length, 9, file)).toBe(0);
    // As long, other bytes: not the same id.
    const other = encoder.encode('|ch_4');
    expect(registry.findOrAddJoined(shorter, other, 0, other.length, 9, file)).toBe(-1);
    expect(registry.size).toBe(2);
    expect(registry.knownAt(0)).toEqual({ line: 7, sourceId: null });
  });

  it('finds a repeat that comes after ordered references, shorter, as long, or under another head', () => {
    const registry = new IdRegistry();
    const file = registry.sourceIndex('f');
    const heads = [registry.headIndex(encoder.encode('tx:a||')), registry.headIndex(encoder.encode('tx:b||'))];
    const add = (headNumber: 0 | 1, reference: string, line: number): number => {
      const cell = encoder.encode(reference);
      return registry.findOrAddJoined(heads[headNumber] as number, cell, 0, cell.length, line, file);
    };
    expect([add(0, 'r8', 2), add(0, 'r9', 3), add(0, 'r10', 4), add(0, 'r11', 5)]).toEqual([-1, -1, -1, -1]);
    expect(add(0, 'r9', 6)).toBe(1);
    const other = new IdRegistry();
    const otherFile = other.sourceIndex('f');
    const head = other.headIndex(encoder.encode('tx:a||'));
    const addOther = (reference: string, line: number): number => {
      const cell = encoder.encode(reference);
      return other.findOrAddJoined(head, cell, 0, cell.length, line, otherFile);
    };
    expect([addOther('ab', 2), addOther('ac', 3), addOther('ab', 4)]).toEqual([-1, -1, 0]);
    expect([add(1, 'r12', 7), add(0, 'r12', 8), add(1, 'r12', 9)]).toEqual([-1, -1, 4]);
    // Order is only kept under one head: b|r1 after a|r5 breaks it, so a|r5 again is found.
    const mixed = new IdRegistry();
    const mixedFile = mixed.sourceIndex('f');
    const [a, b] = [mixed.headIndex(encoder.encode('tx:a||')), mixed.headIndex(encoder.encode('tx:b||'))];
    const addMixed = (headNumber: number, prefix: string, reference: string, line: number): number => {
      const cell = encoder.encode(reference);
      return mixed.findOrAddJoined(headNumber, cell, 0, cell.length, line, mixedFile);
    };
    expect([addMixed(a, 'tx:a||', 'r5', 2), addMixed(b, 'tx:b||', 'r1', 3), addMixed(a, 'tx:a||', 'r5', 4)]).toEqual([-1, -1, 0]);
    // One id split two ways: the longer cell under the shorter head is still the same id.
    const split = new IdRegistry();
    const splitFile = split.sourceIndex('f');
    const long = split.headIndex(encoder.encode('tx:x||'));
    const short = split.headIndex(encoder.encode('tx:x|'));
    const cell = encoder.encode('|ch_3');
    expect(split.findOrAddJoined(long, cell, 1, cell.length, 2, splitFile)).toBe(-1);
    expect(split.findOrAddJoined(short, cell, 0, cell.length, 3, splitFile)).toBe(0);
  });

  it('agrees with a first-sighting-wins model however ordered the references come', () => {
    // Mostly increasing references (as exports number rows), with repeats, gaps and the odd
    // lookup or whole-id record in between: the table is built at the first that needs it.
    const step = fc.oneof(
      { weight: 12, arbitrary: fc.record({ kind: fc.constant('next' as const), jump: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), jump: fc.nat(40) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), jump: fc.nat(40) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('record' as const), jump: fc.nat(40) }) },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), fc.boolean(), (steps, reserve) => {
        const registry = new IdRegistry();
        if (reserve) registry.reserve(500);
        const file = registry.sourceIndex('f');
        const head = registry.headIndex(encoder.encode('tx:ns||'));
        const model = new Map<string, number>();
        let counter = 0;
        steps.forEach(({ kind, jump }, index) => {
          const line = index + 2;
          counter += kind === 'next' ? jump : 0;
          const reference = `r${kind === 'next' ? counter : Math.max(0, counter - jump)}`;
          const id = `tx:ns||${reference}`;
          if (kind === 'get') {
            expect(registry.get(id)?.line).toBe(model.get(id));
            return;
          }
          if (kind === 'record') {
            registry.record(id, { line, sourceId: 'f' });
            if (!model.has(id)) model.set(id, line);
            return;
          }
          const cell = encoder.encode(reference);
          const seen = registry.findOrAddJoined(head, cell, 0, cell.length, line, file);
          const first = model.get(id);
          if (first === undefined) {
            expect(seen).toBe(-1);
            model.set(id, line);
          } else expect(registry.knownAt(seen).line).toBe(first);
        });
        expect(registry.size).toBe(model.size);
        for (const [id, line] of model) expect(registry.get(id)?.line).toBe(line);
      }),
      { numRuns: 300 },
    );
  });

  it('hashes ids that differ in the last byte, or in the digit before a short suffix, to neighbouring slots, others apart', () => {
    const hashOf = (text: string): number => {
      const bytes = encoder.encode(text);
      return hashBytes(bytes, 0, bytes.length);
    };
    expect(hashOf('tx:a||ch_1239') - hashOf('tx:a||ch_1230')).toBe(9);
    expect(hashOf('tx:a||ch_1240') - hashOf('tx:a||ch_1230')).not.toBe(0);
    expect(hashOf('tx:a||txn_1239:fee') - hashOf('tx:a||txn_1230:fee')).toBe(9);
    expect(hashOf('tx:a||txn_1230:fee') - hashOf('tx:a||txn_1230')).not.toBe(0);
    // A suffix of five bytes: the last byte again.
    expect(hashOf('tx:a||txn_1239:fees') - hashOf('tx:a||txn_1230:fees')).not.toBe(9);
    expect(hashOf('tx:a||r_ab') - hashOf('tx:a||r_aa')).toBe(1);
    expect(hashOf('')).toBe(hashBytes(new Uint8Array(0), 0, 0));
  });

  it('hashes an id alike however it is split between head and cell, the number byte in either', () => {
    // Short ids of digits, letters and a separator, split at every point: the joined id is found by its whole text.
    fc.assert(
      fc.property(fc.array(fc.constantFrom('1', '7', 'a', 'f', ':', '|'), { minLength: 2, maxLength: 12 }), (characters) => {
        const id = `tx:${characters.join('')}`;
        const bytes = encoder.encode(id);
        for (let split = 1; split < bytes.length; split++) {
          const registry = new IdRegistry();
          const file = registry.sourceIndex('f');
          // A lookup first builds the slot table, so the joined id is placed by its hash.
          expect(registry.get('tx:none')).toBeUndefined();
          const head = registry.headIndex(bytes.slice(0, split));
          expect(registry.findOrAddJoined(head, bytes, split, bytes.length, 2, file)).toBe(-1);
          expect(registry.get(id)).toEqual({ line: 2, sourceId: 'f' });
          const other = registry.headIndex(bytes.slice(0, 1));
          expect(registry.findOrAddJoined(other, bytes, 1, bytes.length, 3, file)).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
