import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportContext } from '../ingest/importer.ts';
import { fromMinorUnits } from '../money/minor.ts';
import { parsePartnerReport } from './partner-report.ts';
import { partnerReportRows } from './partner-report-rows.ts';

const read = (name: string): string => readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url), 'utf8');
const context: ImportContext = { fileName: 'partner.csv', sha256: 'e'.repeat(64), pseudonymize: (id) => id };

describe('partnerReportRows', () => {
  it('sums the claiming lines of a product, day and currency, and leaves out lines that claim no share', () => {
    const { rows, deliveries } = partnerReportRows(parsePartnerReport(read('partner-usage-studio-sora-2026-03.csv'), context));
    expect(rows).toEqual([
      { partnerId: 'studio-sora', productId: 'gem-pack', day: '2026-03-01', currency: 'USD', netRevenue: '109.89', partnerShare: '76.92' },
      { partnerId: 'studio-sora', productId: 'gem-pack', day: '2026-03-01', currency: 'KRW', netRevenue: '45000', partnerShare: '31500' },
      { partnerId: 'studio-sora', productId: 'gem-pack', day: '2026-03-02', currency: 'USD', netRevenue: '-19.98', partnerShare: '-13.99' },
      // Line 5 (1,250.00 without a share) is left out; lines 6 and 7 are summed: -250.00 + 1000.00, -175.00 + 700.00.
      { partnerId: 'studio-sora', productId: 'season-pass', day: '2026-03-02', currency: 'USD', netRevenue: '750.00', partnerShare: '525.00' },
      { partnerId: 'studio-sora', productId: 'gem-pack', day: '2026-03-08', currency: 'USD', netRevenue: '99.90', partnerShare: '69.93' },
    ]);
    expect(deliveries).toEqual([
      { partnerId: 'studio-sora', periodStart: '2026-03-01', periodEnd: '2026-03-07', deliveredAt: '2026-03-08T09:45:00Z' },
      { partnerId: 'studio-sora', periodStart: '2026-03-08', periodEnd: '2026-03-14', deliveredAt: '2026-03-15T10:00:00Z' },
    ]);
  });

  it('reads the JSON report level generation time as the delivery', () => {
    const { rows, deliveries } = partnerReportRows(parsePartnerReport(read('partner-usage-studio-mir-2026-03.json'), context));
    expect(rows.map((r) => [r.productId, r.day, r.netRevenue, r.partnerShare])).toEqual([
      ['manga-vol-1', '2026-03-01', '14000', '8400'],
      ['manga-vol-2', '2026-03-05', '2000', '1200'],
    ]);
    expect(deliveries).toEqual([{ partnerId: 'studio-mir', periodStart: '2026-03-01', periodEnd: '2026-03-07', deliveredAt: '2026-03-08T04:30:00Z' }]);
  });

  it('gives nothing to judge for reports that state neither share nor generation time', () => {
    expect(partnerReportRows(parsePartnerReport(read('partner-usage-studio-hana-2026-03.csv'), context))).toEqual({ rows: [], deliveries: [] });
    const dul = parsePartnerReport(read('partner-usage-studio-dul-2026-03.json'), context);
    expect(dul.claims.every((c) => c.net === c.gross && c.partnerShare === null)).toBe(true);
    expect(partnerReportRows(dul)).toEqual({ rows: [], deliveries: [] });
  });
});

describe('partner report amounts, property', () => {
  const CURRENCIES = [
    { code: 'USD', digits: 2 },
    { code: 'JPY', digits: 0 },
    { code: 'KWD', digits: 3 },
  ] as const;
  const line = fc.record({
    currency: fc.constantFrom(...CURRENCIES),
    grossMinor: fc.integer({ min: 0, max: 10_000_000 }),
    refundsMinor: fc.integer({ min: 0, max: 10_000_000 }),
    shareMinor: fc.integer({ min: -10_000_000, max: 10_000_000 }),
  });

  it('imports every sale line whose refunds are netted out, its entries summing to the net it states, and claims that net and share exactly', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const header = 'partner,period_start,period_end,generated_at,reference,date,product,currency,units,gross,net,partner_share';
        const body = lines.map((l, index) => {
          const { code, digits } = l.currency;
          const net = fromMinorUnits(l.grossMinor - l.refundsMinor, digits);
          return `p,2026-03-01,2026-03-31,2026-04-01T08:00:00Z,R${index},2026-03-${String(index + 1).padStart(2, '0')},prod,${code},1,${fromMinorUnits(l.grossMinor, digits)},${net},${fromMinorUnits(l.shareMinor, digits)}`;
        });
        const parsed = parsePartnerReport([header, ...body].join('\n'), context);
        expect(parsed.rejected).toEqual([]);
        lines.forEach((l, index) => {
          const { digits } = l.currency;
          const entries = parsed.entries.filter((e) => e.line === index + 2);
          const sumMinor = entries.reduce((total, e) => total + BigInt(e.amount.replace('.', '')), 0n);
          expect(sumMinor).toBe(BigInt(l.grossMinor - l.refundsMinor));
          expect(entries.every((e) => e.amount.split('.')[1]?.length === (digits === 0 ? undefined : digits))).toBe(true);
        });
        const { rows, deliveries } = partnerReportRows(parsed);
        expect(rows.map((r) => [r.netRevenue, r.partnerShare])).toEqual(lines.map((l) => [fromMinorUnits(l.grossMinor - l.refundsMinor, l.currency.digits), fromMinorUnits(l.shareMinor, l.currency.digits)]));
        expect(deliveries).toEqual([{ partnerId: 'p', periodStart: '2026-03-01', periodEnd: '2026-03-31', deliveredAt: '2026-04-01T08:00:00Z' }]);
      }),
      { numRuns: 200 },
    );
  });
});
