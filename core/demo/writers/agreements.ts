import { minorUnitsOf } from '../../money/iso4217.ts';
import type { DemoPartner } from '../model.ts';

/**
 * One agreement file per partner, in the settlement engine's schema (core/settlement/agreement.ts,
 * an array of versions; options left out take the schema's defaults). The flat share percent is
 * the rate partner reports are expected to apply.
 */
const MINIMUM_PAYOUT_MAJOR = { EUR: '50', USD: '50', GBP: '40', JPY: '5000', KRW: '50000' } as const;
const WITHHOLDING_PERCENT: Readonly<Record<string, string>> = { KR: '10', JP: '10.21', US: '0' };

export function agreementJson(partner: DemoPartner): string {
  const digits = minorUnitsOf(partner.settlementCurrency);
  const minimumPayout = digits === 0 ? MINIMUM_PAYOUT_MAJOR[partner.settlementCurrency] : `${MINIMUM_PAYOUT_MAJOR[partner.settlementCurrency]}.${'0'.repeat(digits)}`;
  const withholding = WITHHOLDING_PERCENT[partner.jurisdiction];
  const version = {
    agreementId: `AGR-${partner.partnerId}`,
    partnerId: partner.partnerId,
    version: 1,
    effectiveFrom: '2025-01-01',
    effectiveTo: null,
    partnerJurisdiction: partner.jurisdiction,
    settlementCurrency: partner.settlementCurrency,
    terms: {
      share: { rate: partner.sharePercent },
      fx: { rateDate: 'transaction-date', lookup: 'latest-earlier', lookbackDaysMax: 4, route: 'via-base' },
      rounding: { mode: 'half-even', scope: 'line' },
      minimumPayout,
      ...(withholding === undefined ? {} : { withholding: { ratesByJurisdiction: { [partner.jurisdiction]: withholding } } }),
    },
  };
  return `${JSON.stringify([version], null, 2)}\n`;
}
