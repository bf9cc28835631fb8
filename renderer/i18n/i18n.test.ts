import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { ko } from './ko.ts';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

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
