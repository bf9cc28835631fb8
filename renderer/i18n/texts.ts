import i18next from 'i18next';
import type { Locale } from './format.ts';

/**
 * Screens outside the shell bring their own texts under their own namespace, in every
 * language at once (the type refuses a screen without Korean):
 *   registerScreenTexts('exceptions', { en: {...}, ko: {...} });
 *   const { t } = useTranslation('exceptions');
 */
export type ScreenTexts = { readonly [key: string]: string | ScreenTexts };

/** The shape of a text tree with every string widened: the Korean tree must have the English one's keys, not its words. */
export type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

type Registration = readonly [namespace: string, texts: Readonly<Record<Locale, ScreenTexts>>];

/** Registrations made before i18next was started, in call order; emptied once it is. */
const waiting: Registration[] = [];
/** The bundles each namespace was given so far. */
const registered = new Map<string, Set<ScreenTexts>>();
let listening = false;

function add([namespace, texts]: Registration): void {
  for (const [locale, bundle] of Object.entries(texts)) i18next.addResourceBundle(locale, namespace, bundle, true, true);
}

/**
 * Safe in any order: a screen module may be imported before startI18n (tests, another entry
 * point), when i18next has no store yet and addResourceBundle does not exist; its texts then wait
 * for i18next's 'initialized' event.
 */
export function registerScreenTexts(namespace: string, texts: Readonly<Record<Locale, ScreenTexts>>): void {
  // The same bundles again (a module registering at its first render, imported by two screens) are added once;
  // different bundles for a namespace still merge (hot reload).
  const seen = registered.get(namespace) ?? new Set<ScreenTexts>();
  const bundles = Object.values(texts);
  if (bundles.every((bundle) => seen.has(bundle))) return;
  for (const bundle of bundles) seen.add(bundle);
  registered.set(namespace, seen);
  if (i18next.isInitialized) {
    add([namespace, texts]);
    return;
  }
  waiting.push([namespace, texts]);
  if (listening) return;
  listening = true;
  i18next.on('initialized', () => {
    for (const registration of waiting.splice(0)) add(registration);
  });
}
