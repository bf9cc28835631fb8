import { describe, expect, it } from 'vitest';
import { describeKey } from './fields.ts';

describe('what a field key names', () => {
  it('finds the field, and the tier, override or table entry inside it', () => {
    expect(describeKey('terms.share.tiers.1.rate')).toMatchObject({ spec: { id: 'tiers' }, overrideIndex: null, tier: 2, tierPart: 'rate', entry: null });
    expect(describeKey('terms.share.tiers.0')).toMatchObject({ spec: { id: 'tiers' }, tier: 1, tierPart: null });
    expect(describeKey('terms.productOverrides.0.share.method')).toMatchObject({ spec: { id: 'method' }, overrideIndex: 0, tier: null });
    expect(describeKey('terms.productOverrides.1.productId')).toMatchObject({ spec: null, overrideIndex: 1 });
    expect(describeKey('terms.vatOnFees.ratesByJurisdiction.DE')).toMatchObject({ spec: { id: 'vatRates' }, entry: 'DE' });
    expect(describeKey('terms.fx.lookbackDaysMax')).toMatchObject({ spec: { id: 'fxLookbackDays' }, entry: null });
    expect(describeKey('nowhere.at.all')).toMatchObject({ spec: null, entry: null });
  });
});
