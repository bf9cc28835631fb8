import type { Suggestion } from '../../core/reconcile/index.ts';
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

/** Each column's text, sorted and filtered on here and shown by the screen's suggestions grid. */
export const SUGGESTION_COLUMNS: PagedColumns<Suggestion, SuggestionColumnId> = {
  noun: 'suggestion',
  ids: SUGGESTION_COLUMN_IDS,
  textOf: {
    // Core rounds a score to 4 decimals: exact as a decimal text with 4 digits.
    score: (suggestion) => suggestion.score.toFixed(4),
    // Core's English details (the screen shows them in its language, reason-text.ts).
    reasons: (suggestion) => suggestion.reasons.map((reason) => reason.detail).join(' · '),
    psp: (suggestion) => String(suggestion.leftIds.length),
    bank: (suggestion) => String(suggestion.rightIds.length),
    ids: (suggestion) => [...suggestion.leftIds, ...suggestion.rightIds].join(' '),
  },
  numeric: new Set(['score', 'psp', 'bank']),
};

export interface SuggestionQuery extends ListQuery {
  readonly startRow: number;
  readonly endRow: number;
  /** The words the screen shows for each kind of reason (by its `says`, without the facts), so the quick filter finds a suggestion by what the analyst reads. */
  readonly reasonWords: Readonly<Record<string, string>>;
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
    const key = JSON.stringify([handMatched.version, query.sortModel, query.filterModel, query.quickFilter, query.reasonWords, query.scaleDigits]);
    const { shown } = this.view.of(suggestions, key, () => {
      const left = handMatched.ids.size === 0 ? suggestions : suggestions.filter((suggestion) => open(suggestion, handMatched.ids));
      const labels = (suggestion: Suggestion) => suggestion.reasons.map((reason) => query.reasonWords[reason.says] ?? '').join(' ');
      return { shown: shownRows(SUGGESTION_COLUMNS, left, query, labels), summary: null };
    });
    return { count: shown.length, rows: shown.slice(query.startRow, query.endRow) };
  }
}
