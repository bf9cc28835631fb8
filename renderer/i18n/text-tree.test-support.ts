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
