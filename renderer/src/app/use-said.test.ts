import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../grid/texts.ts';
import { registerUnmatchedTexts, UNMATCHED_NS } from '../screens/reconciliation/unmatched-texts.ts';
import { sayIn } from './use-said.ts';

describe('a status message said in the language of the moment', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });

  it('is the same key and values said in English, then in Korean', () => {
    const said = { key: 'grid.exportSaved', params: { name: 'P001-2026-03-r1-lines-unsigned.csv' } };
    expect(sayIn(said, i18next.getFixedT('en', REVIEW_NS))).toBe('Saved P001-2026-03-r1-lines-unsigned.csv');
    expect(sayIn(said, i18next.getFixedT('ko', REVIEW_NS))).toBe('P001-2026-03-r1-lines-unsigned.csv 저장됨');
    expect(sayIn(null, i18next.getFixedT('ko', REVIEW_NS))).toBe('');
  });

  it('says a key of another namespace through its values (the Reconciliation status line\'s refused match by hand)', () => {
    registerUnmatchedTexts();
    const said = { key: 'tooMany', params: { ns: UNMATCHED_NS, max: 500 } };
    expect(sayIn(said, i18next.getFixedT('en', REVIEW_NS))).toBe('A match by hand holds at most 500 items on each side.');
    expect(sayIn(said, i18next.getFixedT('ko', REVIEW_NS))).toBe('수동 매칭은 한쪽에 최대 500건까지 할 수 있습니다.');
    expect(sayIn({ key: 'reconciliation.matchMixed' }, i18next.getFixedT('ko', REVIEW_NS))).toBe('양쪽 모두 한 통화의 항목만 고르세요.');
  });
});
