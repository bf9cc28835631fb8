import { describe, expect, it } from 'vitest';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { syncRefusedEn, syncRefusedKo } from './texts.ts';

describe('the Sync screen\'s refused-documents texts', () => {
  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    const english = leaves(syncRefusedEn);
    const korean = leaves(syncRefusedKo);
    expectSameKeysAndPlaceholders(english, korean);
    expect(latinOnlyKeys(korean)).toEqual([]);
  });
});
