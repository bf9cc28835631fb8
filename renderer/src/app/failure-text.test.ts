import { beforeAll, describe, expect, it } from 'vitest';
import { createException, transition } from '../../../core/exceptions/model.ts';
import { DeskError } from '../../desk/desk.ts';
import { i18next, startI18n } from '../../i18n/index.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../i18n/text-tree.test-support.ts';
import { registerReviewTexts, REVIEW_NS } from '../grid/texts.ts';
import { failureSaid } from './failure-text.ts';
import { failuresEn, failuresKo } from './failure-texts.ts';
import { sayIn } from './use-said.ts';

const T0 = '2026-03-01T09:00:00Z';
const sayBoth = (failure: unknown) => (['en', 'ko'] as const).map((locale) => sayIn(failureSaid(failure), i18next.getFixedT(locale, REVIEW_NS)));

describe('a step the desk refused, said in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });

  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(failuresEn), leaves(failuresKo));
    expect(latinOnlyKeys(leaves(failuresKo))).toEqual([]);
  });

  it('says the maker-checker refusal and an illegal transition by their codes, the statuses in words', () => {
    const maker = new DeskError('desk_maker_is_checker', 'ana made statement st_1 and cannot also check it', { id: 'st_1' });
    expect(sayBoth(maker)).toEqual(['Not recorded: you made this statement, so someone else must approve or reject it', '기록하지 못했습니다: 이 명세서를 작성했으므로 다른 사람이 승인하거나 반려해야 합니다']);
    // Core's own refusal: a resolved exception cannot be resolved again (it changed on another desk meanwhile).
    const record = createException({ type: 'unmatched', key: ['k'], severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [], details: {} }, T0);
    const resolved = transition(record, { to: 'resolved', by: 'ana', at: T0, reason: 'booked' });
    let illegal: unknown = null;
    try {
      transition(resolved, { to: 'resolved', by: 'bo', at: T0, reason: 'again' });
    } catch (error) {
      illegal = error;
    }
    expect(sayBoth(illegal)).toEqual([
      'Not done: an exception cannot go from Resolved to Resolved (it may have changed meanwhile)',
      '하지 못했습니다: 예외를 해결됨에서 해결됨(으)로 바꿀 수 없습니다 (그 사이에 바뀌었을 수 있습니다)',
    ]);
  });

  it('says a batch not arrived yet apart from a document no longer on the desk', () => {
    const batch = new DeskError('desk_not_found', 'batch imp.1:3 of an import on this desk has not arrived yet: a run over the month would miss its rows', { collection: 'import_batches', id: 'imp.1:3' });
    expect(sayBoth(batch)).toEqual([
      'Not run: batch imp.1:3 of an import on this desk has not arrived yet, and a run over the month would miss its rows; run it again once sync has brought it',
      '실행하지 못했습니다: 이 데스크에 있는 가져오기의 묶음 imp.1:3이(가) 아직 도착하지 않아 이 달의 실행에서 그 행이 빠집니다. 동기화가 가져온 뒤 다시 실행하세요',
    ]);
    expect(sayBoth(new DeskError('desk_not_found', 'no exception e1 on this desk', { collection: 'exceptions', id: 'e1' }))).toEqual(['Not done: it is no longer on this desk', '하지 못했습니다: 이 데스크에 더 이상 없습니다']);
  });

  it('keeps the message of a failure without a known code, in the failed-step words', () => {
    expect(sayBoth(new Error('IndexedDB quota exceeded'))).toEqual(['Failed: IndexedDB quota exceeded', '실패: IndexedDB quota exceeded']);
    expect(sayBoth(new DeskError('desk_document_invalid', 'exceptions document invalid at $.x: bad', { path: '$.x' }))).toEqual(['Failed: exceptions document invalid at $.x: bad', '실패: exceptions document invalid at $.x: bad']);
  });
});
