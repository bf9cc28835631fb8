import type { Suggestion } from '../../core/reconcile/index.ts';
import { formatCount, formatMoney, type NumberFormatName } from '../i18n/format.ts';
import { reasonTextOf } from '../src/screens/reconciliation/reason-text.ts';
import { LastView, shownRows, type ListQuery, type PagedColumns } from './group-pages.ts';
import type { HandMatched } from './unmatched-items.ts';

/**
 * The Reconciliation screen's suggestions a block at a time, as its matched groups and unmatched
 * items are: a month of 90,000 payouts leaves thousands of suggestions, which drawn as one table
 * from the review's whole answer were a long main-thread task. A suggestion whose PSP or bank side
 * was all matched by hand since has nothing left to accept and is left out.
 */
export const SUGGESTION_COLUMN_IDS = ['score', 'reasons', 'psp', 'bank', 'ids'] as const;
export type SuggestionColumnId = (typeof SUGGESTION_COLUMN_IDS)[number];

/**
 * The Why column's text as the screen shows it: each reason in the screen's words (`templates`,
 * reason-text.ts reasonTemplates) with amounts and counts in its number format, so a column filter
 * or the quick filter finds what the analyst reads, in either language.
 */
export function whyText(suggestion: Suggestion, templates: Readonly<Record<string, string>>, numberFormat: NumberFormatName): string {
  const format = { money: (amount: string, currency: string) => formatMoney(amount, currency, numberFormat), count: (count: number) => formatCount(count, numberFormat) };
  return suggestion.reasons.map((reason) => reasonTextOf(reason, templates, format)).join(' · ');
}

/** Each column's text, sorted and filtered on here and shown by the screen's suggestions grid; `why` is the reasons as shown (whyText). */
export function suggestionListColumns(why: (suggestion: Suggestion) => string): PagedColumns<Suggestion, SuggestionColumnId> {
  return {
    noun: 'suggestion',
    ids: SUGGESTION_COLUMN_IDS,
    textOf: {
      // Core rounds a score to 4 decimals: exact as a decimal text with 4 digits.
      score: (suggestion) => suggestion.score.toFixed(4),
      reasons: why,
      psp: (suggestion) => String(suggestion.leftIds.length),
      bank: (suggestion) => String(suggestion.rightIds.length),
      ids: (suggestion) => [...suggestion.leftIds, ...suggestion.rightIds].join(' '),
    },
    numeric: new Set(['score', 'psp', 'bank']),
  };
}

export interface SuggestionQuery extends ListQuery {
  readonly startRow: number;
  readonly endRow: number;
  /** The screen's words for each kind of reason (by its `says`, with {{placeholders}}) and its number format: the Why column is sorted and filtered on the text it shows. */
  readonly reasonTexts: Readonly<Record<string, string>>;
  readonly numberFormat: NumberFormatName;
}

export interface SuggestionPage {
  /** Suggestions that pass the filters, those with a side all matched by hand left out. */
  readonly count: number;
  readonly rows: readonly Suggestion[];
}

/** Whether a suggestion still has something to accept on both sides after the hand-matched ids. */
function open(suggestion: Suggestion, handMatched: ReadonlySet<string>): boolean {
  return suggestion.leftIds.some((id) => !handMatched.has(id)) && suggestion.rightIds.some((id) => !handMatched.has(id));
}

/** Pages of the month's suggestions; the last view is kept, so paging through it costs a slice. */
export class SuggestionPages {
  private readonly view = new LastView<Suggestion, null>();

  page(suggestions: readonly Suggestion[], handMatched: HandMatched, query: SuggestionQuery): SuggestionPage {
    const key = JSON.stringify([handMatched.version, query.sortModel, query.filterModel, query.quickFilter, query.reasonTexts, query.numberFormat, query.scaleDigits]);
    const { shown } = this.view.of(suggestions, key, () => {
      const left = handMatched.ids.size === 0 ? suggestions : suggestions.filter((suggestion) => open(suggestion, handMatched.ids));
      // Each suggestion's text made when a filter or sort first needs it, then kept for the view (not made once per comparison of a sort).
      const why = new Map<Suggestion, string>();
      const whyOf = (suggestion: Suggestion) => {
        let text = why.get(suggestion);
        if (text === undefined) why.set(suggestion, (text = whyText(suggestion, query.reasonTexts, query.numberFormat)));
        return text;
      };
      return { shown: shownRows(suggestionListColumns(whyOf), left, query), summary: null };
    });
    return { count: shown.length, rows: shown.slice(query.startRow, query.endRow) };
  }
}
