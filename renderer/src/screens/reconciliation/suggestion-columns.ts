import type { Suggestion } from '../../../../core/reconcile/index.ts';
import { SUGGESTION_COLUMNS, type SuggestionColumnId } from '../../../engine/suggestion-pages.ts';
import type { GridColumn } from '../../grid/columns.ts';

/**
 * The columns of Reconciliation's suggestions grid: each column's text is the one the engine worker
 * sorts and filters on (SUGGESTION_COLUMNS), headed by the screen's words; the reasons are shown in the analyst's language
 * (`reasons`: reason-text.ts over each), the score to two decimals.
 */
export function suggestionColumns(headers: Readonly<Record<SuggestionColumnId, string>>, reasons: (suggestion: Suggestion) => string): GridColumn<Suggestion>[] {
  const { textOf } = SUGGESTION_COLUMNS;
  return [
    { id: 'score', header: headers.score, kind: 'count', value: textOf.score, width: 110, display: (value) => (value === null ? '' : Number(value).toFixed(2)) },
    { id: 'reasons', header: headers.reasons, kind: 'text', value: textOf.reasons, flex: 2, width: 260, display: (_value, suggestion) => reasons(suggestion) },
    { id: 'psp', header: headers.psp, kind: 'count', value: textOf.psp, width: 110 },
    { id: 'bank', header: headers.bank, kind: 'count', value: textOf.bank, width: 110 },
    { id: 'ids', header: headers.ids, kind: 'text', value: textOf.ids, flex: 1, width: 200 },
  ];
}
