import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../engine/client.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { itemsFailureText } from './groups-failure.ts';
import { registerUnmatchedTexts, UNMATCHED_NS, unmatchedEn, unmatchedKo } from './unmatched-texts.ts';

describe('the unmatched items grids\' words', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerUnmatchedTexts();
  });

  it('Korean has every English key with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(unmatchedEn), leaves(unmatchedKo));
    expect(latinOnlyKeys(leaves(unmatchedKo))).toEqual([]);
  });

  it('says a refused sort by its code in either language, and keeps any other failure\'s message', () => {
    const refused = new EngineError('review_sort_unsupported', 'no item column nope');
    expect(itemsFailureText(refused, i18next.getFixedT('ko', UNMATCHED_NS))).toBe('미일치 항목은 이 열로 정렬할 수 없습니다');
    expect(itemsFailureText(refused, i18next.getFixedT('en', UNMATCHED_NS))).toBe('The unmatched items cannot be sorted by that column');
    expect(itemsFailureText(new EngineError('engine_failed', 'boom'), i18next.getFixedT('en', UNMATCHED_NS))).toBe('engine_failed: boom');
    expect(i18next.getFixedT('ko', UNMATCHED_NS)('selectAll', { count: 12 })).toBe('12건 모두 선택');
  });
});
