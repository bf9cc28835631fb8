import type { TFunction } from 'i18next';
import { SUGGESTION_REASON_TEXTS, type SuggestionReason } from '../../../../core/reconcile/suggest.ts';

/** Money and counts as the analyst reads them (useFormat's shape). */
export interface ReasonFormat {
  readonly money: (amount: string, currency: string) => string;
  readonly count: (count: number) => string;
}

const MONEY: ReadonlySet<string> = new Set(['amount', 'sum']);
const COUNTS: ReadonlySet<string> = new Set(['days', 'lines']);

/** The value a reason's placeholder is filled with: its fact, an amount with the locale's grouping, a count as a count. */
function valueOf(name: string, params: Readonly<Record<string, string>>, format: ReasonFormat): string {
  const value = params[name];
  if (value === undefined) return '';
  if (MONEY.has(name)) return params.currency === undefined ? value : format.money(value, params.currency);
  return COUNTS.has(name) ? format.count(Number(value)) : value;
}

// Each template split once into its text and placeholder names (text at even places, names at odd): the worker fills thousands.
const splitTemplates = new Map<string, readonly string[]>();
function split(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (parts === undefined) {
    parts = template.split(/\{\{([^{}]+)\}\}/).map((part, at) => (at % 2 === 1 ? part.trim() : part));
    splitTemplates.set(template, parts);
  }
  return parts;
}

/** Each kind of reason's words with their {{placeholders}}, in the language of `t` (bound to SUGGESTION_REASONS_NS): sent to the engine worker, which has no i18next. */
export function reasonTemplates(t: TFunction): Readonly<Record<string, string>> {
  // Asked without values, i18next leaves each {{placeholder}} as written.
  return Object.fromEntries(SUGGESTION_REASON_TEXTS.map((says) => [says, t(says)]));
}

/**
 * A suggestion's reason in the words reasonTemplates gave: amounts with the locale's grouping,
 * counts as counts, references as written; core's English detail for a code these words do not
 * know. The screen shows it and the worker sorts and filters on it: one text in either place.
 */
export function reasonTextOf(reason: Pick<SuggestionReason, 'says' | 'params' | 'detail'>, templates: Readonly<Record<string, string>>, format: ReasonFormat): string {
  const template = templates[reason.says];
  if (template === undefined || !SUGGESTION_REASON_TEXTS.includes(reason.says)) return reason.detail;
  let text = '';
  split(template).forEach((part, at) => {
    text += at % 2 === 1 ? valueOf(part, reason.params, format) : part;
  });
  return text;
}
