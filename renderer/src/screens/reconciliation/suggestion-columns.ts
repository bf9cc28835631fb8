import type { Suggestion } from '../../../../core/reconcile/index.ts';
import { suggestionListColumns, type SuggestionColumnId } from '../../../engine/suggestion-pages.ts';
import type { GridColumn } from '../../grid/columns.ts';

/**
 * The columns of Reconciliation's suggestions grid: each column's text is the one the engine worker
 * sorts and filters on (suggestionListColumns), headed by the screen's words; the reasons in the
 * analyst's language and number format (`why`: suggestion-pages.ts whyText, as the worker makes them), the score to two decimals.
 */
export function suggestionColumns(headers: Readonly<Record<SuggestionColumnId, string>>, why: (suggestion: Suggestion) => string): GridColumn<Suggestion>[] {
  const { textOf } = suggestionListColumns(why);
  return [
    { id: 'score', header: headers.score, kind: 'count', value: textOf.score, width: 110, display: (value) => (value === null ? '' : Number(value).toFixed(2)) },
    { id: 'reasons', header: headers.reasons, kind: 'text', value: textOf.reasons, flex: 2, width: 260 },
    { id: 'psp', header: headers.psp, kind: 'count', value: textOf.psp, width: 110 },
    { id: 'bank', header: headers.bank, kind: 'count', value: textOf.bank, width: 110 },
    { id: 'ids', header: headers.ids, kind: 'text', value: textOf.ids, flex: 1, width: 200 },
  ];
}
