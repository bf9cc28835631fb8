import { describe, expect, it } from 'vitest';
import { placeholdersOf as placeholders, textLeaves as leaves } from './text-tree.test-support.ts';
import { en } from './en.ts';
import { ko } from './ko.ts';

describe('English and Korean texts', () => {
  const english = leaves(en);
  const korean = leaves(ko);

  it('have the same keys, none empty', () => {
    expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of korean) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in each text', () => {
    for (const [key, text] of english) expect(placeholders(korean.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('Korean is actually Korean where English has words', () => {
    const untranslated = [...korean].filter(([key, text]) => text === english.get(key) && /[a-z]{4,}/.test(text) && !key.startsWith('language.') && key !== 'app.name');
    // The only identical texts are names and codes (ISO, URL, PSP), not sentences.
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });
});
