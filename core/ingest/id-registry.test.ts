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
      const whole = encoder.encode(`tx:csv:x||${reference}`);
      expect(registry.findOrAddJoined(prefix, cell, 1, cell.length - 1, index + 2, file, hashBytes(whole, 0, whole.length))).toBe(-1);
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
    const hash = hashBytes(whole, 0, whole.length);
    expect(registry.findOrAdd(whole, 0, whole.length, 7, file)).toBe(-1);
    const shorter = registry.headIndex(encoder.encode('tx:csv:x|'));
    const cell = encoder.encode('|ch_3');
    expect(registry.findOrAddJoined(shorter, cell, 0, cell.length, 9, file, hash)).toBe(0);
    const longer = registry.headIndex(encoder.encode('tx:csv:x||ch_'));
    expect(registry.findOrAddJoined(longer, cell, 4, cell.length, 9, file, hash)).toBe(0);
    // Same length and hash, other bytes: not the same id.
    const other = encoder.encode('|ch_4');
    expect(registry.findOrAddJoined(shorter, other, 0, other.length, 9, file, hash)).toBe(-1);
    expect(registry.size).toBe(2);
    expect(registry.knownAt(0)).toEqual({ line: 7, sourceId: null });
  });

  it('hashes ids that differ in the last byte to neighbouring slots, others apart', () => {
    const hashOf = (text: string): number => {
      const bytes = encoder.encode(text);
      return hashBytes(bytes, 0, bytes.length);
    };
    expect(hashOf('tx:a||ch_1239') - hashOf('tx:a||ch_1230')).toBe(9);
    expect(hashOf('tx:a||ch_1240') - hashOf('tx:a||ch_1230')).not.toBe(0);
    expect(hashOf('')).toBe(hashBytes(new Uint8Array(0), 0, 0));
  });
});
