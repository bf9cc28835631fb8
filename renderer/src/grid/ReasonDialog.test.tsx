// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../i18n/index.ts';
import { ReasonDialog } from './ReasonDialog.tsx';
import { reasonCountText } from './reason-limit.ts';
import { registerReviewTexts, REVIEW_NS } from './texts.ts';

describe('a reason no longer than its audit event holds', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });

  it('limits the field to 2,000 characters and says no count while far from it', () => {
    const html = renderToStaticMarkup(<ReasonDialog title="Resolve 1 exception" reasonRequired confirmLabel="Apply" onConfirm={() => undefined} onCancel={() => undefined} />);
    expect(html).toMatch(/<textarea [^>]*maxLength="2000"/);
    expect(html).not.toContain('data-testid="reason-count"');
  });

  it('says the count from 1,800 characters on, in each language and number format', () => {
    const en = i18next.getFixedT('en', REVIEW_NS);
    const ko = i18next.getFixedT('ko', REVIEW_NS);
    expect(reasonCountText(1_799, en, 'en')).toBeNull();
    expect(reasonCountText(1_800, en, 'en')).toBe('1,800 of 2,000 characters');
    expect(reasonCountText(2_000, ko, 'en')).toBe('2,000자 중 2,000자');
    expect(reasonCountText(1_850, en, 'de')).toBe('1.850 of 2.000 characters');
  });
});
