import { describe, expect, it } from 'vitest';
import { jsonChunks, LazyJson } from './json-stream.ts';

describe('jsonChunks', () => {
  it('makes a LazyJson value when the writer reaches it, after the generator before it was read', () => {
    let seen = 0;
    function* items(): Generator<number> {
      for (const item of [3, 4]) {
        seen++;
        yield item;
      }
    }
    const text = [...jsonChunks({ items: items(), count: new LazyJson(() => ({ seen })) })].join('');
    // Two items were read before the count was made: { seen: 2 }, written as the plain object would be.
    expect(text).toBe('{\n  "items": [\n    3,\n    4\n  ],\n  "count": {\n    "seen": 2\n  }\n}');
    expect(JSON.parse(text)).toEqual({ items: [3, 4], count: { seen: 2 } });
  });
});
