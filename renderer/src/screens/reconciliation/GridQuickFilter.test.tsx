// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts } from '../../grid/texts.ts';
import { GridQuickFilter } from './GridQuickFilter.tsx';

describe('a paged grid\'s quick filter', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('is a labelled search field named after its grid, in English and Korean', async () => {
    const render = (grid: string) => renderToStaticMarkup(<GridQuickFilter id="q" grid={grid} value="po_9" onChange={() => undefined} />);
    expect(render('Matched groups')).toBe('<label class="sd-quick-filter" for="q"><span>Quick filter</span><input id="q" type="search" aria-label="Quick filter: Matched groups" placeholder="Type to filter every column…" value="po_9"/></label>');
    await i18next.changeLanguage('ko');
    expect(render('제안')).toBe('<label class="sd-quick-filter" for="q"><span>빠른 필터</span><input id="q" type="search" aria-label="빠른 필터: 제안" placeholder="모든 열에서 찾을 내용을 입력하세요…" value="po_9"/></label>');
  });
});
