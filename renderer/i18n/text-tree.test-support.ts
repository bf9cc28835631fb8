import { expect } from 'vitest';

/** A nested dictionary of UI texts, as the i18n resources and the review namespace are written. */
export type TextTree = { readonly [key: string]: string | TextTree };

/** Every text of a dictionary by its dotted key path ("settings.title"). */
export function textLeaves(tree: TextTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of textLeaves(value, path)) out.set(p, v);
  }
  return out;
}

/** The {{placeholders}} of a text, sorted: a translation must use the same ones. */
export const placeholdersOf = (text: string): (string | undefined)[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** A translation has exactly the English keys, each with the English text's placeholders. */
export function expectSameKeysAndPlaceholders(english: Map<string, string>, translated: Map<string, string>): void {
  expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
  for (const [key, text] of english) expect(placeholdersOf(translated.get(key) ?? ''), key).toEqual(placeholdersOf(text));
}

/** The keys of Korean texts with a Latin word (4+ letters outside placeholders) and no Hangul: left untranslated. */
export function latinOnlyKeys(korean: Map<string, string>, allowed: readonly string[] = []): string[] {
  return [...korean].filter(([key, text]) => /[a-z]{4,}/i.test(text.replace(/\{\{\w+\}\}/g, '')) && !/[\uac00-\ud7a3]/.test(text) && !allowed.includes(key)).map(([key]) => key);
}
