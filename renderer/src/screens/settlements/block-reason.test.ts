import { beforeAll, describe, expect, it } from 'vitest';
import { createException } from '../../../../core/exceptions/model.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import { blockReasonsFor } from '../../../engine/settle.ts';
import { formatCount, formatDate, formatMoney } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { exceptionTitle } from '../exceptions/exception-title.ts';
import { EXCEPTION_TITLES_NS, registerExceptionTitleTexts } from '../exceptions/title-texts.ts';
import { blockReason } from './block-reason.ts';

/** A critical bank return of partner studio-a in March, with the facts from-reconcile.ts keeps for its title. */
const record = createException(
  {
    type: 'unmatched',
    key: ['bank', 'b1'],
    severity: 'critical',
    title: 'bank movement not explained by the PSP or the internal ledger: -1234.50 EUR on 2026-03-04',
    amountAtRisk: { amount: '1234.50', currency: 'EUR' },
    partnerId: 'studio-a',
    period: '2026-03',
    sourceRefs: [{ kind: 'transaction', id: 'b1', line: null }],
    details: { side: 'bank', kind: 'transfer', amount: '-1234.50', currency: 'EUR', date: '2026-03-04' },
  },
  '2026-03-05T00:00:00Z',
);
const doc: ExceptionDoc = { ...record, updatedBy: 'ana', conflicts: [] };

function reasonsIn(locale: 'en' | 'ko', reasons: readonly string[], held: readonly ExceptionDoc[]): string[] {
  const format = { money: (amount: string, currency: string) => formatMoney(amount, currency, 'en'), count: (count: number) => formatCount(count, 'en'), date: (value: string) => formatDate(value, { locale, dateStyle: 'locale' }) };
  const title = (each: ExceptionDoc) => exceptionTitle(each, i18next.getFixedT(locale, EXCEPTION_TITLES_NS), format);
  const byId = new Map(held.map((each) => [each.id, each]));
  return reasons.map((reason) => blockReason(reason, byId, i18next.getFixedT(locale, REVIEW_NS), title));
}

describe('a statement\'s block reasons in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
    registerExceptionTitleTexts();
  });

  it('names the blocking exception by its title in the desk\'s language', () => {
    const reasons = blockReasonsFor('studio-a', '2026-03', [doc]);
    expect(reasons).toEqual([`open critical exception ${doc.id}: bank movement not explained by the PSP or the internal ledger: -1234.50 EUR on 2026-03-04`]);
    expect(reasonsIn('en', reasons, [doc])).toEqual([`open critical exception ${doc.id}: bank movement not explained by the PSP or the internal ledger: -1,234.50 EUR on 4 Mar 2026`]);
    expect(reasonsIn('ko', reasons, [doc])).toEqual([`미해결 심각 예외 ${doc.id}: PSP나 내부 원장으로 설명되지 않는 은행 거래: 2026. 3. 4. -1,234.50 EUR`]);
  });

  it('keeps the stored English when the desk no longer holds the exception or the reason has another shape', () => {
    const reasons = [...blockReasonsFor('studio-a', '2026-03', [doc]), 'a reason of another shape'];
    expect(reasonsIn('ko', reasons, [])).toEqual(reasons);
  });
});
