import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RULE_KINDS, type MatchGroup } from '../../../../core/reconcile/index.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { useDesk } from '../../app/desk-context.tsx';
import type { ScreenProps } from '../../app/routes.tsx';
import { useFormat } from '../../app/use-format.ts';
import type { GroupPage } from '../../../engine/group-pages.ts';
import type { ColumnFilter } from '../../../engine/row-store.ts';
import type { GridColumn, TotalRow } from '../../grid/columns.ts';
import { FILTER_SCALE_DIGITS } from '../../grid/money.ts';
import { DataGrid, type RowBlockRequest, type RowSource } from '../../grid/DataGrid.tsx';
import { ReasonDialog } from '../../grid/ReasonDialog.tsx';
import { ReviewProvider, useReview } from '../../grid/review-desk.tsx';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { useStream } from '../../grid/use-stream.ts';
import { exceptionTitle } from '../exceptions/exception-title.ts';
import { EXCEPTION_TITLES_NS, registerExceptionTitleTexts } from '../exceptions/title-texts.ts';
import { groupsFailureText } from './groups-failure.ts';
import { GROUPS_FAILURE_NS, registerGroupsFailureTexts } from './groups-failure-texts.ts';
import { checkManualMatch, groupedExceptionIds, MANUAL_MATCH_PREFIX, manualMatchReason, unmatchedExceptionIds } from './manual-match.ts';
import { suggestionReasonText } from './reason-text.ts';
import { registerSuggestionReasonTexts, SUGGESTION_REASONS_NS } from './reason-texts.ts';

registerReviewTexts();
registerExceptionTitleTexts();
registerSuggestionReasonTexts();
registerGroupsFailureTexts();

const VARIANCE_FIELDS = ['timing', 'fees', 'refunds', 'withholding', 'fx', 'tolerated', 'unexplained', 'difference'] as const;

function itemColumns(t: (key: string) => string): GridColumn<CanonicalTransaction>[] {
  return [
    { id: 'date', header: t('reconciliation.columns.date'), kind: 'date', value: (tx) => tx.occurredAt.slice(0, 10), width: 110 },
    { id: 'amount', header: t('reconciliation.columns.amount'), kind: 'amount', value: (tx) => tx.amount, currency: (tx) => tx.currency, width: 130 },
    { id: 'currency', header: t('reconciliation.columns.currency'), kind: 'text', value: (tx) => tx.currency, width: 90 },
    { id: 'reference', header: t('reconciliation.columns.reference'), kind: 'text', value: (tx) => tx.references.externalId ?? tx.references.bankReference ?? tx.references.endToEndId ?? tx.id, width: 170 },
    { id: 'description', header: t('reconciliation.columns.description'), kind: 'text', value: (tx) => tx.description, flex: 1, width: 200 },
  ];
}

function ReconciliationView() {
  const { t } = useTranslation(REVIEW_NS);
  const { t: tTitle } = useTranslation(EXCEPTION_TITLES_NS);
  const { t: tReason } = useTranslation(SUGGESTION_REASONS_NS);
  const { t: tFailure } = useTranslation(GROUPS_FAILURE_NS);
  const { display } = useDesk();
  const format = useFormat();
  const { desk, month } = useReview();
  const exceptions: readonly ExceptionDoc[] = useStream(desk?.exceptions$) ?? [];
  const [group, setGroup] = useState<MatchGroup | null>(null);
  const [psp, setPsp] = useState<CanonicalTransaction[]>([]);
  const [bank, setBank] = useState<CanonicalTransaction[]>([]);
  const [matching, setMatching] = useState<{ psp: CanonicalTransaction[]; bank: CanonicalTransaction[] } | null>(null);
  const [status, setStatus] = useState('');

  const result = month?.reconciliation ?? null;
  // The rows the screen shows (unmatched items and the suggestions' members), asked of the engine worker by id.
  const [byId, setById] = useState<ReadonlyMap<string, CanonicalTransaction>>(() => new Map());
  useEffect(() => {
    if (month === null || result === null) return undefined;
    let live = true;
    const ids = [...result.unmatchedPsp, ...result.unmatchedBank, ...result.suggestions.flatMap((suggestion) => [...suggestion.leftIds, ...suggestion.rightIds])];
    void month.rowsById(ids).then(
      (rows) => live && setById(new Map(rows.map((tx) => [tx.id, tx]))),
      (failure: Error) => live && setStatus(failure.message),
    );
    return () => {
      live = false;
    };
  }, [month, result]);
  const handMatched = useMemo(() => exceptions.filter((doc) => doc.type === 'unmatched' && doc.status === 'resolved' && (doc.history.at(-1)?.reason ?? '').startsWith(MANUAL_MATCH_PREFIX)), [exceptions]);
  const handMatchedIds = useMemo(() => new Set(handMatched.flatMap((doc) => doc.sourceRefs.map((ref) => ref.id))), [handMatched]);
  const pick = (ids: readonly string[]) =>
    ids.flatMap((id) => {
      const tx = byId.get(id);
      return tx === undefined || handMatchedIds.has(id) ? [] : [tx];
    });
  const leftItems = useMemo(() => (result === null ? [] : pick(result.unmatchedPsp)), [result, byId, handMatchedIds]);
  const rightItems = useMemo(() => (result === null ? [] : pick(result.unmatchedBank)), [result, byId, handMatchedIds]);
  const suggestions = result?.suggestions ?? [];

  const groupColumns = useMemo<GridColumn<MatchGroup>[]>(
    () => [
      { id: 'rule', header: t('reconciliation.columns.rule'), kind: 'text', value: (g) => g.rule, width: 150, display: (value) => (value === null ? '' : t(`reconciliation.rules.${value}`, { defaultValue: value })) },
      { id: 'left', header: t('reconciliation.columns.left'), kind: 'amount', value: (g) => g.leftTotal?.amount ?? null, currency: (g) => g.leftTotal?.currency ?? null, width: 130 },
      { id: 'right', header: t('reconciliation.columns.right'), kind: 'amount', value: (g) => g.rightTotal?.amount ?? null, currency: (g) => g.rightTotal?.currency ?? null, width: 130 },
      { id: 'difference', header: t('reconciliation.columns.difference'), kind: 'amount', value: (g) => g.difference, currency: (g) => g.currency, width: 120 },
      { id: 'currency', header: t('reconciliation.columns.currency'), kind: 'text', value: (g) => g.currency, width: 90 },
      { id: 'days', header: t('reconciliation.columns.days'), kind: 'count', value: (g) => String(g.dateDistanceDays), width: 100 },
      { id: 'members', header: t('reconciliation.columns.members'), kind: 'count', value: (g) => String(g.leftIds.length + g.rightIds.length), width: 90 },
      { id: 'group', header: t('reconciliation.columns.group'), kind: 'text', value: (g) => g.id, flex: 1, width: 160 },
    ],
    [t],
  );
  const columns = useMemo(() => itemColumns(t), [t]);

  // The matched groups stay in the engine worker: the grid asks a block at a time (Infinite Row Model) with its sort and filters, and shows the count and exact totals it answers.
  const [groupsShown, setGroupsShown] = useState<Pick<GroupPage, 'count' | 'totals'> | null>(null);
  const ruleLabels = useMemo(() => Object.fromEntries([...RULE_KINDS, 'suggestion'].map((rule) => [rule, t(`reconciliation.rules.${rule}`)])), [t]);
  const askGroups = useCallback(
    async (request: RowBlockRequest) => {
      if (month === null) throw new Error('no month to ask');
      const { startRow, endRow, quickFilter } = request;
      const answer = await month.askReview('match-groups', { startRow, endRow, quickFilter, ruleLabels, sortModel: request.sortModel.map(({ colId, sort }) => ({ colId, sort })), filterModel: request.filterModel as Record<string, ColumnFilter>, scaleDigits: FILTER_SCALE_DIGITS });
      setGroupsShown({ count: answer.count, totals: answer.totals });
      return answer;
    },
    [month, ruleLabels],
  );
  const onGroupsFailed = useCallback((failure: Error) => setStatus(groupsFailureText(failure, tFailure)), [tFailure]);
  // A new month (its facts asked again) is a new version: the grid asks its blocks again.
  const groupSource = useMemo<RowSource<MatchGroup>>(
    () => ({ getRows: (request) => askGroups(request).catch((failure: Error) => { onGroupsFailed(failure); throw failure; }), version: result === null ? 0 : `${result.groupCount}:${Date.now()}` }),
    [askGroups, onGroupsFailed, result],
  );
  const groupTotals = useMemo<TotalRow[]>(
    () => (groupsShown?.totals ?? []).map((total) => ({ kind: 'total', label: t('grid.total', { currency: total.currency, count: total.count }), currency: total.currency, count: total.count, amounts: { left: total.left, right: total.right, difference: total.difference } })),
    [groupsShown, t],
  );

  const check = matching === null ? null : checkManualMatch(matching.psp, matching.bank);
  const confirmMatch = async (reason: string) => {
    if (desk === null || matching === null || check === null || !check.ok) return;
    const text = manualMatchReason(matching.psp, matching.bank, reason);
    const known = new Set(exceptions.map((doc) => doc.id));
    for (const id of unmatchedExceptionIds(matching.psp, matching.bank)) if (known.has(id)) await desk.transitionException(id, { to: 'resolved', reason: text });
    for (const id of groupedExceptionIds(matching.psp, matching.bank)) if (known.has(id)) await desk.addComment({ kind: 'exception', id }, text);
    setMatching(null);
    setStatus(t('reconciliation.matched_ok'));
  };
  const startMatch = (left: CanonicalTransaction[], right: CanonicalTransaction[]) => {
    const verdict = checkManualMatch(left, right);
    if (!verdict.ok) setStatus(t(verdict.code === 'mixed_currency' ? 'reconciliation.matchMixed' : 'reconciliation.matchNeedsBoth'));
    else setMatching({ psp: left, bank: right });
  };

  if (desk === null || month === null) return <p>{t('common.loading')}</p>;
  if (result === null) return <p>{t('reconciliation.noRun')}</p>;
  return (
    <div className="sd-review" data-testid="reconciliation-screen">
      <div className="sd-review-header">
        <h1>{t('reconciliation.title')}</h1>
        <span role="status" aria-live="polite" className="sd-status">{status}</span>
      </div>
      <div className={group === null ? 'sd-split' : 'sd-split sd-with-panel'} style={{ minHeight: 440 }}>
        <div className="sd-grid-box">
          <h2>{t('reconciliation.matched')} ({groupsShown?.count ?? result.groupCount})</h2>
          <DataGrid<MatchGroup> label={t('reconciliation.matched')} testId="groups-grid" columns={groupColumns} source={groupSource} totals={groupTotals} rowId={(g) => g.id} locale={display.locale} numberFormat={display.numberFormat} onOpen={setGroup} />
          <p className="sd-hint">{t('reconciliation.selectGroup')}</p>
        </div>
        {group === null ? null : (
          <aside className="sd-panel" aria-labelledby="variance-title">
            <div className="sd-panel-head">
              <h2 id="variance-title">{t('reconciliation.variance.title')}</h2>
              <button type="button" onClick={() => setGroup(null)} aria-label={t('common.close')}>✕</button>
            </div>
            <p className="sd-mono">{group.id} · {t(`reconciliation.rules.${group.rule}`, { defaultValue: group.rule })}</p>
            {group.variance === null ? (
              <p>{t('reconciliation.variance.difference')}: {format.money(group.difference, group.currency)} {group.currency}</p>
            ) : (
              <table className="sd-table">
                <tbody>
                  {VARIANCE_FIELDS.map((field) => (
                    <tr key={field} className={field === 'unexplained' || field === 'difference' ? 'sd-strong' : undefined}>
                      <th scope="row">{t(`reconciliation.variance.${field}`)}</th>
                      <td className="num">{`${format.money(group.variance![field], group.variance!.currency)} ${group.variance!.currency}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </aside>
        )}
      </div>
      <h2>{t('reconciliation.unmatched')}</h2>
      <div className="sd-toolbar">
        <button type="button" className="sd-primary" disabled={psp.length === 0 || bank.length === 0} onClick={() => startMatch(psp, bank)}>{t('reconciliation.matchByHand')}</button>
      </div>
      <div className="sd-split" style={{ gridTemplateColumns: '1fr 1fr', minHeight: 260 }}>
        <div className="sd-grid-box">
          <h3>{t('reconciliation.leftSide')} ({leftItems.length})</h3>
          <DataGrid<CanonicalTransaction> label={t('reconciliation.leftSide')} testId="psp-unmatched-grid" columns={columns} rows={leftItems} rowId={(tx) => tx.id} locale={display.locale} numberFormat={display.numberFormat} multiSelect onSelectionChange={setPsp} />
        </div>
        <div className="sd-grid-box">
          <h3>{t('reconciliation.rightSide')} ({rightItems.length})</h3>
          <DataGrid<CanonicalTransaction> label={t('reconciliation.rightSide')} testId="bank-unmatched-grid" columns={columns} rows={rightItems} rowId={(tx) => tx.id} locale={display.locale} numberFormat={display.numberFormat} multiSelect onSelectionChange={setBank} />
        </div>
      </div>
      {suggestions.length === 0 ? null : (
        <section aria-labelledby="suggestions-title">
          <h2 id="suggestions-title">{t('reconciliation.suggestions')}</h2>
          <table className="sd-table">
            <thead>
              <tr>
                <th scope="col">{t('reconciliation.columns.score')}</th>
                <th scope="col">{t('reconciliation.columns.reasons')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {suggestions.map((suggestion) => (
                <tr key={suggestion.id}>
                  <td>{suggestion.score.toFixed(2)}</td>
                  <td>{suggestion.reasons.map((reason) => suggestionReasonText(reason, tReason, format)).join(' · ')}</td>
                  <td>
                    <button type="button" onClick={() => startMatch(pick(suggestion.leftIds), pick(suggestion.rightIds))}>{t('reconciliation.accept')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {handMatched.length === 0 ? null : (
        <section aria-labelledby="manual-title">
          <h2 id="manual-title">{t('reconciliation.manualGroups')}</h2>
          <ul>
            {handMatched.map((doc) => (
              <li key={doc.id}>
                {exceptionTitle(doc, tTitle, format)} — <span className="sd-hint">{doc.history.at(-1)?.by}: {doc.history.at(-1)?.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {matching === null || check === null || !check.ok ? null : (
        <ReasonDialog title={t('reconciliation.matchTitle', { left: matching.psp.length, right: matching.bank.length })} reasonRequired confirmLabel={t('common.apply')} onCancel={() => setMatching(null)} onConfirm={confirmMatch}>
          <p>{t('reconciliation.matchDifference', { amount: format.money(check.difference, check.currency), currency: check.currency })}</p>
        </ReasonDialog>
      )}
    </div>
  );
}

/** Reconciliation: matched groups with their variance breakdown, unmatched items side by side, suggestions and matching by hand. */
export function ReconciliationScreen(_props: ScreenProps) {
  return (
    <ReviewProvider>
      <ReconciliationView />
    </ReviewProvider>
  );
}
