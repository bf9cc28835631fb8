import type { GridApi } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RULE_KINDS, type Suggestion } from '../../../../core/reconcile/index.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { useDesk } from '../../app/desk-context.tsx';
import type { ScreenProps } from '../../app/routes.tsx';
import { useFormat } from '../../app/use-format.ts';
import { useSaid } from '../../app/use-said.ts';
import { EngineError } from '../../../engine/client.ts';
import type { GroupPage, GroupRow } from '../../../engine/group-pages.ts';
import { recordReference } from '../../../engine/group-found-as.ts';
import type { ItemPage, ItemSide } from '../../../engine/unmatched-items.ts';
import type { ColumnFilter } from '../../../engine/row-store.ts';
import { isTotalRow, type GridColumn, type TotalRow } from '../../grid/columns.ts';
import { FILTER_SCALE_DIGITS } from '../../grid/money.ts';
import { DataGrid, type RowBlockRequest, type RowSource } from '../../grid/DataGrid.tsx';
import { ReasonDialog } from '../../grid/ReasonDialog.tsx';
import { ReviewProvider, useReview } from '../../grid/review-desk.tsx';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { useStream } from '../../grid/use-stream.ts';
import { exceptionTitle } from '../exceptions/exception-title.ts';
import { EXCEPTION_TITLES_NS, registerExceptionTitleTexts } from '../exceptions/title-texts.ts';
import { groupsFailureText, itemsFailureText } from './groups-failure.ts';
import { GROUPS_FAILURE_NS, registerGroupsFailureTexts } from './groups-failure-texts.ts';
import { GridQuickFilter } from './GridQuickFilter.tsx';
import { isHandMatched } from './hand-matched.ts';
import { itemColumns } from './item-columns.ts';
import { canSelectAll, checkManualMatch, MANUAL_MATCH_MAX_ITEMS, manualMatchWrites, writeManualMatch } from './manual-match.ts';
import { failureSaid } from '../../app/failure-text.ts';
import { registerUnmatchedTexts, UNMATCHED_NS } from './unmatched-texts.ts';
import { reasonTemplates } from './reason-text.ts';
import { registerSuggestionReasonTexts, SUGGESTION_REASONS_NS } from './reason-texts.ts';
import { suggestionColumns } from './suggestion-columns.ts';
import { registerSuggestionsTexts, SUGGESTIONS_NS } from './suggestion-texts.ts';
import { whyText, type SuggestionPage } from '../../../engine/suggestion-pages.ts';

registerReviewTexts();
registerExceptionTitleTexts();
registerSuggestionReasonTexts();
registerGroupsFailureTexts();
registerUnmatchedTexts();
registerSuggestionsTexts();

/** Members of an opened group shown per side: a group found by a sum can hold many. */
const GROUP_MEMBERS_SHOWN = 50;
const VARIANCE_FIELDS = ['timing', 'fees', 'refunds', 'withholding', 'fx', 'tolerated', 'unexplained', 'difference'] as const;

const txId = (tx: CanonicalTransaction) => tx.id;
const suggestionId = (suggestion: Suggestion) => suggestion.id;

function ReconciliationView() {
  const { t } = useTranslation(REVIEW_NS);
  const { t: tTitle } = useTranslation(EXCEPTION_TITLES_NS);
  const { t: tReason } = useTranslation(SUGGESTION_REASONS_NS);
  const { t: tFailure } = useTranslation(GROUPS_FAILURE_NS);
  const { t: tItems } = useTranslation(UNMATCHED_NS);
  const { t: tSuggest } = useTranslation(SUGGESTIONS_NS);
  const { display } = useDesk();
  const format = useFormat();
  const { desk, month } = useReview();
  const exceptions: readonly ExceptionDoc[] = useStream(desk?.exceptions$) ?? [];
  const [group, setGroup] = useState<GroupRow | null>(null);
  // The opened group's members as the PSP's and the bank's files hold them (the first GROUP_MEMBERS_SHOWN of each side).
  const [members, setMembers] = useState<{ readonly of: string; readonly psp: readonly CanonicalTransaction[]; readonly bank: readonly CanonicalTransaction[] } | null>(null);
  const [psp, setPsp] = useState<CanonicalTransaction[]>([]);
  const [bank, setBank] = useState<CanonicalTransaction[]>([]);
  const [matching, setMatching] = useState<{ psp: CanonicalTransaction[]; bank: CanonicalTransaction[] } | null>(null);
  // The status line is said in the language of the moment (useSaid): a text by its key, or a grid's failure said again from its error.
  const { text: saidText, say: sayKey } = useSaid(t);
  const [failure, setFailure] = useState<{ readonly of: 'groups' | 'items' | 'suggestions'; readonly error: Error } | null>(null);
  const say = useCallback((key: string, params?: Readonly<Record<string, unknown>>) => {
    setFailure(null);
    sayKey(key, params);
  }, [sayKey]);
  const fail = useCallback((of: 'groups' | 'items' | 'suggestions', error: Error) => {
    sayKey(null);
    setFailure({ of, error });
  }, [sayKey]);
  const status = failure === null ? saidText : failure.of === 'groups' ? groupsFailureText(failure.error, tFailure) : failure.of === 'items' ? itemsFailureText(failure.error, tItems) : itemsFailureText(failure.error, tSuggest);

  const result = month?.reconciliation ?? null;
  // Each grid's quick filter: sent with its blocks, so the worker's count and totals follow it.
  const [quick, setQuick] = useState<Record<'groups' | ItemSide | 'suggestions', string>>({ groups: '', psp: '', bank: '', suggestions: '' });
  const quickFilter = (of: keyof typeof quick, grid: string) => <GridQuickFilter id={`reconciliation-quick-${of}`} grid={grid} value={quick[of]} onChange={(text) => setQuick((was) => ({ ...was, [of]: text }))} />;
  const handMatched = useMemo(() => exceptions.filter(isHandMatched), [exceptions]);

  const groupColumns = useMemo<GridColumn<GroupRow>[]>(
    () => [
      { id: 'rule', header: t('reconciliation.columns.rule'), kind: 'text', value: (g) => g.rule, width: 150, display: (value) => (value === null ? '' : t(`reconciliation.rules.${value}`, { defaultValue: value })) },
      { id: 'left', header: t('reconciliation.columns.left'), kind: 'amount', value: (g) => g.leftTotal?.amount ?? null, currency: (g) => g.leftTotal?.currency ?? null, width: 130 },
      { id: 'right', header: t('reconciliation.columns.right'), kind: 'amount', value: (g) => g.rightTotal?.amount ?? null, currency: (g) => g.rightTotal?.currency ?? null, width: 130 },
      { id: 'difference', header: t('reconciliation.columns.difference'), kind: 'amount', value: (g) => g.difference, currency: (g) => g.currency, width: 120 },
      { id: 'currency', header: t('reconciliation.columns.currency'), kind: 'text', value: (g) => g.currency, width: 90 },
      { id: 'days', header: t('reconciliation.columns.days'), kind: 'count', value: (g) => String(g.dateDistanceDays), width: 100 },
      { id: 'members', header: t('reconciliation.columns.members'), kind: 'count', value: (g) => String(g.leftIds.length + g.rightIds.length), width: 90 },
      // What finds the group in the PSP's and the bank's records (the worker sorts and filters on it); core's id is in the group's detail.
      { id: 'group', header: t('reconciliation.columns.group'), kind: 'text', value: (g) => g.foundAs, flex: 1, width: 160 },
    ],
    [t],
  );
  const columns = useMemo(() => itemColumns(t, format.date), [t, format]);
  useEffect(() => {
    if (group === null || month === null) return;
    let live = true;
    const ids = { psp: group.leftIds.slice(0, GROUP_MEMBERS_SHOWN), bank: group.rightIds.slice(0, GROUP_MEMBERS_SHOWN) };
    void Promise.all([month.rowsById(ids.psp), month.rowsById(ids.bank)]).then(
      ([psp, bank]) => {
        if (live) setMembers({ of: group.id, psp, bank });
      },
      (error: unknown) => {
        if (!live) return;
        const said = failureSaid(error);
        say(said.key, said.params);
      },
    );
    return () => {
      live = false;
    };
  }, [group, month, say]);

  // The matched groups stay in the engine worker: the grid asks a block at a time (Infinite Row Model) with its sort and filters, and shows the count and exact totals it answers.
  const [groupsShown, setGroupsShown] = useState<Pick<GroupPage, 'count' | 'totals'> | null>(null);
  const ruleLabels = useMemo(() => Object.fromEntries([...RULE_KINDS, 'suggestion'].map((rule) => [rule, t(`reconciliation.rules.${rule}`)])), [t]);
  const askGroups = useCallback(
    async (request: RowBlockRequest) => {
      // The month's engine session is gone (a new month is being asked): said as the engine's stop, by its code.
      if (month === null) throw new EngineError('engine_stopped', 'no month to ask');
      const { startRow, endRow, quickFilter } = request;
      const answer = await month.askReview('match-groups', { startRow, endRow, quickFilter, ruleLabels, sortModel: request.sortModel.map(({ colId, sort }) => ({ colId, sort })), filterModel: request.filterModel as Record<string, ColumnFilter>, scaleDigits: FILTER_SCALE_DIGITS });
      setGroupsShown({ count: answer.count, totals: answer.totals });
      return answer;
    },
    [month, ruleLabels],
  );
  const onGroupsFailed = useCallback((error: Error) => fail('groups', error), [fail]);
  // A new month (its facts asked again) is a new version: the grid asks its blocks again.
  const groupSource = useMemo<RowSource<GroupRow>>(
    () => ({ getRows: (request) => askGroups(request).catch((failure: Error) => { onGroupsFailed(failure); throw failure; }), version: result === null ? 0 : `${result.groupCount}:${Date.now()}` }),
    [askGroups, onGroupsFailed, result],
  );
  const groupTotals = useMemo<TotalRow[]>(
    () => (groupsShown?.totals ?? []).map((total) => ({ kind: 'total', label: t('grid.total', { currency: total.currency, count: total.count }), currency: total.currency, count: total.count, amounts: { left: total.left, right: total.right, difference: total.difference } })),
    [groupsShown, t],
  );

  // The unmatched items stay in the engine worker too, each side a grid of its own blocks; the worker leaves out what the desk says was matched by hand (month.handMatched).
  const [itemsShown, setItemsShown] = useState<Record<ItemSide, Pick<ItemPage, 'count' | 'totals'> | null>>({ psp: null, bank: null });
  // The engine stopping or crashing is said alike for every grid (the matched groups' texts); a refused sort or filter by the items' own.
  const onItemsFailed = useCallback((error: Error) => fail(error instanceof EngineError && (error.code === 'engine_stopped' || error.code === 'engine_crashed') ? 'groups' : 'items', error), [fail]);
  const itemSource = useCallback(
    (side: ItemSide): RowSource<CanonicalTransaction> => ({
      getRows: async (request) => {
        if (month === null) throw new EngineError('engine_stopped', 'no month to ask');
        const { startRow, endRow, quickFilter } = request;
        try {
          const answer = await month.askReview('unmatched-items', { side, startRow, endRow, quickFilter, sortModel: request.sortModel.map(({ colId, sort }) => ({ colId, sort })), filterModel: request.filterModel as Record<string, ColumnFilter>, scaleDigits: FILTER_SCALE_DIGITS });
          setItemsShown((shown) => ({ ...shown, [side]: { count: answer.count, totals: answer.totals } }));
          return answer;
        } catch (failure) {
          onItemsFailed(failure as Error);
          throw failure;
        }
      },
      version: month === null ? 0 : `${month.handMatched.version}:${result === null ? 0 : result.groupCount}:${Date.now()}`,
    }),
    [month, result, onItemsFailed],
  );
  const pspSource = useMemo(() => itemSource('psp'), [itemSource]);
  const bankSource = useMemo(() => itemSource('bank'), [itemSource]);
  const itemTotals = useMemo(() => {
    const rows = (side: ItemSide): TotalRow[] =>
      (itemsShown[side]?.totals ?? []).map((total) => ({ kind: 'total', label: t('grid.total', { currency: total.currency, count: total.count }), currency: total.currency, count: total.count, amounts: { amount: total.amount } }));
    return { psp: rows('psp'), bank: rows('bank') };
  }, [itemsShown, t]);
  // The suggestions stay in the engine worker too (thousands in a big month): a grid of their blocks; those with a side all matched by hand since are left out there.
  const [suggestionsShown, setSuggestionsShown] = useState<Pick<SuggestionPage, 'count'> | null>(null);
  const [picked, setPicked] = useState<Suggestion[]>([]);
  // The words each kind of reason is shown with: the worker fills them as the grid does, so the Why column's filter and the quick filter find what the analyst reads.
  const reasonTexts = useMemo(() => reasonTemplates(tReason), [tReason]);
  const { numberFormat } = display;
  const onSuggestionsFailed = useCallback((error: Error) => fail(error instanceof EngineError && (error.code === 'engine_stopped' || error.code === 'engine_crashed') ? 'groups' : 'suggestions', error), [fail]);
  const suggestionSource = useMemo<RowSource<Suggestion>>(
    () => ({
      getRows: async (request) => {
        if (month === null) throw new EngineError('engine_stopped', 'no month to ask');
        const { startRow, endRow, quickFilter } = request;
        try {
          const answer = await month.askReview('suggestions', { startRow, endRow, quickFilter, reasonTexts, numberFormat, sortModel: request.sortModel.map(({ colId, sort }) => ({ colId, sort })), filterModel: request.filterModel as Record<string, ColumnFilter>, scaleDigits: FILTER_SCALE_DIGITS });
          setSuggestionsShown({ count: answer.count });
          return answer;
        } catch (failure) {
          onSuggestionsFailed(failure as Error);
          throw failure;
        }
      },
      version: month === null ? 0 : `${month.handMatched.version}:${result === null ? 0 : result.suggestionCount}:${Date.now()}`,
    }),
    [month, result, reasonTexts, numberFormat, onSuggestionsFailed],
  );
  const suggestionGridColumns = useMemo(
    () =>
      suggestionColumns(
        { score: t('reconciliation.columns.score'), reasons: t('reconciliation.columns.reasons'), psp: tSuggest('columns.psp'), bank: tSuggest('columns.bank'), ids: tSuggest('columns.ids') },
        (suggestion) => whyText(suggestion, reasonTexts, numberFormat),
      ),
    [t, tSuggest, reasonTexts, numberFormat],
  );
  const suggestionsApi = useRef<GridApi<Suggestion | TotalRow> | null>(null);
  const onSuggestionsReady = useCallback((api: GridApi<Suggestion | TotalRow>) => {
    suggestionsApi.current = api;
  }, []);

  // Selection is by row id (the grid keeps it across blocks); after a match the matched rows leave the grids, so both selections are cleared.
  const pspApi = useRef<GridApi<CanonicalTransaction | TotalRow> | null>(null);
  const bankApi = useRef<GridApi<CanonicalTransaction | TotalRow> | null>(null);
  const onPspReady = useCallback((api: GridApi<CanonicalTransaction | TotalRow>) => {
    pspApi.current = api;
  }, []);
  const onBankReady = useCallback((api: GridApi<CanonicalTransaction | TotalRow>) => {
    bankApi.current = api;
  }, []);

  const check = matching === null ? null : checkManualMatch(matching.psp, matching.bank);
  const confirmMatch = async (reason: string) => {
    if (desk === null || matching === null || check === null || !check.ok) return;
    // Every text is fitted to its document's limit before anything is written; an id too long for any is refused here, nothing written.
    const writes = manualMatchWrites(matching.psp, matching.bank, reason, new Set(exceptions.map((doc) => doc.id)));
    if (writes === null) {
      say('matchTooLong', { ns: UNMATCHED_NS });
      return;
    }
    try {
      await writeManualMatch(desk, writes);
    } catch (failure) {
      const said = failureSaid(failure);
      say(said.key, said.params);
      return;
    }
    pspApi.current?.deselectAll();
    bankApi.current?.deselectAll();
    suggestionsApi.current?.deselectAll();
    setMatching(null);
    say('reconciliation.matched_ok');
  };
  const startMatch = (left: CanonicalTransaction[], right: CanonicalTransaction[]) => {
    const verdict = checkManualMatch(left, right);
    if (!verdict.ok) say(verdict.code === 'too_many_items' ? 'tooMany' : verdict.code === 'mixed_currency' ? 'reconciliation.matchMixed' : 'reconciliation.matchNeedsBoth', verdict.code === 'too_many_items' ? { ns: UNMATCHED_NS, max: MANUAL_MATCH_MAX_ITEMS } : undefined);
    else setMatching({ psp: left, bank: right });
  };
  // A suggestion's members are asked of the worker when it is accepted; those matched by hand since are not offered again.
  const acceptSuggestion = (suggestion: Suggestion) => {
    if (month === null) return;
    const open = (rows: readonly CanonicalTransaction[]) => rows.filter((tx) => !month.handMatched.ids.has(tx.id));
    void Promise.all([month.rowsById(suggestion.leftIds), month.rowsById(suggestion.rightIds)]).then(
      ([left, right]) => startMatch(open(left), open(right)),
      (error: unknown) => {
        const said = failureSaid(error);
        say(said.key, said.params);
      },
    );
  };
  // Select all: every item the side shows after its filters, when that is no more than a manual match may hold (all of them are then in the grid's first block).
  const selectAll = (api: GridApi<CanonicalTransaction | TotalRow> | null) =>
    api?.forEachNode((node) => {
      if (node.data !== undefined && !isTotalRow(node.data)) node.setSelected(true);
    });
  const selectAllButton = (side: ItemSide) => {
    const count = itemsShown[side]?.count ?? 0;
    const fits = canSelectAll(count);
    return (
      <button type="button" disabled={!fits} title={fits || count === 0 ? undefined : tItems('selectAllTooMany', { max: MANUAL_MATCH_MAX_ITEMS })} onClick={() => selectAll((side === 'psp' ? pspApi : bankApi).current)}>
        {tItems('selectAll', { count })}
      </button>
    );
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
          <div className="sd-review-header">
            <h2>{t('reconciliation.matched')} ({groupsShown?.count ?? result.groupCount})</h2>
            {quickFilter('groups', t('reconciliation.matched'))}
          </div>
          <DataGrid<GroupRow> label={t('reconciliation.matched')} testId="groups-grid" columns={groupColumns} source={groupSource} totals={groupTotals} quickFilter={quick.groups} rowId={(g) => g.id} locale={display.locale} numberFormat={display.numberFormat} onOpen={setGroup} />
          <p className="sd-hint">{t('reconciliation.selectGroup')}</p>
        </div>
        {group === null ? null : (
          <aside className="sd-panel" aria-labelledby="variance-title">
            <div className="sd-panel-head">
              <h2 id="variance-title">{t('reconciliation.variance.title')}</h2>
              <button type="button" onClick={() => setGroup(null)} aria-label={t('common.close')}>✕</button>
            </div>
            <p>{group.foundAs} · {t(`reconciliation.rules.${group.rule}`, { defaultValue: group.rule })}</p>
            <p className="sd-hint">{t('reconciliation.groupDetail.internalId')}: <span className="sd-mono" data-testid="group-internal-id">{group.id}</span></p>
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
            {members === null || members.of !== group.id ? null : (
              <section aria-labelledby="group-members-title">
                <h3 id="group-members-title">{t('reconciliation.groupDetail.members')}</h3>
                {/* A list, not a table: a member's file path and reference are long for the panel's width. */}
                <ul data-testid="group-members">
                  {(['psp', 'bank'] as const).flatMap((side) =>
                    members[side].map((tx) => (
                      <li key={tx.id}>
                        <div>{`${t(`reconciliation.groupDetail.${side}`)} · ${format.date(tx.occurredAt.slice(0, 10))} · ${format.money(tx.amount, tx.currency)} ${tx.currency}`}</div>
                        <div className="sd-mono" title={t('reconciliation.groupDetail.reference')}>{recordReference(tx)}</div>
                        <div className="sd-mono sd-hint" title={t('reconciliation.groupDetail.file')}>{`${tx.source.fileName}:${tx.source.line}`}</div>
                      </li>
                    )),
                  )}
                </ul>
              </section>
            )}
            {group.leftIds.length <= GROUP_MEMBERS_SHOWN && group.rightIds.length <= GROUP_MEMBERS_SHOWN ? null : (
              <p className="sd-hint">{t('reconciliation.groupDetail.more', { shown: Math.min(group.leftIds.length, GROUP_MEMBERS_SHOWN) + Math.min(group.rightIds.length, GROUP_MEMBERS_SHOWN), count: group.leftIds.length + group.rightIds.length })}</p>
            )}
          </aside>
        )}
      </div>
      <h2>{t('reconciliation.unmatched')}</h2>
      <div className="sd-toolbar">
        <button type="button" className="sd-primary" disabled={psp.length === 0 || bank.length === 0} onClick={() => startMatch(psp, bank)}>{t('reconciliation.matchByHand')}</button>
      </div>
      <div className="sd-split" style={{ gridTemplateColumns: '1fr 1fr', minHeight: 400 }}>
        <div className="sd-grid-box">
          <div className="sd-review-header">
            <h3>{t('reconciliation.leftSide')} ({itemsShown.psp?.count ?? result.unmatchedPspCount})</h3>
            {selectAllButton('psp')}
            {quickFilter('psp', t('reconciliation.leftSide'))}
          </div>
          <DataGrid<CanonicalTransaction> label={t('reconciliation.leftSide')} testId="psp-unmatched-grid" columns={columns} source={pspSource} quickFilter={quick.psp} totals={itemTotals.psp} rowId={txId} locale={display.locale} numberFormat={display.numberFormat} multiSelect onSelectionChange={setPsp} onReady={onPspReady} />
        </div>
        <div className="sd-grid-box">
          <div className="sd-review-header">
            <h3>{t('reconciliation.rightSide')} ({itemsShown.bank?.count ?? result.unmatchedBankCount})</h3>
            {selectAllButton('bank')}
            {quickFilter('bank', t('reconciliation.rightSide'))}
          </div>
          <DataGrid<CanonicalTransaction> label={t('reconciliation.rightSide')} testId="bank-unmatched-grid" columns={columns} source={bankSource} quickFilter={quick.bank} totals={itemTotals.bank} rowId={txId} locale={display.locale} numberFormat={display.numberFormat} multiSelect onSelectionChange={setBank} onReady={onBankReady} />
        </div>
      </div>
      {result.suggestionCount === 0 ? null : (
        <section aria-labelledby="suggestions-title" className="sd-grid-box">
          <div className="sd-review-header">
            <h2 id="suggestions-title">{tSuggest('heading', { count: suggestionsShown?.count ?? result.suggestionCount })}</h2>
            <button type="button" disabled={picked.length !== 1} title={picked.length === 1 ? undefined : tSuggest('acceptOne')} onClick={() => picked[0] !== undefined && acceptSuggestion(picked[0])}>
              {tSuggest('acceptSelected')}
            </button>
            {quickFilter('suggestions', t('reconciliation.suggestions'))}
          </div>
          <DataGrid<Suggestion> label={t('reconciliation.suggestions')} testId="suggestions-grid" columns={suggestionGridColumns} source={suggestionSource} quickFilter={quick.suggestions} rowId={suggestionId} locale={display.locale} numberFormat={display.numberFormat} multiSelect onSelectionChange={setPicked} onOpen={acceptSuggestion} onReady={onSuggestionsReady} height={320} emptyText={tSuggest('empty')} />
          <p className="sd-hint">{tSuggest('hint')}</p>
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
