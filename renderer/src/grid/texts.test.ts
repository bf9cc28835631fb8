import { describe, expect, it } from 'vitest';
import { reviewEn } from './texts-en.ts';
import { reviewKo } from './texts-ko.ts';

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
