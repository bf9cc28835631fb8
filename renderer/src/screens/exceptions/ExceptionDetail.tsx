import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { failureSaid } from '../../app/failure-text.ts';
import { sayIn, type Said } from '../../app/use-said.ts';
import { canonicalJson } from '../../../../core/canonical/json.ts';
import type { CommentDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import type { EXCEPTION_EDITABLE_FIELDS } from '../../../../core/sync/merge.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import { useFormat } from '../../app/use-format.ts';
import type { ReviewMonth } from '../../grid/review-desk.tsx';
import { TransactionRows } from '../../grid/TransactionRows.tsx';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { REVIEW_NS } from '../../grid/texts.ts';
import { useStream } from '../../grid/use-stream.ts';
import { expectedBandOf, historyReason, partnerQueryEvidence, suggestedActions, transactionRefs, unmatchedGroupOf, type ExpectedBand, type PartnerQueryEvidence, type SuggestedAction, type UnmatchedGroupRef } from './exception-rows.ts';
import { exceptionTitle } from './exception-title.ts';
import { factValue } from './fact-value.ts';
import { groupRowsFailureSaid } from './group-failure.ts';
import { EXCEPTION_GROUP_NS, registerExceptionGroupTexts } from './group-texts.ts';
import { PartnerAnswer } from './PartnerAnswer.tsx';
import { EXCEPTION_TITLES_NS } from './title-texts.ts';

registerExceptionGroupTexts();

type EditableField = (typeof EXCEPTION_EDITABLE_FIELDS)[number];

export interface ExceptionDetailProps {
  readonly desk: ReviewDesk;
  readonly doc: ExceptionDoc;
  readonly byId: ReadonlyMap<string, CanonicalTransaction>;
  /** Asks the engine worker for a grouped exception's rows, a page at a time. */
  readonly askReview: ReviewMonth['askReview'];
  readonly onClose: () => void;
}

function Band({ band }: { readonly band: ExpectedBand }) {
  const { t } = useTranslation(REVIEW_NS);
  const top = Math.max(band.high, band.observed) * 1.15 || 1;
  const at = (value: number) => `${Math.min(100, Math.max(0, (value / top) * 100))}%`;
  return (
    <section aria-labelledby="exc-band">
      <h3 id="exc-band">{t('exceptions.detail.expectedBand')}</h3>
      <div className="sd-band" role="img" aria-label={`${t('exceptions.detail.band')}: ${band.low.toFixed(1)}–${band.high.toFixed(1)}; ${t('exceptions.detail.observed')}: ${band.observed}`}>
        <div className="sd-band-range" style={{ left: at(band.low), width: `calc(${at(band.high)} - ${at(band.low)})` }} />
        <div className="sd-band-mark sd-band-expected" style={{ left: at(band.expected) }} />
        <div className="sd-band-mark sd-band-observed" style={{ left: at(band.observed) }} />
      </div>
      <dl className="sd-kv">
        <dt>{t('exceptions.detail.expected')}</dt>
        <dd>{band.expected.toFixed(1)}</dd>
        <dt>{t('exceptions.detail.band')}</dt>
        <dd>{`${band.low.toFixed(1)} – ${band.high.toFixed(1)}`}</dd>
        <dt>{t('exceptions.detail.observed')}</dt>
        <dd>{band.observed}</dd>
      </dl>
    </section>
  );
}

type Format = ReturnType<typeof useFormat>;

/** A partner query's evidence: the statement and line asked about, the question and claim, the line as this desk computed it. */
export function PartnerQueryFacts({ evidence, format }: { readonly evidence: PartnerQueryEvidence; readonly format: Format }) {
  const { t } = useTranslation(REVIEW_NS);
  const { statement, statementLine, currency } = evidence;
  const money = (amount: string) => (currency === null ? amount : `${format.money(amount, currency)} ${currency}`);
  return (
    <section aria-labelledby="exc-evidence" data-testid="partner-query-evidence">
      <h3 id="exc-evidence">{t('exceptions.detail.query.heading')}</h3>
      <dl className="sd-kv">
        <dt>{t('exceptions.detail.query.statement')}</dt>
        <dd>
          {statement === null
            ? t('exceptions.detail.query.noStatement', { id: evidence.statementId ?? '?' })
            : t('exceptions.detail.query.statementOf', { partner: statement.partnerId, period: statement.period, revision: statement.revision })}
        </dd>
        {evidence.statementHash === null ? null : (
          <>
            <dt>{t('exceptions.detail.query.hash')}</dt>
            <dd className="sd-mono">{evidence.statementHash}</dd>
          </>
        )}
        <dt>{t('exceptions.detail.query.line')}</dt>
        <dd>
          {statementLine === null
            ? statement === null
              ? String(evidence.line ?? '?')
              : t('exceptions.detail.query.noLine', { line: evidence.line ?? '?' })
            : t('exceptions.detail.query.lineOf', { line: evidence.line, product: statementLine.productId ?? t('exceptions.detail.query.noProduct'), currency: statementLine.lineCurrency })}
        </dd>
        {statementLine === null ? null : (
          <>
            <dt>{t('exceptions.detail.query.transactions')}</dt>
            <dd>{format.count(statementLine.transactionCount)}</dd>
            <dt>{t('exceptions.detail.query.base')}</dt>
            <dd>{money(statementLine.base)}</dd>
          </>
        )}
        <dt>{t('exceptions.detail.query.question')}</dt>
        <dd>{evidence.question}</dd>
        {evidence.claimedAmount === null ? null : (
          <>
            <dt>{t('exceptions.detail.query.claimed')}</dt>
            <dd>{money(evidence.claimedAmount)}</dd>
          </>
        )}
        {evidence.askedBy === null ? null : (
          <>
            <dt>{t('exceptions.detail.query.askedBy')}</dt>
            <dd>{evidence.askedBy}</dd>
          </>
        )}
      </dl>
      {statement?.sameHash === false ? <p className="sd-error">{t('exceptions.detail.query.otherHash')}</p> : null}
    </section>
  );
}

/** Rows of a grouped exception asked of the worker at once: a page the panel shows in one table. */
export const GROUP_PAGE_ROWS = 100;

export interface GroupPage {
  readonly start: number;
  /** How many rows of the group the month has unmatched now, and their exact net and gross (rows matched by hand since left out). */
  readonly count: number;
  readonly net: string;
  readonly gross: string;
  readonly rows: readonly CanonicalTransaction[];
}

/** One page of a grouped exception's rows with what it had when raised and what is still open; `onPage` moves to another first row. */
export function GroupRowsPage({ doc, page, format, onPage }: { readonly doc: Pick<ExceptionDoc, 'details'>; readonly page: GroupPage | null; readonly format: Format; readonly onPage: (start: number) => void }) {
  const { t } = useTranslation(EXCEPTION_GROUP_NS);
  const { count, net, gross, currency } = doc.details;
  const money = (amount: string | undefined) => (amount === undefined || currency === undefined ? '' : format.money(amount, currency));
  return (
    <section aria-labelledby="exc-evidence" data-testid="exception-group-rows">
      <h3 id="exc-evidence">{t('heading')}</h3>
      <p>{t('raised', { count: format.count(Number(count ?? 0)), net: money(net), gross: money(gross), currency })}</p>
      {page === null ? null : <p data-testid="exception-group-open">{t('open', { count: format.count(page.count), net: money(page.net), gross: money(page.gross), currency })}</p>}
      {page === null ? (
        <p className="sd-hint">{t('loading')}</p>
      ) : page.count === 0 ? (
        <p className="sd-hint">{t('none')}</p>
      ) : (
        <>
          <p aria-live="polite">{t('page', { from: format.count(page.start + 1), to: format.count(page.start + page.rows.length), count: format.count(page.count) })}</p>
          <TransactionRows rows={page.rows} format={format} showSource />
          <div className="sd-toolbar">
            <button type="button" disabled={page.start === 0} onClick={() => onPage(Math.max(0, page.start - GROUP_PAGE_ROWS))}>{t('previous')}</button>
            <button type="button" disabled={page.start + page.rows.length >= page.count} onClick={() => onPage(page.start + GROUP_PAGE_ROWS)}>{t('next')}</button>
          </div>
        </>
      )}
    </section>
  );
}

/** A grouped exception's rows from the engine worker, a page at a time: every row it stands for is reachable here. */
function GroupRows({ doc, group, askReview, format }: { readonly doc: ExceptionDoc; readonly group: UnmatchedGroupRef; readonly askReview: ReviewMonth['askReview']; readonly format: Format }) {
  const [start, setStart] = useState(0);
  const [page, setPage] = useState<GroupPage | null>(null);
  const { t } = useTranslation(EXCEPTION_GROUP_NS);
  // Said in the language of the moment: an engine failure by its code, never its English message.
  const [error, setError] = useState<Said | null>(null);
  const { side, account, currency, date } = group;
  useEffect(() => {
    let live = true;
    void askReview('unmatched-rows', { side, account, currency, date, startRow: start, endRow: start + GROUP_PAGE_ROWS }).then(
      (answer) => live && setPage({ start, count: answer.count, net: answer.net, gross: answer.gross, rows: answer.rows }),
      (failure: unknown) => live && setError(groupRowsFailureSaid(failure)),
    );
    return () => {
      live = false;
    };
  }, [askReview, side, account, currency, date, start]);
  return (
    <>
      <GroupRowsPage doc={doc} page={page} format={format} onPage={setStart} />
      {error === null ? null : <p className="sd-error" role="alert">{sayIn(error, t)}</p>}
    </>
  );
}

/** Reads the desk's statements for the query's evidence (all of them: a query names a statement id, not its run). */
function PartnerQuery({ desk, doc, format }: { readonly desk: ReviewDesk; readonly doc: ExceptionDoc; readonly format: Format }) {
  const [stream] = useState(() => desk.statements$());
  const statements = useStream(stream) ?? [];
  return <PartnerQueryFacts evidence={partnerQueryEvidence(doc, statements)} format={format} />;
}

/** A suggested action, as a link where the desk has a screen for it. */
function ActionText({ action }: { readonly action: SuggestedAction }) {
  const { t } = useTranslation(REVIEW_NS);
  const text = t(`exceptions.action.${action}`);
  if (action === 'match_by_hand') return <a href="#/reconciliation">{text}</a>;
  if (action === 'rerun_if_claim_right') return <a href="#/settlements">{text}</a>;
  return <>{text}</>;
}

function Conflicts({ desk, doc }: { readonly desk: ReviewDesk; readonly doc: ExceptionDoc }) {
  const { t } = useTranslation(REVIEW_NS);
  const [error, setError] = useState<string | null>(null);
  if (doc.conflicts.length === 0) return null;
  const keep = (field: string, value: string) =>
    void desk.resolveExceptionConflict(doc.id, field as EditableField, JSON.parse(value) as unknown).catch((failure: Error) => setError(sayIn(failureSaid(failure), t)));
  return (
    <section className="sd-conflict" aria-labelledby="exc-conflicts">
      <h3 id="exc-conflicts">{t('exceptions.detail.conflicts')}</h3>
      {doc.conflicts.map((conflict) => (
        <div key={conflict.field}>
          <strong>{conflict.field}</strong>
          <div className="sd-conflict-sides">
            <div className="sd-conflict-side">
              <span className="sd-hint">{t('exceptions.detail.conflictBase')}</span>
              <code>{conflict.base}</code>
            </div>
            {conflict.candidates.map((candidate) => (
              <div className="sd-conflict-side" key={`${candidate.by}:${candidate.value}`}>
                <span className="sd-hint">{t('exceptions.detail.conflictBy', { by: candidate.by })}</span>
                <code>{candidate.value}</code>
                <button type="button" onClick={() => keep(conflict.field, candidate.value)}>{t('exceptions.detail.keepValue')}</button>
              </div>
            ))}
          </div>
        </div>
      ))}
      {error === null ? null : <p className="sd-error" role="alert">{error}</p>}
    </section>
  );
}

function Comments({ desk, doc }: { readonly desk: ReviewDesk; readonly doc: ExceptionDoc }) {
  const { t } = useTranslation(REVIEW_NS);
  const [stream] = useState(() => desk.comments$({ kind: 'exception', id: doc.id }));
  const comments: readonly CommentDoc[] = useStream(stream) ?? [];
  const format = useFormat();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const post = async () => {
    if (text.trim() === '') return;
    try {
      await desk.addComment({ kind: 'exception', id: doc.id }, text.trim());
      setText('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const all = [...doc.comments.map((c) => ({ key: `${c.at}${c.author}`, author: c.author, at: c.at, text: c.text })), ...comments.map((c) => ({ key: c.id, author: c.author, at: c.at, text: c.text }))];
  return (
    <section aria-labelledby="exc-comments">
      <h3 id="exc-comments">{t('exceptions.detail.comments')}</h3>
      {all.length === 0 ? <p className="sd-hint">{t('exceptions.detail.noComments')}</p> : null}
      <ul className="sd-comments">
        {all.map((comment) => (
          <li key={comment.key}>
            <strong>{comment.author}</strong> <span className="sd-hint">{format.instant(comment.at)}</span>
            <div>{comment.text}</div>
          </li>
        ))}
      </ul>
      <label className="sd-field" htmlFor="exc-comment">
        <span>{t('exceptions.detail.addComment')}</span>
        <textarea id="exc-comment" rows={2} value={text} onChange={(event) => setText(event.target.value)} onKeyDown={(event) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void post(); }} />
      </label>
      <div>
        <button type="button" onClick={() => void post()} disabled={text.trim() === ''}>{t('exceptions.detail.postComment')}</button>
      </div>
      {error === null ? null : <p className="sd-error" role="alert">{error}</p>}
    </section>
  );
}

/** One exception opened beside the grid: its evidence, suggested actions, conflicts, history and comments. */
export function ExceptionDetail({ desk, doc, byId, askReview, onClose }: ExceptionDetailProps) {
  const { t } = useTranslation(REVIEW_NS);
  const { t: tTitle } = useTranslation(EXCEPTION_TITLES_NS);
  const format = useFormat();
  const rows = transactionRefs(doc).flatMap((id) => {
    const tx = byId.get(id);
    return tx === undefined ? [] : [tx];
  });
  const band = doc.type === 'anomaly' ? expectedBandOf(doc.details) : null;
  const group = unmatchedGroupOf(doc);
  const statementLine = rows.find((tx) => tx.source.line !== null);
  useEffect(() => {
    document.getElementById('exc-detail-title')?.focus();
  }, [doc.id]);
  return (
    <aside className="sd-panel" aria-labelledby="exc-detail-title" data-testid="exception-detail">
      <div className="sd-panel-head">
        <h2 id="exc-detail-title" tabIndex={-1}>
          <span className={`sd-chip sd-sev-${doc.severity}`}>{t(`severity.${doc.severity}`)}</span> {t(`exceptionType.${doc.type}`)}
        </h2>
        <button type="button" onClick={onClose} aria-label={t('common.close')}>✕</button>
      </div>
      <p>{exceptionTitle(doc, tTitle, format)}</p>
      <Conflicts desk={desk} doc={doc} />
      <PartnerAnswer desk={desk} doc={doc} />
      {doc.type === 'partner-query' ? <PartnerQuery key={doc.id} desk={desk} doc={doc} format={format} /> : group !== null ? <GroupRows key={doc.id} doc={doc} group={group} askReview={askReview} format={format} /> : (
        <section aria-labelledby="exc-evidence">
          <h3 id="exc-evidence">{t('exceptions.detail.rows')}</h3>
          {rows.length === 0 ? (
            <p className="sd-hint">{t('exceptions.detail.noRows')}</p>
          ) : (
            <TransactionRows rows={rows} format={format} showSource />
          )}
        </section>
      )}
      {statementLine === undefined ? null : (
        <section aria-labelledby="exc-line">
          <h3 id="exc-line">{t('exceptions.detail.statementLine')}</h3>
          <p className="sd-mono">{t('exceptions.detail.file', { file: statementLine.source.fileName, line: statementLine.source.line })}</p>
          {statementLine.description === null ? null : <p className="sd-mono">{statementLine.description}</p>}
        </section>
      )}
      {band === null ? null : <Band band={band} />}
      <section aria-labelledby="exc-suggested">
        <h3 id="exc-suggested">{t('exceptions.detail.suggested')}</h3>
        <ul>
          {suggestedActions(doc).map((action) => (
            <li key={action}><ActionText action={action} /></li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="exc-facts">
        <h3 id="exc-facts">{t('exceptions.detail.facts')}</h3>
        <dl className="sd-kv">
          {Object.entries(doc.details).map(([key, value]) => (
            <div key={key} style={{ display: 'contents' }}>
              <dt>{t(`exceptions.detail.factNames.${key}`, { defaultValue: key })}</dt>
              <dd className="sd-mono">{factValue(key, value, doc.details, t, format)}</dd>
            </div>
          ))}
        </dl>
      </section>
      {doc.history.length === 0 ? null : (
        <section aria-labelledby="exc-history">
          <h3 id="exc-history">{t('exceptions.detail.history')}</h3>
          <ul>
            {doc.history.map((step) => (
              <li key={canonicalJson(step)}>
                {t('exceptions.detail.transition', { from: t(`status.${step.from}`), to: t(`status.${step.to}`), by: step.by })} <span className="sd-hint">{format.instant(step.at)}</span>
                {step.reason === null ? null : <div>{historyReason(step, doc.type, t)}</div>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Comments key={doc.id} desk={desk} doc={doc} />
    </aside>
  );
}
