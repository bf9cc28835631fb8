import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../grid/texts.ts';
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
});
