import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Statement, StatementLine, StatementTotals } from '../../../../core/settlement/statement.ts';
import { isStatementLocale, STATEMENT_LABELS } from '../../../../core/statement/labels.ts';
import type { StatementDiff } from '../../../../core/settlement/diff.ts';
import type { ApprovalEventDoc, StatementDoc } from '../../../../core/sync/documents.ts';
import { SIGNING_NOT_IN_BROWSER, type HostInfo } from '../../../host/host.ts';
import { currentHost } from '../../../host/current.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import { failureSaid } from '../../app/failure-text.ts';
import { useSaid } from '../../app/use-said.ts';
import type { GridColumn } from '../../grid/columns.ts';
import { DataGrid } from '../../grid/DataGrid.tsx';
import { TransactionRows } from '../../grid/TransactionRows.tsx';
import { saveGridExport } from '../../grid/export-save.ts';
import { ReasonDialog } from '../../grid/ReasonDialog.tsx';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { REVIEW_NS } from '../../grid/texts.ts';
import type { ApprovalRefusal } from '../../../desk/desk.ts';
import type { RowsBehind } from '../../../engine/review.ts';
import { adjustmentNote, lineWords } from './adjustment-note.ts';
import { ADJUSTMENT_NOTES_NS, registerAdjustmentNoteTexts } from './note-texts.ts';
import { SETTLEMENT_NS } from './texts.ts';
import { statementDocumentJson, type StatementStatus } from './run-period.ts';
import { conversionsOf, lineExplanation, lineRowsOf, lineSummary, type StatementLineRow } from './statement-lines.ts';

registerAdjustmentNoteTexts();

/** Rows of a drilled line shown (the heading gives them all by count). */
const DRILL_ROWS_MAX = 200;
const SHOWN_TOTALS: readonly (keyof StatementTotals)[] = ['grossBase', 'shareEarned', 'mgTopUp', 'capReduction', 'shareOwed', 'feesNet', 'vatOnFees', 'advanceRecouped', 'carryIn', 'withholdingTax', 'carryOut', 'payable'];

export interface StatementPreviewProps {
  readonly desk: ReviewDesk;
  readonly doc: StatementDoc;
  readonly statement: Statement;
  readonly status: StatementStatus;
  readonly approvals: readonly ApprovalEventDoc[];
  /** This desk's approval events the server refused, with its reason. */
  readonly refusals: readonly ApprovalRefusal[];
  readonly diff: StatementDiff | null;
  readonly previousRevision: number | null;
  /** The rows a line counted, asked of the engine worker when the line is drilled into. */
  readonly rowsBehind: (statement: Statement, line: StatementLine, max: number) => Promise<RowsBehind>;
  /** The statement's block reasons in the desk's language, joined. */
  readonly sayBlock: (reasons: readonly string[]) => string;
}

/** One statement: its lines with explanations and drill-down, totals, maker-checker actions, the diff and export. */
export function StatementPreview(props: StatementPreviewProps) {
  const { desk, doc, statement, status } = props;
  const { t } = useTranslation(REVIEW_NS);
  const { t: ts } = useTranslation(SETTLEMENT_NS);
  const { t: tNote } = useTranslation(ADJUSTMENT_NOTES_NS);
  const { display } = useDesk();
  // The statement document's own words for its totals (core/statement/labels.ts), in the desk's locale.
  const totalsLabels = STATEMENT_LABELS[isStatementLocale(display.locale) ? display.locale : 'en'].totalsFields;
  const totalLabel = (field: string) => (field in totalsLabels ? totalsLabels[field as keyof StatementTotals] : field);
  const refusalOf = (eventId: string) => props.refusals.find((refusal) => refusal.id === eventId) ?? null;
  const format = useFormat();
  const [drill, setDrill] = useState<StatementLineRow | null>(null);
  const [dialog, setDialog] = useState<'approved' | 'rejected' | null>(null);
  const { text: message, say } = useSaid(t);
  const [host, setHost] = useState<HostInfo | null>(null);
  useEffect(() => {
    void currentHost().info().then(setHost);
  }, []);
  const money = (amount: string) => `${format.money(amount, statement.settlementCurrency)} ${statement.settlementCurrency}`;
  const words = useMemo(() => lineWords(tNote), [tNote]);

  const lineRows = useMemo(() => lineRowsOf(statement), [statement]);
  const lineColumns = useMemo<GridColumn<StatementLineRow>[]>(
    () => [
      { id: 'product', header: t('settlements.lines.product'), kind: 'text', value: (row) => row.line.productId ?? row.group.key, width: 130 },
      { id: 'currency', header: t('settlements.lines.currency'), kind: 'text', value: (row) => row.line.currency, width: 90 },
      { id: 'count', header: t('settlements.lines.count'), kind: 'count', value: (row) => String(row.line.transactionCount), width: 110 },
      { id: 'base', header: t('settlements.lines.base'), kind: 'amount', value: (row) => row.line.base, currency: (row) => row.settlementCurrency, width: 130 },
      { id: 'explanation', header: t('settlements.lines.explanation'), kind: 'text', value: (row) => lineSummary(row, words), flex: 1, width: 320 },
    ],
    [t, words],
  );
  // The drilled line's rows (how many, and the first DRILL_ROWS_MAX shown), counted in the engine worker over the month it holds.
  const [behind, setBehind] = useState<{ readonly line: StatementLineRow; readonly rows: RowsBehind } | null>(null);
  // Asked when a line is opened; an answer for a line no longer open is not shown.
  const openLine = (row: StatementLineRow) => {
    setDrill(row);
    void props.rowsBehind(statement, row.line, DRILL_ROWS_MAX).then(
      (rows) => setBehind({ line: row, rows }),
      (failure: Error) => say('common.failed', { message: failure.message }),
    );
  };
  const shown = drill === null || behind === null || behind.line !== drill ? null : behind.rows;
  const isMaker = doc.createdBy === desk.userId;

  const act = async (action: 'submitted' | 'approved' | 'rejected', reason: string | null) => {
    try {
      await desk.recordApproval(doc.id, action, reason);
      setDialog(null);
    } catch (failure) {
      const failed = failureSaid(failure);
      say(failed.key, failed.params);
      throw failure;
    }
  };

  const exportSigned = async () => {
    try {
      const result = await currentHost().exportSignedStatement({ documentJson: statementDocumentJson(doc), locale: display.locale });
      if (result.exported) say('settlements.signedSaved', { files: Object.values(result.files).join(', ') });
      else say('grid.exportCancelled');
    } catch (failure) {
      const text = failure instanceof Error ? failure.message : String(failure);
      if (text.startsWith(SIGNING_NOT_IN_BROWSER)) say('settlements.signingUnavailable');
      else say('common.failed', { message: text });
    }
  };
  const exportLines = async (kind: 'csv' | 'xlsx') => {
    const name = await saveGridExport(currentHost(), kind, `${statement.partnerId}-${doc.period}-r${doc.revision}-lines-unsigned`, lineColumns, lineRows, new Date());
    if (name === null) say('grid.exportCancelled');
    else say('grid.exportSaved', { name });
  };

  return (
    <aside className="sd-panel" aria-labelledby="statement-title" data-testid="statement-preview">
      <div className="sd-panel-head">
        <h2 id="statement-title">
          {t('settlements.preview')}: {statement.partnerId} · {statement.period.start} – {statement.period.end} · r{statement.revision}
        </h2>
        <span className={`sd-chip sd-st-${status}`} data-testid="statement-status">{t(`settlements.status.${status}`)}</span>
      </div>
      <p className="sd-mono">
        {statement.agreement.agreementId} v{statement.agreement.version} · {t('settlements.hashLabel')} {doc.hash}
      </p>
      {doc.blocked ? <p className="sd-notice" role="note">{t('settlements.blockedWhy', { reasons: props.sayBlock(doc.blockReasons) })}</p> : null}
      <section aria-labelledby="statement-lines">
        <h3 id="statement-lines">{t('settlements.columns.lines')}</h3>
        <p className="sd-hint">{t('settlements.drillHint')}</p>
        <div style={{ height: Math.min(60 + lineRows.length * 31, 280) }}>
          <DataGrid<StatementLineRow>
            label={t('settlements.columns.lines')}
            testId="statement-lines-grid"
            columns={lineColumns}
            rows={lineRows}
            rowId={(row) => row.key}
            locale={display.locale}
            numberFormat={display.numberFormat}
            onOpen={openLine}
          />
        </div>
      </section>
      {drill === null ? null : (
        // Shown from the moment a line is opened: its rows come from the engine worker a moment later, and the panel must not vanish meanwhile.
        <section aria-labelledby="statement-drill" data-testid="statement-drill" aria-busy={shown === null}>
          <h3 id="statement-drill">{shown === null ? ts('drillLoading', { product: drill.line.productId ?? drill.group.key }) : t('settlements.drill', { product: drill.line.productId ?? drill.group.key, count: shown.count })}</h3>
          <ul className="sd-hint">
            {lineExplanation(drill, words)
              .filter((part) => part.kind !== 'fx')
              .map((part, index) => (
                <li key={index}>{part.text}</li>
              ))}
          </ul>
          {conversionsOf(drill.line).length === 0 ? null : (
            <details>
              <summary>FX × {conversionsOf(drill.line).length}</summary>
              <ul className="sd-hint">
                {lineExplanation(drill, words)
                  .filter((part) => part.kind === 'fx')
                  .map((part, index) => (
                    <li key={index}>{part.text}</li>
                  ))}
              </ul>
            </details>
          )}
          {shown === null ? null : (
            <TransactionRows rows={shown.rows} format={format} />
          )}
        </section>
      )}
      {statement.adjustments.length === 0 ? null : (
        <section aria-labelledby="statement-adjustments">
          <h3 id="statement-adjustments">{t('settlements.adjustments')}</h3>
          <table className="sd-table">
            <tbody>
              {statement.adjustments.map((adjustment) => (
                <tr key={adjustment.code + adjustment.explanation}>
                  <td>{adjustmentNote(adjustment.explanation, tNote, money)}</td>
                  <td className="num">{money(adjustment.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-labelledby="statement-totals">
        <h3 id="statement-totals">{t('settlements.totals')}</h3>
        <table className="sd-table">
          <tbody>
            {SHOWN_TOTALS.filter((field) => field === 'payable' || field === 'grossBase' || statement.totals[field] !== '0' && !/^-?0(\.0+)?$/.test(statement.totals[field])).map((field) => (
              <tr key={field} className={field === 'payable' ? 'sd-strong' : undefined}>
                <th scope="row">{totalLabel(field)}</th>
                <td className="num" data-testid={`total-${field}`}>{money(statement.totals[field])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="statement-approvals">
        <h3 id="statement-approvals">{t('settlements.approvals')}</h3>
        {props.approvals.length === 0 ? <p className="sd-hint">{t('settlements.noApprovals')}</p> : null}
        <ul>
          {props.approvals.map((event) => {
            const refusal = refusalOf(event.id);
            return (
              <li key={event.id} data-testid="approval-event" className={refusal === null ? undefined : 'sd-refused'}>
                {refusal === null ? null : <s>{ts('refused')}: </s>}
                {t(`settlements.status.${event.action}`)} · {event.by} · <span className="sd-hint">{format.instant(event.at)}</span>
                {event.reason === null || event.reason === '' ? null : <div>{event.reason}</div>}
                {refusal === null ? null : (
                  <div className="sd-notice" role="alert" data-testid="approval-refused">
                    {ts('refusedWhy', { code: refusal.code, message: refusal.message })}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        <div className="sd-toolbar">
          <button type="button" className="sd-primary" disabled={status !== 'draft' && status !== 'rejected'} onClick={() => void act('submitted', null).catch(() => undefined)}>{t('settlements.submit')}</button>
          <button type="button" disabled={status !== 'submitted' || isMaker} onClick={() => setDialog('approved')}>{t('settlements.approve')}</button>
          <button type="button" disabled={status !== 'submitted' || isMaker} onClick={() => setDialog('rejected')}>{t('settlements.reject')}</button>
        </div>
        {isMaker && status === 'submitted' ? <p className="sd-hint">{t('settlements.makerIsChecker')}</p> : null}
      </section>
      <section aria-labelledby="statement-diff">
        <h3 id="statement-diff">{props.previousRevision === null ? t('settlements.diffFirst') : t('settlements.diff', { revision: props.previousRevision })}</h3>
        {props.diff === null ? (
          <p className="sd-hint">{t('settlements.noDiff')}</p>
        ) : props.diff.change === 'unchanged' ? (
          <p>{t('settlements.unchanged')}</p>
        ) : (
          <table className="sd-table" data-testid="statement-diff-table">
            <thead>
              <tr>
                <th scope="col">{t('partners.columns.field')}</th>
                <th scope="col" className="num">{t('partners.columns.current')}</th>
                <th scope="col" className="num">{t('partners.columns.proposed')}</th>
                <th scope="col" className="num">{t('partners.columns.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {props.diff.totals.map((change) => (
                <tr key={change.field}>
                  <td>{totalLabel(change.field)}</td>
                  <td className="num">{money(change.previous)}</td>
                  <td className="num">{money(change.current)}</td>
                  <td className="num">{money(change.delta)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="statement-export">
        <h3 id="statement-export">{t('settlements.export')}</h3>
        {host?.kind === 'web' ? <p className="sd-notice" role="note">{t('settlements.signingUnavailable')}</p> : null}
        <div className="sd-toolbar">
          <button type="button" disabled={host?.kind !== 'electron'} onClick={() => void exportSigned()}>{t('settlements.exportSigned')}</button>
          <button type="button" onClick={() => void exportLines('csv')}>{t('settlements.exportCsv')}</button>
          <button type="button" onClick={() => void exportLines('xlsx')}>{t('settlements.exportXlsx')}</button>
        </div>
      </section>
      <p role="status" aria-live="polite" className="sd-status">{message}</p>
      {dialog === null ? null : (
        <ReasonDialog
          title={t(dialog === 'approved' ? 'settlements.approveTitle' : 'settlements.rejectTitle', { partner: statement.partnerId })}
          reasonRequired
          confirmLabel={t(dialog === 'approved' ? 'settlements.approve' : 'settlements.reject').replace('…', '')}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) => act(dialog, reason)}
        />
      )}
    </aside>
  );
}
