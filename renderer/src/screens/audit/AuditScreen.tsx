import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditVerdict } from '../../../../core/sync/audit-chain.ts';
import type { AuditEventDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import type { GridColumn } from '../../grid/columns.ts';
import { DataGrid } from '../../grid/DataGrid.tsx';
import { ReviewProvider, useReview } from '../../grid/review-desk.tsx';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { useStream } from '../../grid/use-stream.ts';

registerReviewTexts();

function AuditView() {
  const { t } = useTranslation(REVIEW_NS);
  const { display } = useDesk();
  const { desk } = useReview();
  const format = useFormat();
  // Any desk write appends an audit event; the exception stream is a cheap signal to reload the trail.
  const changes: readonly ExceptionDoc[] | null = useStream(desk?.exceptions$);
  const [events, setEvents] = useState<readonly AuditEventDoc[] | null>(null);
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [quick, setQuick] = useState('');
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);

  useEffect(() => {
    if (desk === null) return;
    void desk.auditTrail().then(setEvents);
  }, [desk, changes]);

  // The chain stores codes ('exception.resolved'); the analyst reads them in their language (exports keep the codes).
  const actionText = useCallback((code: string) => t(`audit.actions.${code}`, { defaultValue: code }), [t]);
  const columns = useMemo<GridColumn<AuditEventDoc>[]>(
    () => [
      { id: 'seq', header: t('audit.columns.seq'), kind: 'count', value: (event) => String(event.seq), width: 80 },
      { id: 'at', header: t('audit.columns.at'), kind: 'date', value: (event) => event.at, width: 200, display: (value) => (value === null ? '' : format.instant(value)) },
      { id: 'actor', header: t('audit.columns.actor'), kind: 'text', value: (event) => event.actor, width: 110 },
      { id: 'action', header: t('audit.columns.action'), kind: 'text', value: (event) => event.action, width: 220, display: (value) => (value === null ? '' : actionText(value)) },
      { id: 'subject', header: t('audit.columns.subject'), kind: 'text', value: (event) => `${event.subject.kind}/${event.subject.id}`, width: 260 },
      { id: 'details', header: t('audit.columns.details'), kind: 'text', value: (event) => Object.entries(event.details).map(([key, value]) => `${key}=${value}`).join('; '), flex: 1, width: 240 },
      { id: 'hash', header: t('audit.columns.hash'), kind: 'text', value: (event) => event.hash, width: 160 },
    ],
    [t, format, actionText],
  );
  const actions = useMemo(() => [...new Set((events ?? []).map((event) => event.action))].sort(), [events]);
  const actors = useMemo(() => [...new Set((events ?? []).map((event) => event.actor))].sort(), [events]);
  const rows = useMemo(() => (events ?? []).filter((event) => (action === '' || event.action === action) && (actor === '' || event.actor === actor)), [events, action, actor]);

  if (desk === null || events === null) return <p>{t('common.loading')}</p>;
  return (
    <div className="sd-review" data-testid="audit-screen">
      <div className="sd-review-header">
        <h1>{t('audit.title')}</h1>
        <button type="button" className="sd-primary" onClick={() => void desk.verifyAudit().then(setVerdict)} data-testid="verify-chain">{t('audit.verify')}</button>
        <span role="status" aria-live="polite" data-testid="verify-result" className={verdict?.ok === true ? 'sd-ok' : verdict === null ? 'sd-status' : 'sd-error'}>
          {verdict === null ? '' : verdict.ok ? t('audit.verifyOk', { count: verdict.count, head: verdict.headHash.slice(0, 16) }) : t('audit.verifyBroken', { index: verdict.index, code: verdict.code, message: verdict.message })}
        </span>
      </div>
      <div className="sd-toolbar">
        <label htmlFor="audit-action">{t('audit.filterAction')}</label>
        <select id="audit-action" value={action} onChange={(event) => setAction(event.target.value)}>
          <option value="">{t('audit.all')}</option>
          {actions.map((name) => <option key={name} value={name}>{actionText(name)}</option>)}
        </select>
        <label htmlFor="audit-actor">{t('audit.filterActor')}</label>
        <select id="audit-actor" value={actor} onChange={(event) => setActor(event.target.value)}>
          <option value="">{t('audit.all')}</option>
          {actors.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
        <label className="sd-quick-filter" htmlFor="audit-quick">
          <span>{t('grid.quickFilter')}</span>
          <input id="audit-quick" type="search" value={quick} onChange={(event) => setQuick(event.target.value)} />
        </label>
      </div>
      {events.length === 0 ? <p>{t('audit.empty')}</p> : null}
      <div className="sd-grid-box">
        <DataGrid<AuditEventDoc> label={t('audit.title')} testId="audit-grid" columns={columns} rows={rows} rowId={(event) => event.id} locale={display.locale} numberFormat={display.numberFormat} quickFilter={quick} />
      </div>
    </div>
  );
}

/** The desk's audit hash chain: filterable, and verifiable with core's verifyAuditChain. */
export function AuditScreen(_props: ScreenProps) {
  return (
    <ReviewProvider>
      <AuditView />
    </ReviewProvider>
  );
}
