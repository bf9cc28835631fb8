import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatementLine } from '../../core/settlement/index.ts';
import { formatMoney } from '../i18n/format.ts';
import { errorText, type PartnerQuery, type PortalApi } from './api.ts';
import { checkQuery, QUERY_TEXT_CHARS_MAX, type QueryFieldError } from './statement-files.ts';
import { PORTAL_NS } from './texts.ts';

/** The partner's queries on a statement with the analyst's answers, and the form to raise one on a line. */
export interface QueriesProps {
  readonly api: PortalApi;
  readonly statementId: string;
  readonly lines: readonly StatementLine[];
  readonly currency: string;
  readonly line: number | null;
  readonly onLine: (line: number) => void;
  readonly noProduct: string;
}

export function Queries({ api, statementId, lines, currency, line, onLine, noProduct }: QueriesProps) {
  const { t } = useTranslation(PORTAL_NS);
  const [queries, setQueries] = useState<PartnerQuery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [claimed, setClaimed] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ text?: QueryFieldError; claimedAmount?: QueryFieldError }>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const ids = { text: useId(), claimed: useId() };
  const chosen = line ?? 1;
  const load = useCallback(
    () =>
      api.queries(statementId).then(
        (found) => setQueries(found),
        (failure: unknown) => setError(t('error', { message: errorText(failure) })),
      ),
    [api, statementId, t],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    setError(null);
    const checked = checkQuery(chosen, text, claimed);
    if (!checked.ok) {
      setFieldErrors(checked.errors);
      document.getElementById(checked.errors.text === undefined ? 'portal-query-amount' : 'portal-query-text')?.focus();
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      await api.raiseQuery(statementId, checked.body);
      setText('');
      setClaimed('');
      setSent(true);
      await load();
    } catch (failure) {
      setError(t('error', { message: errorText(failure) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="portal-queries">
      <h2 id="portal-queries">{t('queries.heading')}</h2>
      {queries !== null && queries.length === 0 ? <p>{t('queries.none')}</p> : null}
      {/* An answer is written on the desk at any time; the page reads the queries again when asked. */}
      {queries !== null && queries.some((query) => query.status === 'open') ? (
        <button type="button" data-testid="portal-queries-refresh" onClick={() => void load()}>{t('queries.refresh')}</button>
      ) : null}
      {queries !== null && queries.length > 0 ? (
        <table className="plain" data-testid="portal-queries">
          <thead>
            <tr>
              <th scope="col" className="num">{t('queries.line')}</th>
              <th scope="col">{t('queries.text')}</th>
              <th scope="col" className="num">{t('queries.claimed')}</th>
              <th scope="col">{t('queries.status')}</th>
              <th scope="col">{t('queries.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {queries.map((query) => (
              <tr key={query.id} data-query={query.id} data-status={query.status}>
                <td className="num">{query.line}</td>
                <td>{query.text}</td>
                <td className="num">{query.claimedAmount === null ? '—' : `${formatMoney(query.claimedAmount, currency, 'en')} ${currency}`}</td>
                <td><span className={`badge badge-${query.status === 'answered' ? 'info' : 'warning'}`}>{t(`queries.${query.status}`)}</span></td>
                <td data-testid="portal-answer">{query.answer ?? <span className="muted">{t('queries.noAnswer')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h3 className="portal-form-heading">{t('queries.formHeading')}</h3>
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="portal-query-form">
        <div className="field">
          <label htmlFor="portal-query-line">{t('queries.lineLabel')}</label>
          <select id="portal-query-line" value={chosen} onChange={(event) => onLine(Number(event.target.value))}>
            {lines.map((each, index) => (
              <option key={`${index}:${each.productId ?? ''}:${each.currency}`} value={index + 1}>{t('queries.lineOption', { line: index + 1, product: each.productId ?? noProduct, currency: each.currency })}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="portal-query-text">{t('queries.textLabel')}</label>
          <textarea id="portal-query-text" rows={3} value={text} maxLength={QUERY_TEXT_CHARS_MAX + 100} aria-invalid={fieldErrors.text !== undefined} aria-describedby={ids.text} onChange={(event) => setText(event.target.value)} />
          <span id={ids.text} className={fieldErrors.text === undefined ? 'muted' : 'field-error'}>{fieldErrors.text === undefined ? t('queries.textHint', { max: QUERY_TEXT_CHARS_MAX }) : t(`queries.errors.${fieldErrors.text}`, { max: QUERY_TEXT_CHARS_MAX })}</span>
        </div>
        <div className="field">
          <label htmlFor="portal-query-amount">{t('queries.claimedLabel', { currency })}</label>
          <input id="portal-query-amount" inputMode="decimal" value={claimed} aria-invalid={fieldErrors.claimedAmount !== undefined} aria-describedby={ids.claimed} onChange={(event) => setClaimed(event.target.value)} />
          <span id={ids.claimed} className={fieldErrors.claimedAmount === undefined ? 'muted' : 'field-error'}>{fieldErrors.claimedAmount === undefined ? t('queries.claimedHint') : t(`queries.errors.${fieldErrors.claimedAmount}`)}</span>
        </div>
        <button type="submit" className="primary" disabled={busy}>{busy ? t('queries.sending') : t('queries.submit')}</button>
        {sent ? <p role="status" className="portal-ok">{t('queries.sent')}</p> : null}
        {error === null ? null : <p role="alert" className="field-error">{error}</p>}
      </form>
    </section>
  );
}
