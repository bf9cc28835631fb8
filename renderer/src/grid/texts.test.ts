import { describe, expect, it } from 'vitest';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../i18n/text-tree.test-support.ts';
import { reviewEn } from './texts-en.ts';
import { reviewKo } from './texts-ko.ts';

describe('review texts', () => {
  const english = leaves(reviewEn);
  const korean = leaves(reviewKo);

  it('Korean has every English key with the same placeholders', () => {
    expectSameKeysAndPlaceholders(english, korean);
  });

  it('Korean sentences are written in Hangul', () => {
    expect(latinOnlyKeys(korean, ['settlements.hashLabel'])).toEqual([]);
  });
});
