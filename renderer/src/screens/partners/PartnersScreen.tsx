import './partners.css';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkAgreementVersions, type AgreementVersion } from '../../../../core/settlement/agreement.ts';
import type { AgreementVersionDoc, SettlementRunDoc } from '../../../../core/sync/documents.ts';
import { DateField } from '../../app/DateField.tsx';
import { useDesk } from '../../app/desk-context.tsx';
import type { ScreenProps } from '../../app/routes.tsx';
import { useFormat } from '../../app/use-format.ts';
import { DataGrid } from '../../grid/DataGrid.tsx';
import { ReviewProvider, useReview } from '../../grid/review-desk.tsx';
import { useStream } from '../../grid/use-stream.ts';
import { AgreementEditor } from './AgreementEditor.tsx';
import { demoContracts } from './demo-contracts.ts';
import { partnerColumns, partnerRowOf, type PartnerRow } from './partner-columns.ts';
import type { PartnersResults } from './partners-worker-protocol.ts';
import { PreviewPanel } from './PreviewPanel.tsx';
import { previewSourceOf } from './preview-source.ts';
import { PARTNERS_NS, registerPartnersTexts } from './texts.ts';
import { agreementHistories, storedVersions } from './versions.ts';

registerPartnersTexts();

const NO_DOCS: readonly AgreementVersionDoc[] = [];
const NO_RUNS: readonly SettlementRunDoc[] = [];
type Reference = PartnersResults['reference'];
/** A workspace without contract files: versions live on the desk only, and no rate source is known (a foreign line blocks with fx_rate_missing). */
const NO_REFERENCE: Reference = { agreements: [], rates: { source: 'none', base: 'EUR', quotes: {} } };

/** The demo month's contract files and rates, generated once per page in the Partners worker. */
interface ReferenceState {
  readonly reference: Reference;
  readonly loading: boolean;
  readonly error: string | null;
}

function useReference(kind: string): ReferenceState {
  const [state, setState] = useState<ReferenceState>({ reference: NO_REFERENCE, loading: kind === 'demo', error: null });
  useEffect(() => {
    if (kind !== 'demo') return undefined;
    let live = true;
    demoContracts().then(
      (reference) => live && setState({ reference, loading: false, error: null }),
      (failure: Error) => live && setState({ reference: NO_REFERENCE, loading: false, error: failure.message }),
    );
    return () => {
      live = false;
    };
  }, [kind]);
  return state;
}

function PartnersView() {
  const { t } = useTranslation(PARTNERS_NS);
  const { display, workspace } = useDesk();
  const format = useFormat();
  const { desk, month } = useReview();
  const docs = useStream(desk?.agreementVersions$) ?? NO_DOCS;
  const runs = useStream(desk?.settlementRuns$) ?? NO_RUNS;
  const [openId, setOpenId] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  // The workspace's contract files: the demo month's agreements (a team workspace keeps its versions on the desk only).
  const { reference, loading, error } = useReference(workspace.kind);
  const histories = useMemo(() => agreementHistories(reference.agreements, docs), [reference, docs]);
  const asOfId = useId();
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));
  const rows = useMemo<PartnerRow[]>(() => histories.map((history) => partnerRowOf(history, asOf)), [histories, asOf]);
  const busiest = month?.busiestPartnerMonth ?? null;
  const source = useMemo(() => previewSourceOf(runs, busiest, reference.rates), [runs, busiest, reference.rates]);
  const settle = month?.agreementPreview ?? null;

  const columns = useMemo(() => partnerColumns(t, format.date), [t, format]);

  const open = rows.find((row) => row.id === openId)?.history ?? null;
  const save = async (agreement: AgreementVersion) => {
    if (desk === null) throw new Error('the desk database is not open');
    // Core's rule for versions in force, checked here: a clash is refused with its reason now, not at the next settlement run.
    checkAgreementVersions([...storedVersions(reference.agreements, docs).map((stored) => stored.agreement), agreement]);
    await desk.addAgreementVersion(agreement);
    setMessage(t('editor.saved', { version: agreement.version }));
  };

  if (desk === null) return <p>{t('loading')}</p>;
  return (
    <div className="sd-review pf-screen" data-testid="partners-screen">
      <div className="sd-review-header">
        <h1>{t('title')}</h1>
        <span role="status" aria-live="polite" className="sd-ok" data-testid="partners-status">{message}</span>
      </div>
      {error === null ? null : <p className="sd-error">{error}</p>}
      <div className="pf-list">
        <h2 className="pf-visually-hidden">{t('list')}</h2>
        <div className="sd-toolbar">
          <DateField id={asOfId} label={t('asOf')} value={asOf} locale={display.locale} onChange={setAsOf} testId="partners-as-of" />
          <span className="sd-hint">{t('asOfHint')}</span>
        </div>
        {loading ? <p role="status">{t('loading')}</p> : rows.length === 0 ? <p>{t('empty')}</p> : null}
        <DataGrid<PartnerRow>
          label={t('list')}
          testId="partners-grid"
          columns={columns}
          rows={rows}
          rowId={(row) => row.id}
          locale={display.locale}
          numberFormat={display.numberFormat}
          onOpen={(row) => {
            setMessage('');
            setOpenId(row.id);
          }}
          height={Math.min(44 + 30 * Math.max(rows.length, 1) + 20, 260)}
        />
        <p className="sd-hint">{t('listHint')}</p>
      </div>
      {open === null ? null : (
        <AgreementEditor
          // A new current version (just saved) starts a fresh draft of the next one.
          key={`${open.agreementId}@${open.latest.agreement.version}`}
          history={open}
          asOf={asOf}
          save={save}
          close={() => setOpenId(null)}
          renderPreview={(edited) => <PreviewPanel source={source} current={open.latest.agreement} edited={edited} settle={settle} />}
        />
      )}
    </div>
  );
}

/** Partners and agreements: the list, the agreement editor with field validation, versions and the preview on the last period. */
export function PartnersScreen(_props: ScreenProps) {
  return (
    <ReviewProvider>
      <PartnersView />
    </ReviewProvider>
  );
}
