import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { EngineError } from '../../../engine/client.ts';
import { itemsFailureText } from './groups-failure.ts';
import { registerSuggestionsTexts, SUGGESTIONS_NS, suggestionsEn, suggestionsKo } from './suggestion-texts.ts';

describe('the suggestions grid\'s words', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerSuggestionsTexts();
  });

  it('Korean has every English key with the same placeholders, in Hangul (PSP is a name)', () => {
    expectSameKeysAndPlaceholders(leaves(suggestionsEn), leaves(suggestionsKo));
    expect(latinOnlyKeys(leaves(suggestionsKo))).toEqual([]);
  });

  it('says a refused sort of the suggestions by its code in either language', () => {
    const refused = new EngineError('review_sort_unsupported', 'no suggestion column nope');
    expect(itemsFailureText(refused, i18next.getFixedT('ko', SUGGESTIONS_NS))).toBe('제안은 이 열로 정렬할 수 없습니다');
    expect(itemsFailureText(refused, i18next.getFixedT('en', SUGGESTIONS_NS))).toBe('The suggestions cannot be sorted by that column');
    expect(i18next.getFixedT('ko', SUGGESTIONS_NS)('heading', { count: 3461 })).toBe('제안 (3461)');
  });
});
