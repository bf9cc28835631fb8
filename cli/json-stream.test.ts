import { describe, expect, it } from 'vitest';
import { jsonChunks, LazyJson, RawJson } from './json-stream.ts';

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

  it('writes each kind of array element as before: one text with its separator, or a nested layout', () => {
    function* nested(): Generator<number> {
      yield 1;
    }
    const value = { list: [new RawJson('{"a":1}'), undefined, () => 0, 'x"y', 7, null, { deep: [1, 2] }, [3], new LazyJson(() => ({ made: true })), nested()], empty: [] };
    const text = [...jsonChunks(value, 2)].join('');
    // Depth 2 (the list's elements) and deeper are compact; a generator and a LazyJson are read as they come.
    expect(text).toBe('{\n  "list": [\n    {"a":1},\n    null,\n    null,\n    "x\\"y",\n    7,\n    null,\n    {"deep":[1,2]},\n    [3],\n    {"made":true},\n    [\n      1\n    ]\n  ],\n  "empty": []\n}');
    expect(JSON.parse(text)).toEqual({ list: [{ a: 1 }, null, null, 'x"y', 7, null, { deep: [1, 2] }, [3], { made: true }, [1]], empty: [] });
  });
});
