import { describe, expect, it } from 'vitest';
import { DEMO_DEFAULTS } from '../../../../core/demo/generate.ts';
import { parseAgreements, type AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { rateTable } from '../../../../core/settlement/fx.ts';
import { runSettlement } from '../../../../core/settlement/run.ts';
import { row } from '../../../../core/settlement/testkit.ts';
import type { AgreementVersionDoc } from '../../../../core/sync/documents.ts';
import { NO_RATES, runReferenceOf } from './desk-agreements.ts';

const v1 = { agreementId: 'AGR-P002', partnerId: 'P002', version: 1, effectiveFrom: '2026-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '55' } } };
const other = { ...v1, agreementId: 'AGR-P001', partnerId: 'P001', terms: { share: { rate: '70' } } };
const files = parseAgreements([v1, other]);
const rates = { source: 'ECB', base: 'EUR', quotes: { '2026-03-02': { USD: '1.0850' } } };
const demo = () => Promise.resolve({ agreements: files, rates });
const docOf = (agreement: AgreementVersion): AgreementVersionDoc => ({ id: `${agreement.agreementId}@${agreement.version}`, agreement, createdBy: 'ana', createdAt: '2026-03-05T10:00:00Z' });
const [v2] = parseAgreements([{ ...v1, version: 2, terms: { share: { rate: '60' } } }]);

describe('the agreements a settlement run uses', () => {
  it('is the demo month until the desk holds a version', async () => {
    expect(await runReferenceOf('demo', [], demo)).toEqual({ kind: 'demo', seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month });
  });

  it('joins a version saved on the desk to the demo files, with the demo rates, and the run pays by it', async () => {
    const reference = await runReferenceOf('demo', [docOf(v2!)], demo);
    if (reference.kind !== 'given') throw new Error('expected the given versions');
    expect(reference.agreements.map((each) => `${each.agreementId}@${each.version}`).sort()).toEqual(['AGR-P001@1', 'AGR-P002@1', 'AGR-P002@2']);
    expect(reference.rates).toBe(rates);
    // Hand arithmetic: P002 sells 100.00 in March; v2 (60 %) supersedes v1 (55 %) from its effectiveFrom: 60.00, not 55.00. P001 keeps 70 %: 70.00.
    const result = runSettlement({ period: { start: '2026-03-01', end: '2026-03-31' }, partnerIds: ['P001', 'P002'], agreements: reference.agreements, transactions: [row('sale', '100.00', { partnerId: 'P002', date: '2026-03-10' }), row('sale', '100.00', { partnerId: 'P001', date: '2026-03-10' })], rates: rateTable({}, 'ECB', 'EUR') });
    expect(result.statements.map((s) => [s.partnerId, s.agreement.version, s.totals.payable])).toEqual([['P001', 1, '70.00'], ['P002', 2, '60.00']]);
  });

  it('is the desk versions alone, without rates, in a team workspace', async () => {
    expect(await runReferenceOf('team', [docOf(v2!)], demo)).toEqual({ kind: 'given', agreements: [v2], rates: NO_RATES });
  });

  it('refuses two agreements of one partner in force on one date', async () => {
    const [clash] = parseAgreements([{ ...v1, agreementId: 'AGR-P002-B', effectiveFrom: '2026-03-01' }]);
    await expect(runReferenceOf('demo', [docOf(clash!)], demo)).rejects.toMatchObject({ code: 'effective_dates_overlap' });
  });
});
