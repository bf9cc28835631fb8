import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Decimal } from '../../../../core/money/decimal.ts';
import type { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { useFormat } from '../../app/use-format.ts';
import type { PreviewRequest } from './partners-worker-protocol.ts';
import type { Preview, PreviewRow } from './preview.ts';
import type { PreviewSource } from './preview-source.ts';
import { REVIEW_NS, registerReviewTexts } from '../../grid/texts.ts';
import { unsettledWhy } from '../settlements/block-reason.ts';
import { registerSettlementTexts, SETTLEMENT_NS } from '../settlements/texts.ts';
import { PARTNERS_NS } from './texts.ts';

registerReviewTexts();
registerSettlementTexts();

export interface PreviewPanelProps {
  readonly source: PreviewSource | null;
  readonly current: AgreementVersion;
  /** The draft once it is valid; null while it is not. */
  readonly edited: AgreementVersion | null;
  /** Settles the preview in the engine worker over the partner's rows there; null until the month's review is here. */
  readonly settle: ((request: PreviewRequest) => Promise<Preview>) | null;
}

function signed(delta: string, text: string): string {
  return new Decimal(delta).greaterThan(0) ? `+${text}` : text;
}

/**
 * "Preview on the last period": settles the period with the current version and with the draft
 * (core's engine, in the engine worker over the partner's rows it holds) and shows each number old, new and the exact
 * difference, in the settlement currency's digits. elapsedMs is the round trip to the worker.
 */
export function PreviewPanel({ source, current, edited, settle }: PreviewPanelProps) {
  const { t } = useTranslation(PARTNERS_NS);
  const { t: tReview } = useTranslation(REVIEW_NS);
  const { t: tSettle } = useTranslation(SETTLEMENT_NS);
  const format = useFormat();
  const [preview, setPreview] = useState<{ readonly result: Preview; readonly elapsedMs: number } | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // A preview belongs to the draft it was made with: any edit clears it.
  useEffect(() => {
    setPreview(null);
    setFailure(null);
  }, [edited]);

  const run = async () => {
    if (source === null || edited === null || settle === null) return;
    setRunning(true);
    try {
      const started = performance.now();
      const result = await settle({ period: source.period, current, edited, rates: source.rates, stateIn: source.statesIn[current.partnerId] ?? null });
      setPreview({ result, elapsedMs: Math.round(performance.now() - started) });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  };

  const labelOf = (row: PreviewRow): string => {
    const group = row.group === null ? '' : row.group === 'default' ? t('preview.group.default') : t('preview.group.product', { product: row.group.replace(/^product:/, '') });
    const line = t('preview.scope.line', { product: row.productId ?? '—', currency: row.lineCurrency ?? '' });
    if (row.scope === 'line') return row.group === 'default' ? line : `${group} · ${line}`;
    if (row.scope === 'group') return t('preview.scope.group', { group, field: t(`preview.groupField.${row.field}`) });
    return t('preview.scope.total', { field: t(`preview.total.${row.field}`) });
  };
  const money = (amount: string | null, currency: string) => (amount === null ? '—' : format.money(amount, currency));
  const result = preview?.result ?? null;
  const payable = result?.rows.find((row) => row.id === 'total|payable') ?? null;

  return (
    <section className="sd-panel pf-preview" data-testid="agreement-preview" aria-labelledby="pf-preview-title">
      <h3 id="pf-preview-title">{t('preview.title')}</h3>
      {source === null ? <p className="sd-hint">{t('preview.noMonth')}</p> : null}
      {edited === null ? <p className="sd-hint">{t('preview.needsValid')}</p> : null}
      <div>
        <button type="button" className="sd-primary" data-testid="run-preview" disabled={source === null || edited === null || settle === null || running} onClick={() => void run()}>
          {running ? t('preview.running', { period: source?.month ?? '' }) : t('preview.run', { period: source?.month ?? '' })}
        </button>
      </div>
      {failure === null ? null : <p className="sd-error">{failure}</p>}
      {result === null || source === null ? null : (
        <div data-testid="preview-result" data-elapsed-ms={preview?.elapsedMs}>
          <p>
            <strong>{t('preview.heading', { partner: current.partnerId, period: source.month, version: current.version })}</strong>
            <br />
            <span className="sd-hint">{t('preview.basis', { source: source.origin.kind === 'run' ? t('preview.sourceRun', { revision: source.origin.revision }) : t('preview.sourceDemo') })}</span>
          </p>
          {(['before', 'after'] as const).map((side) => {
            const problem = result[side].problem;
            // Why, said from the engine's code and facts as the Settlements screen says it.
            const why = problem === null ? '' : unsettledWhy(problem, tReview, { period: result.period, date: format.date, monthDay: format.monthDay, ts: tSettle });
            return problem === null ? null : <p key={side} className="sd-error">{t('preview.noStatement', { side: t(`preview.side.${side}`), why })}</p>;
          })}
          {payable === null ? null : (
            <p className="pf-payable" data-testid="preview-payable">
              {t('preview.payable', {
                before: money(payable.before, result.currencyBefore),
                after: money(payable.after, result.currencyAfter),
                delta: payable.delta === null ? '—' : new Decimal(payable.delta).isZero() ? t('preview.unchanged') : signed(payable.delta, money(payable.delta, result.currencyAfter)),
              })}
            </p>
          )}
          <table className="sd-table pf-preview-table" data-testid="preview-table">
            <thead>
              <tr>
                <th scope="col">{t('preview.columns.what')}</th>
                <th scope="col" className="num">{t('preview.columns.before')} ({result.currencyBefore})</th>
                <th scope="col" className="num">{t('preview.columns.after')} ({result.currencyAfter})</th>
                <th scope="col" className="num">{t('preview.columns.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => {
                const moved = row.delta !== null && !new Decimal(row.delta).isZero();
                return (
                  <tr key={row.id} data-row={row.id} className={`pf-scope-${row.scope}${moved ? ' pf-moved' : ''}`}>
                    <th scope="row">{labelOf(row)}</th>
                    <td className="num" data-col="before">{money(row.before, result.currencyBefore)}</td>
                    <td className="num" data-col="after">{money(row.after, result.currencyAfter)}</td>
                    <td className="num" data-col="delta">{row.delta === null ? '—' : signed(row.delta, money(row.delta, result.currencyAfter))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
