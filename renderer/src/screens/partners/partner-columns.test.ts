import { beforeAll, describe, expect, it } from 'vitest';
import { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import type { AgreementVersionDoc } from '../../../../core/sync/documents.ts';
import { formatDate } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { partnerColumns, partnerRowOf } from './partner-columns.ts';
import { PARTNERS_NS, registerPartnersTexts } from './texts.ts';
import { agreementHistories } from './versions.ts';

describe('the Partners grid\'s columns', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerPartnersTexts();
  });

  // Version 1 in force from 15 Jan 2025, open-ended; version 2 saved to start on 1 Jul 2026 and end on 31 Dec 2027.
  const v1 = AgreementVersion.parse({ agreementId: 'AGR-P1', partnerId: 'P1', version: 1, effectiveFrom: '2025-01-15', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '70' } } });
  const v2 = AgreementVersion.parse({ ...v1, version: 2, effectiveFrom: '2026-07-01', effectiveTo: '2027-12-31' });
  const doc: AgreementVersionDoc = { id: 'AGR-P1@2', agreement: v2, createdBy: 'ana', createdAt: '2026-04-02T09:00:00.000Z' };
  const [history] = agreementHistories([v1], [doc]);

  const cells = (locale: 'en' | 'ko', dateStyle: 'iso' | 'locale', asOf: string) => {
    const row = partnerRowOf(history!, asOf);
    const columns = partnerColumns(i18next.getFixedT(locale, PARTNERS_NS), (value) => formatDate(value, { locale, dateStyle }));
    return Object.fromEntries(
      columns.filter((column) => ['from', 'to', 'scheduled'].includes(column.id)).map((column) => {
        const value = column.value(row);
        return [column.id, { value, shown: column.display?.(value, row) }];
      }),
    );
  };

  it('show the dates in the desk\'s date style over the ISO dates underneath (sorting, copies and exports keep those)', () => {
    expect(cells('ko', 'locale', '2026-04-02')).toEqual({
      from: { value: '2025-01-15', shown: '2025. 1. 15.' },
      to: { value: null, shown: '종료일 없음' },
      scheduled: { value: '2026-07-01부터 v2', shown: '2026. 7. 1.부터 v2' },
    });
    expect(cells('en', 'locale', '2026-04-02')).toEqual({
      from: { value: '2025-01-15', shown: '15 Jan 2025' },
      to: { value: null, shown: 'open-ended' },
      scheduled: { value: 'v2 from 2026-07-01', shown: 'v2 from 1 Jul 2026' },
    });
    expect(cells('ko', 'iso', '2026-04-02')).toEqual({
      from: { value: '2025-01-15', shown: '2025-01-15' },
      to: { value: null, shown: '종료일 없음' },
      scheduled: { value: '2026-07-01부터 v2', shown: '2026-07-01부터 v2' },
    });
  });

  it('show a version\'s end date once the scheduled version is in force', () => {
    expect(cells('ko', 'locale', '2026-08-01')).toEqual({
      from: { value: '2026-07-01', shown: '2026. 7. 1.' },
      to: { value: '2027-12-31', shown: '2027. 12. 31.' },
      scheduled: { value: '', shown: '' },
    });
  });
});
