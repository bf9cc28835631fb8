import { describe, expect, it } from 'vitest';
import { jaccard, keyHash, normalizeKey, referenceTokens, usableKey, words } from './text.ts';

const options = { keyLengthMin: 4, textTokenNeedsDigit: true, placeholders: new Set(['NONREF']) };

describe('reference text', () => {
  it('normalizes keys to A-Z0-9', () => {
    expect(normalizeKey('inv-2024/0042')).toBe('INV20240042');
    expect(usableKey('NONREF', options)).toBeNull();
    expect(usableKey('a-1', options)).toBeNull();
  });

  it("meets Stripe's po_ id and the po- an MT940 statement prints (no underscore in the SWIFT set)", () => {
    expect(normalizeKey('po-1RVIQ98XWVyDmF8NtE6v62uV')).toBe(normalizeKey('po_1RVIQ98XWVyDmF8NtE6v62uV'));
    expect(keyHash('po-1RVIQ98XWVyDmF8NtE6v62uV')).toBe(keyHash('po_1RVIQ98XWVyDmF8NtE6v62uV'));
    expect(referenceTokens('STRIPE PAYOUT po-1RVIQ98XWVyDmF8NtE6v62uV', options)).toContain(normalizeKey('po_1RVIQ98XWVyDmF8NtE6v62uV'));
  });

  it('tokenizes remittance text and joins a chunk with following digit chunks only', () => {
    expect(referenceTokens('/EREF/PAYOUT PO 000123 ACME 2024', options)).toEqual(['PO000123', '000123', 'ACME2024', '2024']);
    expect(referenceTokens('Payment inv 2024 0042', options)).toEqual(['INV2024', 'INV20240042', '2024', '20240042', '0042']);
    expect(referenceTokens('PAYMENT FOR SERVICES', options)).toEqual([]);
  });

  it('hashes a raw key exactly as its normalized form, without building it', () => {
    expect(keyHash('po-000 123')).toBe(keyHash('PO000123'));
    expect(keyHash('PO000124')).not.toBe(keyHash('PO000123'));
    expect(keyHash('straße')).toBe(-1);
  });

  it('measures word similarity', () => {
    expect(jaccard(words('Acme Games GmbH'), words('ACME GAMES'))).toBeCloseTo(2 / 3, 10);
    expect(jaccard(words(null), words('x'))).toBe(0);
  });
});
