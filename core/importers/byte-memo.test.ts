import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteMemo } from './byte-memo.ts';

const encoder = new TextEncoder();

/** Keys from a small alphabet so that lookups repeat, of every length class: empty, short (<= 12 bytes), long, too long. */
const keys = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '0', '-', 'é', '\u0000'), maxLength: 20 }), { minLength: 1, maxLength: 300 });

describe('ByteMemo', () => {
  it('returns the value computed from the same bytes, never another key\'s, through growth and clearing', () => {
    fc.assert(
      fc.property(keys, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 24 }), (texts, entriesMax, keyBytesMax) => {
        const memo = new ByteMemo<{ text: string }>(entriesMax, keyBytesMax);
        for (const text of texts) {
          // The key sits inside a larger buffer, as a cell sits in a row: with bytes after it (read
          // as whole words, then masked) and at the very end (read a byte at a time).
          const inside = encoder.encode(`|${text}|${'x'.repeat(12)}`);
          const keyEnd = inside.length - 13;
          expect(memo.get(inside, 1, keyEnd, (decoded) => ({ text: decoded })).text).toBe(text);
          const atEnd = encoder.encode(`|${text}`);
          expect(memo.get(atEnd, 1, atEnd.length, (decoded) => ({ text: decoded })).text).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('computes each distinct key once while it has room', () => {
    fc.assert(
      fc.property(keys, (texts) => {
        const memo = new ByteMemo<string>(1000, 64);
        const computed: string[] = [];
        texts.forEach((text, index) => {
          // Alternately far from and at the end of the buffer: both ways of reading find one entry.
          const bytes = encoder.encode(index % 2 === 0 ? text : `${text}${' '.repeat(12)}`);
          const keyLength = encoder.encode(text).length;
          memo.get(bytes, 0, keyLength, (decoded) => {
            computed.push(decoded);
            return decoded;
          });
        });
        expect(computed).toEqual([...new Set(texts)]);
      }),
      { numRuns: 200 },
    );
  });

  it('tells apart keys that differ only in length or in trailing zero bytes', () => {
    const memo = new ByteMemo<number>(100, 64);
    const bytes = new Uint8Array([0x61, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const values = [1, 2, 4, 5, 12, 13, 14].map((length) => memo.get(bytes, 0, length, () => length));
    expect(values).toEqual([1, 2, 4, 5, 12, 13, 14]);
    expect(memo.get(bytes, 0, 13, () => -1)).toBe(13);
    expect(memo.get(bytes, 0, 12, () => -1)).toBe(12);
  });
});
