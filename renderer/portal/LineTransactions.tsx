import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount, formatDate, formatMoney } from '../i18n/format.ts';
import { isLocale } from '../i18n/index.ts';
import { errorText, type PortalApi, type TransactionPage } from './api.ts';
import { PORTAL_NS } from './texts.ts';

/** The transactions behind one line, a page at a time as the server pages them (end customers pseudonymized). */
export const TRANSACTIONS_PAGE_ROWS = 50;

export function LineTransactions({ api, statementId, line, product, onClose }: { readonly api: PortalApi; readonly statementId: string; readonly line: number; readonly product: string; readonly onClose: () => void }) {
  const { t, i18n } = useTranslation(PORTAL_NS);
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<TransactionPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setPage(null);
    api.transactions(statementId, line, { offset, limit: TRANSACTIONS_PAGE_ROWS }).then(
      (found) => live && setPage(found),
      (failure: unknown) => live && setError(t('error', { message: errorText(failure) })),
    );
    return () => {
      live = false;
    };
  }, [api, statementId, line, offset, t]);
  useEffect(() => {
    document.getElementById('portal-tx-title')?.focus();
  }, [line]);
  const last = page === null ? offset : Math.min(page.total, offset + page.items.length);
  return (
    <section className="card" aria-labelledby="portal-tx-title" data-testid="portal-transactions">
      <div className="portal-panel-head">
        <h2 id="portal-tx-title" tabIndex={-1}>{t('tx.heading', { line, product })}</h2>
        <button type="button" onClick={onClose}>{t('tx.close')}</button>
      </div>
      {error === null ? null : <p className="field-error" role="alert">{error}</p>}
      {page === null && error === null ? <p role="status">{t('tx.loading')}</p> : null}
      {page !== null && page.total === 0 ? <p>{t('tx.empty')}</p> : null}
      {page !== null && page.total > 0 ? (
        <>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">{t('tx.date')}</th>
                <th scope="col">{t('tx.kind')}</th>
                <th scope="col" className="num">{t('tx.amount')}</th>
                <th scope="col">{t('tx.channel')}</th>
                <th scope="col">{t('tx.reference')}</th>
                <th scope="col">{t('tx.customer')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((tx) => (
                <tr key={tx.id} data-tx={tx.id}>
                  <td>{formatDate(tx.occurredAt, { locale, dateStyle: 'iso' })}</td>
                  <td>{tx.kind}</td>
                  <td className="num">{`${formatMoney(tx.amount, tx.currency, 'en')} ${tx.currency}`}</td>
                  <td>{tx.channel ?? '—'}</td>
                  <td className="portal-mono">{tx.externalId ?? tx.id}</td>
                  <td className="portal-mono">{tx.customer ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="toolbar portal-pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - TRANSACTIONS_PAGE_ROWS))}>{t('tx.previous')}</button>
            <span role="status" data-testid="portal-tx-range">{t('tx.range', { from: formatCount(offset + 1, 'en'), to: formatCount(last, 'en'), total: formatCount(page.total, 'en') })}</span>
            <button type="button" disabled={last >= page.total} onClick={() => setOffset(offset + TRANSACTIONS_PAGE_ROWS)}>{t('tx.next')}</button>
          </div>
        </>
      ) : null}
    </section>
  );
}
