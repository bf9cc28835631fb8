import { describe, expect, it } from 'vitest';
import { parseAgreements, type AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { row } from '../../../../core/settlement/testkit.ts';
import { packBatch } from '../../../../core/sync/batch.ts';
import type { AgreementVersionDoc } from '../../../../core/sync/documents.ts';
import { settle } from '../../../engine/settle.ts';
import { runReferenceOf } from './desk-agreements.ts';
import { mergeRates, missingPairsOf, readRateFile } from './desk-rates.ts';

const [agreement] = parseAgreements([{ agreementId: 'AGR-P1', partnerId: 'P1', version: 1, effectiveFrom: '2026-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '50' } } }]);
const docs: AgreementVersionDoc[] = [{ id: 'AGR-P1@1', agreement: agreement as AgreementVersion, createdBy: 'ana', createdAt: '2026-03-01T09:00:00.000Z' }];
// March for P1: 100.00 EUR and 108.50 USD on 2026-03-10.
const MARCH = [row('sale', '100.00', { partnerId: 'P1', date: '2026-03-10' }), row('sale', '108.50', { partnerId: 'P1', currency: 'USD', date: '2026-03-10' })];

async function settleMarch(rates: Parameters<typeof runReferenceOf>[3]) {
  const reference = await runReferenceOf('team', docs, undefined, rates);
  return settle({ runId: 'run.2026-03.r1', month: '2026-03', revision: 1, batches: [packBatch('imp', 0, MARCH)], reference, statesIn: {}, exceptions: [] }, () => undefined, () => 0);
}

describe('FX rates on a team desk', () => {
  it('without rates, the run blocks the partner and says which pairs and dates are missing', async () => {
    const output = await settleMarch(null);
    expect(output.statements).toEqual([]);
    expect(output.unsettled.map((each) => each.code)).toEqual(['fx_rate_missing']);
    expect(missingPairsOf(output.unsettled)).toEqual(['USD/EUR 2026-03-10']);
  });

  it('settles with an imported ECB file, and the run records the rates it used', async () => {
    const { rates, refused } = readRateFile('eurofxref.csv', 'Date,USD,JPY,\n2026-03-10,1.0850,162.10,\n');
    expect(refused).toEqual([]);
    expect(rates).toEqual({ source: 'eurofxref.csv', base: 'EUR', quotes: { '2026-03-10': { USD: '1.0850', JPY: '162.10' } } });
    const output = await settleMarch(rates);
    // 100.00 EUR + 108.50 USD / 1.0850 = 100.00 + 100.00 = 200.00 EUR base; 50 % = 100.00 payable.
    expect(output.statements.map((doc) => doc.payable)).toEqual(['100.00']);
    expect(output.run.inputs.rates.quotes).toEqual({ '2026-03-10': { USD: '1.0850', JPY: '162.10' } });
  });

  it('reads the plain date,base,quote,rate table against its base, and refuses rows against another base with the reason', () => {
    const text = 'date,base,quote,rate\n2026-03-10,EUR,USD,1.0850\n2026-03-11,EUR,USD,1.0900\n2026-03-10,USD,JPY,149.40\n2026-03-12,EUR,USD,abc\n';
    const { rates, refused } = readRateFile('bank.csv', text);
    expect(rates).toEqual({ source: 'bank.csv', base: 'EUR', quotes: { '2026-03-10': { USD: '1.0850' }, '2026-03-11': { USD: '1.0900' } } });
    expect(refused.map((each) => [each.line, each.code])).toEqual([[4, 'field_invalid'], [5, 'amount_not_decimal']]);
    expect(refused[0]?.reason).toContain('USD/JPY on 2026-03-10');
  });

  it('adds a second file to the desk\'s rates, counting the rates it replaces, and refuses another base', () => {
    const first = readRateFile('a.csv', 'Date,USD\n2026-03-10,1.0850\n').rates;
    const second = readRateFile('b.csv', 'Date,USD,GBP\n2026-03-10,1.0860,0.8390\n2026-03-11,1.0900,0.8400\n').rates;
    const merged = mergeRates(first, second);
    expect(merged.replaced).toBe(1);
    expect(merged.rates.quotes).toEqual({ '2026-03-10': { USD: '1.0860', GBP: '0.8390' }, '2026-03-11': { USD: '1.0900', GBP: '0.8400' } });
    const usdBased = readRateFile('c.csv', 'date,base,quote,rate\n2026-03-10,USD,JPY,149.40\n').rates;
    expect(() => mergeRates(first, usdBased)).toThrow(/^rates_base_differs: /);
  });
});
