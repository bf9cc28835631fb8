import { describe, expect, it } from 'vitest';
import { jsonChunks, jsonString, LazyJson, RawJson } from './json-stream.ts';

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

describe('jsonString', () => {
  it('quotes a string as JSON.stringify does', () => {
    // Plain, each escaped kind (quote, backslash, control characters, lone surrogates), a pair and
    // U+2028 (which JSON.stringify leaves as it is).
    const texts = ['', 'po_1Abc', '12.50', 'a"b', 'a\\b', 'tab\there', '\u0000\u001f\n', '\ud800', 'x\udfffy', '😀', '\u2028é'];
    expect(texts.map((text) => jsonString(text))).toEqual(texts.map((text) => JSON.stringify(text)));
  });
});

describe('RawJson in an array', () => {
  it('is written as its text with the separator, beside values the writer serializes', () => {
    const text = [...jsonChunks({ items: [new RawJson('{"a":1}'), undefined, 2, new RawJson('[]')] })].join('');
    expect(text).toBe('{\n  "items": [\n    {"a":1},\n    null,\n    2,\n    []\n  ]\n}');
  });
});
