import { beforeAll, describe, expect, it } from 'vitest';
import { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import type { AgreementVersionDoc } from '../../../../core/sync/documents.ts';
import { nextVersionDraft, withValue } from './draft.ts';
import { formatDate, formatMonthDay } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { PARTNERS_NS, registerPartnersTexts } from './texts.ts';
import { agreementHistories, changeText, diffVersions, historyOn, standingOn, statusOn } from './versions.ts';

const v1 = AgreementVersion.parse({ agreementId: 'AGR-P1', partnerId: 'P1', version: 1, effectiveFrom: '2025-01-01', partnerJurisdiction: 'DE', settlementCurrency: 'EUR', terms: { share: { rate: '70' } } });
const other = AgreementVersion.parse({ agreementId: 'AGR-P0', partnerId: 'P0', version: 1, effectiveFrom: '2026-05-01', effectiveTo: null, partnerJurisdiction: 'KR', settlementCurrency: 'KRW', terms: { share: { rate: '60' } } });

describe('agreement versions on the Partners screen', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerPartnersTexts();
  });

  it('a saved version joins its agreement\'s history and becomes the current one', () => {
    const v2 = { ...withValue(nextVersionDraft(v1, 1), 'terms.share.tiers.0.rate', '75') };
    const doc: AgreementVersionDoc = { id: 'AGR-P1@2', agreement: v2, createdBy: 'ana', createdAt: '2026-04-02T09:00:00.000Z' };
    const histories = agreementHistories([v1, other], [doc]);
    expect(histories.map((each) => each.agreementId)).toEqual(['AGR-P0', 'AGR-P1']);
    const p1 = histories[1];
    expect(p1?.versions.map((each) => [each.agreement.version, each.source])).toEqual([[1, 'file'], [2, 'desk']]);
    expect(p1?.latest.agreement.version).toBe(2);
    expect(p1?.latest.createdBy).toBe('ana');
    // v2 keeps v1's start date, so it is the one in force from then on.
    expect(historyOn(p1!, '2026-04-02').inForce?.agreement.version).toBe(2);
  });

  it('a diff shows dates and a contract-year start in the desk\'s date style, and everything else as stored', () => {
    const contractYear = withValue(withValue(nextVersionDraft(v1, 1), 'terms.share.period', 'contract-year'), 'terms.share.contractYearStart', '03-15');
    const v2 = withValue(withValue(contractYear, 'effectiveFrom', '2026-04-01'), 'effectiveTo', '2026-12-31');
    const changes = diffVersions(v1, v2);
    const shown = (locale: 'en' | 'ko', dateStyle: 'iso' | 'locale') => {
      const t = i18next.getFixedT(locale, PARTNERS_NS);
      const format = { date: (value: string) => formatDate(value, { locale, dateStyle }), monthDay: (value: string) => formatMonthDay(value, { locale, dateStyle }), openEnded: t('openEnded'), yes: t('history.yes'), no: t('history.no'), option: (fieldId: string, value: string) => t(`options.${fieldId}.${value}`) };
      return changes.map((change) => [change.path, changeText(change.path, change.before, format), changeText(change.path, change.after, format)]);
    };
    // No end date before (stored as null): open-ended; the default start 01-01 before the contract year was chosen; the tier period by its words.
    expect(shown('ko', 'locale')).toEqual([
      ['effectiveFrom', '2025. 1. 1.', '2026. 4. 1.'],
      ['effectiveTo', '종료일 없음', '2026. 12. 31.'],
      ['terms.share.contractYearStart', '1월 1일', '3월 15일'],
      ['terms.share.period', '기간마다 초기화', '계약 연도 동안 누적'],
    ]);
    expect(shown('en', 'locale')).toEqual([
      ['effectiveFrom', '1 Jan 2025', '1 Apr 2026'],
      ['effectiveTo', 'open-ended', '31 Dec 2026'],
      ['terms.share.contractYearStart', '1 Jan', '15 Mar'],
      ['terms.share.period', 'Reset each period', 'Accumulate over the contract year'],
    ]);
    expect(shown('ko', 'iso')).toEqual([
      ['effectiveFrom', '2025-01-01', '2026-04-01'],
      ['effectiveTo', '종료일 없음', '2026-12-31'],
      ['terms.share.contractYearStart', '01-01', '03-15'],
      ['terms.share.period', '기간마다 초기화', '계약 연도 동안 누적'],
    ]);
    // Yes/no fields in words: a minimum guarantee made recoupable (default false) and no longer applied in empty periods (default true).
    const guarantee = withValue(withValue(nextVersionDraft(v1, 1), 'terms.minimumGuarantee.recoupable', true), 'terms.minimumGuarantee.applyInEmptyPeriods', false);
    const yesNo = diffVersions(v1, guarantee);
    expect(yesNo.map((change) => [change.path, change.before, change.after])).toEqual([
      ['terms.minimumGuarantee.applyInEmptyPeriods', 'true', 'false'],
      ['terms.minimumGuarantee.recoupable', 'false', 'true'],
    ]);
    const said = (locale: 'en' | 'ko') => {
      const t = i18next.getFixedT(locale, PARTNERS_NS);
      const words = { date: (value: string) => value, monthDay: (value: string) => value, openEnded: t('openEnded'), yes: t('history.yes'), no: t('history.no'), option: (_field: string, value: string) => value };
      return yesNo.map((change) => [changeText(change.path, change.before, words), changeText(change.path, change.after, words)]);
    };
    expect(said('en')).toEqual([['Yes', 'No'], ['No', 'Yes']]);
    expect(said('ko')).toEqual([['예', '아니요'], ['아니요', '예']]);
    // A product override's own share says its contract-year start the same way; an absent side stays absent.
    expect(changeText('terms.productOverrides.0.share.contractYearStart', '07-01', { date: (value) => value, monthDay: (value) => formatMonthDay(value, { locale: 'ko', dateStyle: 'locale' }), openEnded: '-', yes: 'y', no: 'n', option: (_field, value) => value })).toBe('7월 1일');
    expect(changeText('terms.share.contractYearStart', null, { date: (value) => value, monthDay: (value) => value, openEnded: '-', yes: 'y', no: 'n', option: (_field, value) => value })).toBeNull();
  });

  it('the diff between versions lists exactly the fields that changed', () => {
    const v2 = withValue(withValue(nextVersionDraft(v1, 1), 'terms.share.tiers.0.rate', '75'), 'terms.minimumPayout', '50.00');
    expect(diffVersions(v1, v2)).toEqual([
      { path: 'terms.minimumPayout', before: '0', after: '50.00' },
      { path: 'terms.share.tiers.0.rate', before: '70', after: '75' },
    ]);
    // A table filled in, and a second tier, show field by field.
    const v3 = withValue(withValue(v2, 'terms.withholding.ratesByJurisdiction', { DE: '15' }), 'terms.share.tiers', [{ from: '0', to: '1000', rate: '75' }, { from: '1000', to: null, rate: '80' }]);
    expect(diffVersions(v2, v3)).toEqual([
      { path: 'terms.share.tiers.0.to', before: 'null', after: '1000' },
      { path: 'terms.share.tiers.1.from', before: null, after: '1000' },
      { path: 'terms.share.tiers.1.rate', before: null, after: '80' },
      { path: 'terms.share.tiers.1.to', before: null, after: 'null' },
      { path: 'terms.withholding.ratesByJurisdiction', before: '{}', after: null },
      { path: 'terms.withholding.ratesByJurisdiction.DE', before: null, after: '15' },
    ]);
  });

  it('in force on a date is the version that starts on or before it, not a higher future-dated one, which is scheduled', () => {
    // v1 70 % from 2025-01-01; v2 75 % saved on the desk but starting 2026-06-01.
    const v2 = { ...withValue(nextVersionDraft(v1, 1), 'terms.share.tiers.0.rate', '75'), effectiveFrom: '2026-06-01' };
    const doc: AgreementVersionDoc = { id: 'AGR-P1@2', agreement: v2, createdBy: 'ana', createdAt: '2026-04-02T09:00:00.000Z' };
    const [, p1] = agreementHistories([v1, other], [doc]);
    // The next draft is made from the highest version, whatever its date.
    expect(p1?.latest.agreement.version).toBe(2);
    const april = historyOn(p1!, '2026-04-15');
    expect(april.inForce?.agreement.version).toBe(1);
    expect(april.scheduled.map((each) => each.agreement.version)).toEqual([2]);
    expect(april.status).toBe('active');
    expect([1, 2].map((version) => standingOn(p1!, version, '2026-04-15'))).toEqual(['current', 'scheduled']);
    // From its start date v2 is in force and v1 is superseded.
    const june = historyOn(p1!, '2026-06-01');
    expect(june.inForce?.agreement.version).toBe(2);
    expect(june.scheduled).toEqual([]);
    expect([1, 2].map((version) => standingOn(p1!, version, '2026-06-01'))).toEqual(['superseded', 'current']);
    // The period being viewed decides, not today: in March 2026 v1 was in force.
    expect(historyOn(p1!, '2026-03-31').inForce?.agreement.version).toBe(1);
  });

  it('an agreement whose only version starts later has none in force, and is scheduled', () => {
    const [p0] = agreementHistories([other], []);
    const before = historyOn(p0!, '2026-04-30');
    expect(before.inForce).toBeNull();
    expect(before.scheduled.map((each) => each.agreement.agreementId)).toEqual(['AGR-P0']);
    expect(before.status).toBe('scheduled');
    expect(standingOn(p0!, 1, '2026-04-30')).toBe('scheduled');
    expect(historyOn(p0!, '2026-05-01').status).toBe('active');
  });

  it('an ended agreement shows its last version in force as ended', () => {
    const ended = AgreementVersion.parse({ ...v1, effectiveTo: '2025-12-31' });
    const [p1] = agreementHistories([ended], []);
    const after = historyOn(p1!, '2026-01-01');
    expect(after.inForce?.agreement.version).toBe(1);
    expect(after.status).toBe('ended');
    expect(standingOn(p1!, 1, '2026-01-01')).toBe('ended');
  });

  it('status on a date: scheduled before the start, ended after an inclusive end', () => {
    expect(statusOn(other, '2026-04-30')).toBe('scheduled');
    expect(statusOn(other, '2026-05-01')).toBe('active');
    expect(statusOn({ effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31' }, '2025-12-31')).toBe('active');
    expect(statusOn({ effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31' }, '2026-01-01')).toBe('ended');
  });
});
