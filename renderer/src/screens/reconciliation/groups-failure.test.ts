import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../engine/client.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { groupsFailureText } from './groups-failure.ts';
import { GROUPS_FAILURE_NS, groupsFailureEn, groupsFailureKo, registerGroupsFailureTexts } from './groups-failure-texts.ts';

const say = (locale: 'en' | 'ko', failure: Error) => groupsFailureText(failure, i18next.getFixedT(locale, GROUPS_FAILURE_NS));

describe('a matched groups failure in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerGroupsFailureTexts();
  });

  it('Korean has every English key with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(groupsFailureEn), leaves(groupsFailureKo));
    expect(latinOnlyKeys(leaves(groupsFailureKo))).toEqual([]);
  });

  it('says a known engine code in the desk\'s language, not the engine\'s English', () => {
    // As engine/client.ts rejects a sort group-pages.ts refuses (ReviewQueryError through the worker).
    const sort = new EngineError('review_sort_unsupported', 'no group column nope');
    expect(sort.message).toBe('review_sort_unsupported: no group column nope');
    expect(say('en', sort)).toBe('The matched groups cannot be sorted by that column');
    expect(say('ko', sort)).toBe('일치 그룹은 이 열로 정렬할 수 없습니다');
    expect(say('ko', new EngineError('engine_crashed', 'Uncaught RangeError'))).toBe('계산 엔진이 예기치 않게 멈췄습니다. 화면을 다시 불러와 엔진을 다시 시작하세요');
  });

  it('keeps the message of an unknown code or a failure without one', () => {
    expect(say('ko', new EngineError('something_new', 'a new failure'))).toBe('something_new: a new failure');
    expect(say('ko', new Error('no month to ask'))).toBe('no month to ask');
  });
});
