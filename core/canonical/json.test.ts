import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalHash, canonicalJson, CanonicalJsonError } from './json.ts';
import { sha256Hex } from '../hash/sha256.ts';

describe('canonicalJson', () => {
  it('sorts keys by code unit, drops whitespace and undefined properties', () => {
    expect(canonicalJson({ b: [1, 'x', null, true], a: { d: '1.00', c: undefined }, A: false })).toBe('{"A":false,"a":{"d":"1.00"},"b":[1,"x",null,true]}');
    expect(canonicalJson({ '\u00e9': 1, z: 2, '\ud83d\ude00': 3 })).toBe('{"z":2,"\u00e9":1,"\ud83d\ude00":3}');
    expect(canonicalJson('line\nbreak "q"')).toBe('"line\\nbreak \\"q\\""');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('refuses floats, non-JSON values and non-plain objects', () => {
    const code = (value: unknown): string => {
      try {
        canonicalJson(value);
      } catch (error) {
        expect(error).toBeInstanceOf(CanonicalJsonError);
        return (error as CanonicalJsonError).code;
      }
      return 'accepted';
    };
    expect(code({ amount: 0.1 })).toBe('canonical_json_number');
    expect(code(Number.NaN)).toBe('canonical_json_number');
    expect(code(2 ** 53)).toBe('canonical_json_number');
    expect(code(10n)).toBe('canonical_json_type');
    expect(code([undefined])).toBe('canonical_json_type');
    expect(code(new Date(0))).toBe('canonical_json_type');
    expect(code(new Map())).toBe('canonical_json_type');
  });

  it('is independent of key insertion order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        expect(JSON.parse(canonicalJson(record))).toEqual(record);
      }),
    );
  });

  it('writes an array of plain values (the fast path) exactly as item by item, and still refuses a float inside one', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(-0))), (items) => {
        expect(canonicalJson(items)).toBe(`[${items.map((item) => canonicalJson(item)).join(',')}]`);
      }),
    );
    expect(() => canonicalJson(['1.00', 0.5])).toThrow(expect.objectContaining({ code: 'canonical_json_number', details: { path: '$[1]' } }));
    expect(() => canonicalJson(['1.00', undefined])).toThrow(expect.objectContaining({ code: 'canonical_json_type' }));
  });

  it('hashes the UTF-8 bytes of the canonical text', () => {
    expect(canonicalHash({ b: 1, a: 'é' })).toBe(sha256Hex('{"a":"é","b":1}'));
  });
});
