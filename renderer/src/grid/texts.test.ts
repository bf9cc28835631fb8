import { describe, expect, it } from 'vitest';
import { placeholdersOf as placeholders, textLeaves as leaves } from '../../i18n/text-tree.test-support.ts';
import { reviewEn } from './texts-en.ts';
import { reviewKo } from './texts-ko.ts';

describe('review texts', () => {
  const english = leaves(reviewEn);
  const korean = leaves(reviewKo);

  it('Korean has every English key with the same placeholders', () => {
    expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english) expect(placeholders(korean.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('Korean sentences are written in Hangul', () => {
    const latinOnly = [...korean].filter(([key, text]) => /[a-z]{4,}/i.test(text.replace(/\{\{\w+\}\}/g, '')) && !/[\uac00-\ud7a3]/.test(text) && key !== 'settlements.hashLabel');
    expect(latinOnly.map(([key]) => key)).toEqual([]);
  });
});
