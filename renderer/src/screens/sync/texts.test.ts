import { describe, expect, it } from 'vitest';
import { placeholdersOf as placeholders, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { syncRefusedEn, syncRefusedKo } from './texts.ts';

describe('the Sync screen\'s refused-documents texts', () => {
  it('Korean has every English key, with the same placeholders, in Hangul', () => {
    const english = leaves(syncRefusedEn);
    const korean = leaves(syncRefusedKo);
    expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english) expect(placeholders(korean.get(key) ?? ''), key).toEqual(placeholders(text));
    const latinOnly = [...korean].filter(([, text]) => /[a-z]{4,}/i.test(text.replace(/\{\{\w+\}\}/g, '')) && !/[\uac00-\ud7a3]/.test(text));
    expect(latinOnly.map(([key]) => key)).toEqual([]);
  });
});
