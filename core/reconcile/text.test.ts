import { describe, expect, it } from 'vitest';
import { isUsableAsciiKey, jaccard, keyHash, normalizeKey, referenceTokens, sameAsciiKey, usableKey, words } from './text.ts';

const options = { keyLengthMin: 4, placeholders: new Set(['NONREF']) };

describe('reference text', () => {
  it('normalizes keys to their letters and digits, keeping letter case (PSP ids are case-sensitive)', () => {
    expect(normalizeKey('INV-2024/0042')).toBe('INV20240042');
    expect(normalizeKey('inv-2024/0042')).toBe('inv20240042');
    expect(normalizeKey('ch_3MqLiJ')).not.toBe(normalizeKey('ch_3MQLIJ'));
    expect(normalizeKey('Straße-4711')).toBe('Straße4711');
    expect(usableKey('NONREF', options)).toBeNull();
    expect(usableKey('NonRef', options)).toBeNull();
    expect(usableKey('a-1', options)).toBeNull();
  });

  it("meets Stripe's po_ id and the po- an MT940 statement prints (no underscore in the SWIFT set)", () => {
    expect(normalizeKey('po-1RVIQ98XWVyDmF8NtE6v62uV')).toBe(normalizeKey('po_1RVIQ98XWVyDmF8NtE6v62uV'));
    expect(keyHash('po-1RVIQ98XWVyDmF8NtE6v62uV')).toBe(keyHash('po_1RVIQ98XWVyDmF8NtE6v62uV'));
    expect(referenceTokens('STRIPE PAYOUT po-1RVIQ98XWVyDmF8NtE6v62uV', options)).toContain(normalizeKey('po_1RVIQ98XWVyDmF8NtE6v62uV'));
  });

  it('tokenizes remittance text and joins a chunk with following digit chunks only', () => {
    // Every chunk is a candidate (a payout id may hold no digit); reference.ts keeps only the
    // tokens that are known ids of the other side. "PO" and "FOR" are shorter than keyLengthMin 4.
    expect(referenceTokens('/EREF/PAYOUT PO 000123 ACME 2024', options)).toEqual(['EREF', 'PAYOUT', 'PO000123', '000123', 'ACME', 'ACME2024', '2024']);
    expect(referenceTokens('Payment inv 2024 0042', options)).toEqual(['Payment', 'inv2024', 'inv20240042', '2024', '20240042', '0042']);
    expect(referenceTokens('PAYMENT FOR SERVICES', options)).toEqual(['PAYMENT', 'SERVICES']);
    expect(referenceTokens('STRIPE po_AbCdEfGhIjKlMnOp', options)).toEqual(['STRIPE', 'poAbCdEfGhIjKlMnOp']);
    expect(referenceTokens('REF NONREF', options)).toEqual([]);
  });

  it('gives each token its raw form, separators kept, when asked for spans', () => {
    const text = 'EREF+INV-2024/0042 PO 000123';
    const spans: number[] = [];
    const tokens = referenceTokens(text, options, spans);
    expect(tokens).toEqual(['EREF', 'INV2024', 'INV20240042', '0042', 'PO000123', '000123']);
    const raws = tokens.map((_, at) => text.slice(spans[at * 2], spans[at * 2 + 1]));
    expect(raws).toEqual(['EREF', 'INV-2024', 'INV-2024/0042', '0042', 'PO 000123', '000123']);
  });

  it('hashes a raw key exactly as its normalized form, without building it', () => {
    expect(keyHash('PO-000 123')).toBe(keyHash('PO000123'));
    expect(keyHash('po-000 123')).not.toBe(keyHash('PO000123'));
    expect(keyHash('PO000124')).not.toBe(keyHash('PO000123'));
    expect(keyHash('straße')).toBe(-1);
  });

  it('tells a usable ASCII key without building it, as usableKey does', () => {
    const defaults = { keyLengthMin: 4, placeholders: new Set(['NONREF', 'NOTPROVIDED', 'NOTAVAILABLE', 'NA', 'NONE']) };
    const expected: Record<string, boolean> = {
      ch_3Ab: true,
      'CH-3AB': true,
      NONREF: false,
      nonref: false,
      'N-O-N-R-E-F': false,
      NONE: false,
      'none ': false,
      NONES: true,
      'NOT-AVAILABLE': false,
      NOTAVAILABLE1: true,
      'ab-1': false,
      abcd: true,
      '----': false,
      '': false,
    };
    for (const [text, usable] of Object.entries(expected)) {
      expect([text, isUsableAsciiKey(text, defaults)]).toEqual([text, usable]);
      expect([text, usableKey(text, defaults) !== null]).toEqual([text, usable]);
    }
    // A placeholder holding digits: digits no longer rule a key out.
    const digits = { keyLengthMin: 4, placeholders: new Set(['0000', 'NONREF']) };
    expect(isUsableAsciiKey('00-00', digits)).toBe(false);
    expect(isUsableAsciiKey('00-01', digits)).toBe(true);
    expect(usableKey('00-00', digits)).toBeNull();
  });

  it('compares two ASCII texts by the key they fold to, as normalizeKey does', () => {
    const pairs: [string, string, boolean][] = [
      ['ch_3Ab', 'ch3Ab', true],
      ['ch_3Ab', 'CH-3AB', false],
      ['ch_0_10', 'ch_01_0', true],
      ['INV-2024/0042', 'INV 2024 0042', true],
      ['ab', 'abc', false],
      ['abc', 'ab_', false],
      ['a-', '-a', true],
      ['', '--', true],
      ['ch7tzx', 'chi3ad', false],
    ];
    for (const [a, b, same] of pairs) {
      expect([a, b, sameAsciiKey(a, b)]).toEqual([a, b, same]);
      expect([a, b, normalizeKey(a) === normalizeKey(b)]).toEqual([a, b, same]);
    }
    // Two keys with one keyHash (FNV-1a): the reference index tells them apart by their letters.
    expect(keyHash('ch7tzx')).toBe(keyHash('chi3ad'));
  });

  it('measures word similarity', () => {
    expect(jaccard(words('Acme Games GmbH'), words('ACME GAMES'))).toBeCloseTo(2 / 3, 10);
    expect(jaccard(words(null), words('x'))).toBe(0);
  });
});
