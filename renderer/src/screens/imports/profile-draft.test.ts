import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvProfile } from '../../../../core/importers/csv-profile.ts';
import { importFiles } from '../../../engine/import-files.ts';
import { emptyDraft, kindValues, profileOf } from './profile-draft.ts';

describe('the mapping wizard\'s draft -> profile', () => {
  it('maps kind cells that name a kind and leaves the rest to be rejected', () => {
    expect(kindValues(['sale', 'Refund', 'giftcard', ' ', 'sale'])).toEqual({ sale: 'sale', Refund: 'refund' });
  });

  it('is refused by core while a required column is unnamed', () => {
    expect(() => parseCsvProfile(profileOf(emptyDraft('orders.csv'), []))).toThrow(/columns\.date|sign\.column/);
  });

  it('makes a profile that imports the US orders fixture as the hand-made one does', () => {
    const draft = {
      ...emptyDraft('orders-us-utf8-bom.csv'),
      amountFormat: 'en' as const,
      dateColumn: 'Date',
      dateFormat: 'MM/DD/YYYY' as const,
      amountColumn: 'Amount',
      currencyColumn: 'Currency',
      kind: 'column' as const,
      kindColumn: 'Type',
      id: 'reference' as const,
      referenceColumn: 'Order ID',
      descriptionColumn: 'Memo',
    };
    const profile = profileOf(draft, ['sale', 'refund', 'sale', 'giftcard']);
    expect(parseCsvProfile(profile).name).toBe('orders-us-utf8-bom');
    const bytes = new Uint8Array(readFileSync(new URL('../../../../core/importers/fixtures/csv/orders-us-utf8-bom.csv', import.meta.url)));
    const result = importFiles({ files: [{ name: 'orders.csv', bytes }], profiles: { 'orders.csv': profile }, known: [] }, () => {}, () => 0);
    // 9 data rows: import; 6 are rejected (bad amount, 6 cells, giftcard, XYZ, 0.015 USD, no Order ID).
    expect(result.files[0]).toMatchObject({ status: 'imported', rowsRead: 9 });
    expect(result.files[0]?.status === 'imported' && result.files[0].transactions.length).toBe(3);
    expect(result.files[0]?.status === 'imported' && result.files[0].rejected.length).toBe(6);
  });
});
