import { parseAgreements } from '../../../core/settlement/agreement.ts';

/**
 * The team e2e tests' month, a partner report of March 2026. Hand arithmetic: studio-a 100.00 +
 * 200.00 + 50.00 = 350.00 at 70 % = 245.00; studio-b 400.00 + 120.00 = 520.00 at 60 % = 312.00.
 */
export const STUDIO_MONTH_REPORT = [
  'partner,period_start,period_end,date,product,units,gross,currency',
  'studio-a,2026-03-01,2026-03-31,2026-03-03,game-1,10,100.00,EUR',
  'studio-a,2026-03-01,2026-03-31,2026-03-10,game-1,20,200.00,EUR',
  'studio-a,2026-03-01,2026-03-31,2026-03-18,game-2,5,50.00,EUR',
  'studio-b,2026-03-01,2026-03-31,2026-03-05,app-9,40,400.00,EUR',
  'studio-b,2026-03-01,2026-03-31,2026-03-21,app-9,12,120.00,EUR',
].join('\n');

export const STUDIO_AGREEMENTS = parseAgreements([
  { agreementId: 'AG-A', partnerId: 'studio-a', version: 1, effectiveFrom: '2026-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '70' } } },
  { agreementId: 'AG-B', partnerId: 'studio-b', version: 1, effectiveFrom: '2026-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '60' } } },
]);

/** The agreements as the analyst's desk pushes them to the server (as the partners editor would). */
export const STUDIO_AGREEMENT_PUSH = STUDIO_AGREEMENTS.map((agreement) => ({
  newDocumentState: { id: `${agreement.agreementId}@${agreement.version}`, agreement, createdBy: 'ana', createdAt: '2026-03-31T08:00:00.000Z', _deleted: false },
  assumedMasterState: null,
}));
