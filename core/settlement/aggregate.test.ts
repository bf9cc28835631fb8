import { describe, expect, it } from 'vitest';
import { parseAgreements } from './agreement.ts';
import { addDays } from './dates.ts';
import { rateTable } from './fx.ts';
import { runSettlement, statementHash, type RunInput } from './run.ts';
import { canonicalTx } from './testkit.ts';

/**
 * The hot path's edge cases, each checked against the per-row reference: sums beyond 2^53
 * (BigInt spill), more lines and rate keys than the first layout holds (regrowth).
 */
function both(input: RunInput): { fast: string[]; reference: string[]; statements: ReturnType<typeof runSettlement>['statements'] } {
  const fast = runSettlement(input, 'fast');
  const reference = runSettlement(input, 'reference');
  expect(fast.exceptions).toEqual([]);
  return { fast: fast.statements.map(statementHash), reference: reference.statements.map(statementHash), statements: fast.statements };
}

describe('aggregateFast', () => {
  it('stays exact past 2^53 minor units', () => {
    const agreements = parseAgreements([{ agreementId: 'A', partnerId: 'p', version: 1, effectiveFrom: '2026-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '50' } } }]);
    // 90071992547409.91 = (2^53 - 1) minor units; three of them and a refund of one cent
    const transactions = [...Array.from({ length: 3 }, (_, i) => canonicalTx({ id: `s${i}`, partnerId: 'p', kind: 'sale', amount: '90071992547409.91', currency: 'EUR', occurredAt: '2026-01-05' })), canonicalTx({ id: 'r', partnerId: 'p', kind: 'refund', amount: '-0.01', currency: 'EUR', occurredAt: '2026-01-06' })];
    const { fast, reference, statements } = both({ period: { start: '2026-01-01', end: '2026-01-31' }, partnerIds: ['p'], agreements, transactions, rates: rateTable({}, 'ECB', 'EUR') });
    expect(fast).toEqual(reference);
    // 3 x 90071992547409.91 - 0.01 = 270215977642229.72; 50 % = 135107988821114.86
    expect(statements[0]?.totals.grossBase).toBe('270215977642229.72');
    expect(statements[0]?.totals.payable).toBe('135107988821114.86');
    expect(statements[0]?.groups[0]?.lines[0]?.kinds[0]?.sourceAmount).toBe('270215977642229.73');
  });

  it('regrows for more lines and rate keys than the first layout holds', () => {
    const agreements = parseAgreements([{ agreementId: 'A', partnerId: 'p', version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '70' }, platformFee: { basis: 'gross', rate: '3' } } }]);
    // 100 days of quotes; rows occurred over those days but were all booked in the period (late rows)
    const quotes = Object.fromEntries(Array.from({ length: 100 }, (_, day) => [addDays('2025-10-01', day), { USD: `1.${String(1000 + day * 7).padStart(4, '0')}`, JPY: `15${day % 10}.5` }]));
    const transactions = Array.from({ length: 2000 }, (_, i) =>
      canonicalTx({
        id: `t${i}`,
        partnerId: 'p',
        kind: i % 7 === 0 ? 'refund' : 'sale',
        amount: i % 3 === 0 ? `${i % 7 === 0 ? '-' : ''}${(i % 900) + 1}` : `${i % 7 === 0 ? '-' : ''}${(i % 400) + 1}.${String(i % 100).padStart(2, '0')}`,
        currency: i % 3 === 0 ? 'JPY' : i % 3 === 1 ? 'USD' : 'EUR',
        occurredAt: addDays('2025-10-01', i % 100),
        bookingDate: '2026-01-15',
        productId: `prod-${i % 90}`,
      }),
    );
    const input: RunInput = { period: { start: '2026-01-01', end: '2026-01-31' }, partnerIds: ['p'], agreements, transactions, rates: rateTable(quotes, 'ECB', 'EUR') };
    const { fast, reference, statements } = both(input);
    expect(fast).toEqual(reference);
    const lines = statements[0]?.groups[0]?.lines ?? [];
    expect(lines.length).toBeGreaterThan(64); // 1 partner starts with room for 64 lines
    expect(new Set(lines.flatMap((line) => line.fx.map((use) => use.quote.rateKey))).size).toBeGreaterThan(40); // room for 40 rate keys at first
    // days 0-91 (2025-10-01..2025-12-31) occurred before the period: 92 days x 20 rows = 1840 late rows
    expect(lines.reduce((total, line) => total + line.lateCount, 0)).toBe(1840);
  });
});
