import type { TFunction } from 'i18next';
import { useCallback, useState } from 'react';

/** A message as a text key and its values: said in the language of the moment, not the one it was written in. */
export interface Said {
  readonly key: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The message a said key makes in the language of `t`; '' for none. */
export function sayIn(said: Said | null, t: TFunction): string {
  return said === null ? '' : t(said.key, said.params);
}

/**
 * A screen's status message kept as a key and values (a string written in words would stay in the
 * language of the moment it was written): `say(key, params)` sets it, `text` is it in `t`'s language.
 */
export function useSaid(t: TFunction): { readonly text: string; readonly say: (key: string | null, params?: Readonly<Record<string, unknown>>) => void } {
  const [said, setSaid] = useState<Said | null>(null);
  const say = useCallback((key: string | null, params?: Readonly<Record<string, unknown>>) => setSaid(key === null ? null : { key, params }), []);
  return { text: sayIn(said, t), say };
}
