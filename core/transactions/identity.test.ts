import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintKey, ID_LENGTH_MAX, idFromFingerprint, idFromReference } from './identity.ts';

describe('deterministic transaction ids', () => {
  it('are the escaped reference under its namespace and account', () => {
    expect(idFromReference('stripe:acct_1', 'acct_1', 'txn_123')).toBe('tx:stripe:acct_1|acct_1|txn_123');
    expect(idFromReference('bank:NL01', null, 'REF|1%')).toBe('tx:bank:NL01||REF%7C1%25');
  });

  it('never collide for distinct (namespace, account, reference) triples', () => {
    fc.assert(
      fc.property(fc.tuple(fc.string(), fc.option(fc.string(), { nil: null }), fc.string()), fc.tuple(fc.string(), fc.option(fc.string(), { nil: null }), fc.string()), (a, b) => {
        const same = a[0] === b[0] && (a[1] ?? '') === (b[1] ?? '') && a[2] === b[2];
        expect(idFromReference(...a) === idFromReference(...b)).toBe(same);
      }),
    );
  });

  it('hash over-long references into a bounded id', () => {
    const id = idFromReference('partner:x', null, 'r'.repeat(500));
    expect(id).toMatch(/^tx#[0-9a-f]{32}$/);
    expect(id.length).toBeLessThanOrEqual(ID_LENGTH_MAX);
  });

  it('give identical movements distinct ids by occurrence, and the same ids on a re-import', () => {
    const key = fingerprintKey({ namespace: 'bank:NL01', account: 'NL01', bookingDate: '2026-03-02', valueDate: null, amount: '-2.50', currency: 'EUR', description: 'coffee', reference: null });
    expect(idFromFingerprint(key, 0)).not.toBe(idFromFingerprint(key, 1));
    expect(idFromFingerprint(key, 1)).toBe(idFromFingerprint(key, 1));
    expect(idFromFingerprint(key, 0)).toMatch(/^tx#[0-9a-f]{32}$/);
  });
});
