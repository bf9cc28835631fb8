import { Fragment, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Statement, StatementLine } from '../../core/settlement/index.ts';
import { buildStatementDocument, type DocumentBlock } from '../../core/statement/document.ts';
import { STATEMENT_LABELS } from '../../core/statement/labels.ts';
import { isLocale } from '../i18n/index.ts';
import { errorText, type PortalApi, type PortalStatement, type StatementSummary } from './api.ts';
import { LineTransactions } from './LineTransactions.tsx';
import { Queries } from './Queries.tsx';
import { statementCsvText, statementFileStem, statementJsonText, verifyStatementHash, type HashCheck } from './statement-files.ts';
import { PORTAL_NS } from './texts.ts';

/**
 * One approved statement as its printed form shows it (core/statement builds the blocks, with the
 * statement's own labels and explanations in the chosen language), plus what only the portal does:
 * the hash check in the page, the downloads, drill-down from a line and queries on a line.
 */
function download(name: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function flatLines(statement: Statement): StatementLine[] {
  return statement.groups.flatMap((group) => group.lines);
}

interface LineActions {
  readonly onTransactions: (line: number) => void;
  readonly onAsk: (line: number) => void;
}

function Block({ block, isLines, actions }: { readonly block: DocumentBlock; readonly isLines: boolean; readonly actions: LineActions }) {
  const { t } = useTranslation(PORTAL_NS);
  switch (block.kind) {
    case 'heading':
      return <h2>{block.text}</h2>;
    case 'paragraphs':
      return (
        <>
          {block.items.map((item) => (
            <p key={item} className="portal-paragraph">{item}</p>
          ))}
        </>
      );
    case 'fields':
      return (
        <dl className="portal-fields">
          {block.rows.map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      );
    case 'table':
      return (
        <table className="plain portal-table" data-testid={isLines ? 'portal-lines' : undefined}>
          <thead>
            <tr>
              {block.columns.map((column) => (
                <th key={column.label} scope="col" className={column.align === 'right' ? 'num' : undefined}>{column.label}</th>
              ))}
              {isLines ? <th scope="col">{t('statement.lineActions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, index) => (
              <Fragment key={`${index}:${row.cells.join('|')}`}>
                <tr className={row.emphasis === true ? 'portal-emphasis' : undefined} data-line={isLines ? index + 1 : undefined}>
                  {row.cells.map((cell, cellIndex) => (
                    <td key={`${cellIndex}:${cell}`} className={block.columns[cellIndex]?.align === 'right' ? 'num' : undefined}>{cell}</td>
                  ))}
                  {isLines ? (
                    <td className="portal-actions">
                      <button type="button" aria-label={t('statement.transactionsOf', { line: index + 1 })} onClick={() => actions.onTransactions(index + 1)}>{t('statement.transactions')}</button>
                      <button type="button" aria-label={t('statement.ask', { line: index + 1 })} onClick={() => actions.onAsk(index + 1)}>{t('statement.askShort')}</button>
                    </td>
                  ) : null}
                </tr>
                {row.note === undefined ? null : (
                  <tr className="portal-note">
                    <td colSpan={row.cells.length + (isLines ? 1 : 0)}>{row.note}</td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      );
  }
}

function HashPanel({ found }: { readonly found: PortalStatement }) {
  const { t } = useTranslation(PORTAL_NS);
  const [check, setCheck] = useState<HashCheck | null>(null);
  return (
    <section className="card" aria-labelledby="portal-hash">
      <h2 id="portal-hash">{t('statement.hash')}</h2>
      <p className="portal-mono" data-testid="portal-hash">{found.sha256}</p>
      <button type="button" className="primary" onClick={() => setCheck(verifyStatementHash(found.document.statement, found.sha256))}>{t('statement.verify')}</button>
      <p role="status" data-testid="portal-verify" data-result={check === null ? 'none' : check.matches ? 'match' : 'mismatch'} className={check === null ? undefined : check.matches ? 'portal-ok' : 'field-error'}>
        {check === null ? '' : check.matches ? t('statement.match') : t('statement.mismatch', { computed: check.computed })}
      </p>
    </section>
  );
}

function Downloads({ api, found }: { readonly api: PortalApi; readonly found: PortalStatement }) {
  const { t } = useTranslation(PORTAL_NS);
  const [message, setMessage] = useState<string | null>(null);
  const stem = statementFileStem(found.document.statement, found.period);
  const pdf = async () => {
    setMessage(null);
    try {
      const bytes = await api.pdf(found.id);
      if (bytes === null) setMessage(t('statement.pdfMissing'));
      else download(`${stem}.statement.pdf`, bytes);
    } catch (failure) {
      setMessage(t('error', { message: errorText(failure) }));
    }
  };
  return (
    <section className="card" aria-labelledby="portal-downloads">
      <h2 id="portal-downloads">{t('statement.downloads')}</h2>
      <div className="toolbar">
        <button type="button" data-testid="download-pdf" onClick={() => void pdf()}>{t('statement.pdf')}</button>
        <button type="button" data-testid="download-json" onClick={() => download(`${stem}.statement.json`, new Blob([statementJsonText(found.document.statement, found.sha256)], { type: 'application/json' }))}>{t('statement.json')}</button>
        {found.jws === null ? null : (
          <button type="button" data-testid="download-jws" onClick={() => download(`${stem}.statement.jws`, new Blob([`${found.jws ?? ''}\n`], { type: 'application/jose' }))}>{t('statement.jws')}</button>
        )}
        <button type="button" data-testid="download-csv" onClick={() => download(`${stem}.lines.csv`, new Blob([statementCsvText(found.document.statement)], { type: 'text/csv' }))}>{t('statement.csv')}</button>
      </div>
      {message === null ? null : <p role="alert" className="field-error">{message}</p>}
    </section>
  );
}

export function StatementView({ api, summary, onBack }: { readonly api: PortalApi; readonly summary: StatementSummary; readonly onBack: () => void }) {
  const { t, i18n } = useTranslation(PORTAL_NS);
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  const [found, setFound] = useState<PortalStatement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drill, setDrill] = useState<number | null>(null);
  const [askLine, setAskLine] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    api.statement(summary.id).then(
      (statement) => live && setFound(statement),
      (failure: unknown) => live && setError(t('error', { message: errorText(failure) })),
    );
    return () => {
      live = false;
    };
  }, [api, summary.id, t]);
  useEffect(() => {
    document.getElementById('portal-statement-title')?.focus();
  }, [found]);
  const printed = useMemo(() => {
    if (found === null) return null;
    const built = buildStatementDocument(found.document.statement, null, locale);
    // The issuer row would say "not signed": the portal shows the server's copy, whose signature is in the PDF and JWS.
    const issuer = STATEMENT_LABELS[locale].issuer;
    return built.blocks.map((block) => (block.kind === 'fields' ? { ...block, rows: block.rows.filter(([label]) => label !== issuer) } : block));
  }, [found, locale]);
  const lines = found === null ? [] : flatLines(found.document.statement);
  const linesHeading = STATEMENT_LABELS[locale].lines;
  const actions: LineActions = {
    onTransactions: (line) => setDrill(line),
    onAsk: (line) => {
      setAskLine(line);
      setTimeout(() => document.getElementById('portal-query-text')?.focus(), 0);
    },
  };
  return (
    <section aria-labelledby="portal-statement-title" className="portal-statement">
      <button type="button" onClick={onBack}>{t('statement.back')}</button>
      <h1 id="portal-statement-title" tabIndex={-1}>
        {t('statement.heading', { period: summary.period, revision: summary.revision })}{' '}
        <span className={`badge badge-${summary.status === 'current' ? 'info' : 'warning'}`}>{t(`status.${summary.status}`)}</span>
      </h1>
      {error === null ? null : <p className="field-error" role="alert">{error}</p>}
      {found === null || printed === null ? (
        error === null ? <p role="status">{t('statement.loading')}</p> : null
      ) : (
        <>
          {found.supersededBy === null ? null : (
            <div className="card portal-superseded" role="note">
              <p>{t('statement.supersededBy', { id: found.supersededBy })}</p>
              {found.diff === null || found.diff.totals.length === 0 ? null : (
                <>
                  <h2>{t('statement.changes')}</h2>
                  <ul>
                    {found.diff.totals.map((change) => (
                      <li key={change.field}>{t('statement.changeTotal', { field: STATEMENT_LABELS[locale].totalsFields[change.field as keyof (typeof STATEMENT_LABELS)['en']['totalsFields']] ?? change.field, previous: change.previous, current: change.current })}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          <div className="cards">
            <HashPanel found={found} />
            <Downloads api={api} found={found} />
          </div>
          <article className="card portal-document" lang={locale}>
            {printed.map((block, index) => (
              <Block key={`${index}:${block.kind}`} block={block} isLines={block.kind === 'table' && printed[index - 1]?.kind === 'heading' && (printed[index - 1] as { text: string }).text === linesHeading} actions={actions} />
            ))}
          </article>
          {drill === null ? null : <LineTransactions key={drill} api={api} statementId={found.id} line={drill} product={lines[drill - 1]?.productId ?? STATEMENT_LABELS[locale].noProduct} onClose={() => setDrill(null)} />}
          <Queries api={api} statementId={found.id} lines={lines} currency={found.currency} line={askLine} onLine={setAskLine} noProduct={STATEMENT_LABELS[locale].noProduct} />
        </>
      )}
    </section>
  );
}
