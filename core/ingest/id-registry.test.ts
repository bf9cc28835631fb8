import { describe, expect, it } from 'vitest';
import { IdRegistry } from './id-registry.ts';

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
