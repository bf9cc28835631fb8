import { useCallback, useMemo, useState, type DragEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CsvProfileInput } from '../../../../core/importers/csv-profile.ts';
import { currentHost } from '../../../host/current.ts';
import type { FileInput, ImportBatchResult } from '../../../engine/protocol.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { useFormat } from '../../app/use-format.ts';
import { useSaid } from '../../app/use-said.ts';
import { useWorkspaceData } from '../../app/workspace-data.tsx';
import type { ImportRecord, RejectedRow } from '../../app/import-records.ts';
import { DataGrid } from '../../grid/DataGrid.tsx';
import type { GridColumn } from '../../grid/columns.ts';
import { CsvWizard } from './CsvWizard.tsx';
import { droppedFiles } from './dropped-files.ts';
import { fileRefusal, rejectionReason } from './reason-text.ts';
import { registerRejectionReasonTexts } from './reason-texts.ts';
import { saveProfile } from './profiles-store.ts';

const ZIP_CODES = ['zip_not_a_zip', 'zip_corrupt', 'zip_too_large', 'zip_too_many_members', 'zip_empty', 'zip_member_too_large', 'zip_member_corrupt', 'zip_member_compression', 'zip_member_nested'] as const;
const KIB = 1024;

registerRejectionReasonTexts();

const PICK_FILTERS = [{ name: 'Statements and reports', extensions: ['xml', 'sta', 'mt940', 'txt', 'bai', 'bai2', 'ofx', 'qfx', 'csv', 'tsv', 'json', 'zip'] }];

/** Zip refusals and file refusals said by code have their own texts (en and ko); any other failure shows the engine's message. */
function failureText(t: TFunction, record: ImportRecord): string {
  const code = record.failure?.code ?? '';
  if ((ZIP_CODES as readonly string[]).includes(code)) return t('imports.refused', { file: record.name, reason: t(`imports.zip.${code}`) });
  // core's own message names the CLI's --format flag; the desk says what the desk can do.
  if (code === 'file_format_unrecognized') return t('imports.refused', { file: record.name, reason: t('imports.formatUnrecognized') });
  // Said from the error's code and values where core names them; else core's English message.
  return t('imports.failed', { file: record.name, message: fileRefusal(record.failure?.details, t) ?? record.failure?.message ?? '' });
}

function RowAccount({ records }: { readonly records: readonly ImportRecord[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <table className="plain" data-testid="row-account">
      <caption className="caption">{t('imports.account')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('imports.file')}</th>
          <th scope="col">{t('imports.format')}</th>
          <th scope="col" className="num">
            {t('imports.rowsRead')}
          </th>
          <th scope="col" className="num" title={t('imports.entriesTitle')}>
            {t('imports.entries')}
          </th>
          <th scope="col" className="num">
            {t('imports.imported')}
          </th>
          <th scope="col" className="num">
            {t('imports.rejected')}
          </th>
          <th scope="col" className="num">
            {t('imports.duplicates')}
          </th>
          <th scope="col" className="num">
            {t('imports.conflicts')}
          </th>
        </tr>
      </thead>
      <tbody>
        {records.map((record) =>
          record.account !== null ? (
            <tr key={record.key} data-file={record.name}>
              <th scope="row">{record.name}</th>
              <td>{record.format}</td>
              <td className="num" data-col="rows">
                {format.count(record.account.rowsRead)}
              </td>
              <td className="num" data-col="entries">
                {format.count(record.account.entriesRead)}
              </td>
              <td className="num" data-col="imported">
                {format.count(record.account.transactions)}
              </td>
              <td className="num" data-col="rejected">
                {format.count(record.account.rejected)}
              </td>
              <td className="num" data-col="duplicates">
                {format.count(record.account.duplicates)}
              </td>
              <td className="num" data-col="conflicts">
                {format.count(record.account.conflicts)}
              </td>
            </tr>
          ) : (
            <tr key={record.key} data-file={record.name} className="failed">
              <th scope="row">{record.name}</th>
              <td colSpan={7} role="alert">
                {failureText(t, record)}
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}

/** Imports: pick or drop files (a folder too), watch progress, read the row account and every rejected row; unknown CSVs go through the mapping wizard. */
export function ImportsScreen() {
  const { t } = useTranslation();
  const { display } = useDesk();
  const { imports, progress, importFiles } = useWorkspaceData();
  const format = useFormat();
  const [waiting, setWaiting] = useState<readonly FileInput[]>([]);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const { text: error, say: sayError } = useSaid(t);

  const run = useCallback(
    async (files: readonly FileInput[], profiles: Readonly<Record<string, unknown>> = {}) => {
      if (files.length === 0) return;
      setBusy(true);
      sayError(null);
      try {
        const result: ImportBatchResult = await importFiles(files, profiles);
        // A zip member comes back with its bytes: the dropped file is the archive, not the CSV.
        const needing = result.files.flatMap((f) => (f.status !== 'needs-profile' ? [] : [f.bytes === undefined ? files.find((file) => file.name === f.name) : { name: f.name, bytes: f.bytes }])).filter((f): f is FileInput => f !== undefined);
        const names = new Set(needing.map((f) => f.name));
        setWaiting((current) => [...current.filter((f) => !names.has(f.name)), ...needing]);
      } catch (failure) {
        sayError('errors.worker', { message: (failure as Error).message });
      } finally {
        setBusy(false);
      }
    },
    [importFiles, sayError],
  );

  const pick = async () => {
    const picked = await currentHost().openFiles({ title: t('imports.pickTitle'), filters: PICK_FILTERS, multiple: true });
    await run(picked.map((file) => ({ name: file.name, bytes: file.bytes })));
  };

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    await run(await droppedFiles(event.dataTransfer));
  };

  const onProfileSaved = async (file: FileInput, profile: CsvProfileInput) => {
    saveProfile(localStorage, profile);
    setWaiting((current) => current.filter((f) => f !== file));
    await run([file], { [file.name]: profile });
  };

  const rejectedRows = useMemo(() => imports.flatMap((record) => record.rejections), [imports]);
  const columns = useMemo<GridColumn<RejectedRow>[]>(
    () => [
      { id: 'file', header: t('imports.file'), kind: 'text', value: (r) => r.file, width: 220 },
      { id: 'line', header: t('imports.line'), kind: 'count', value: (r) => String(r.line), width: 90 },
      { id: 'column', header: t('imports.column'), kind: 'text', value: (r) => (r.column === null ? null : String(r.column)), width: 170 },
      { id: 'code', header: t('imports.code'), kind: 'text', value: (r) => r.code, width: 180 },
      { id: 'reason', header: t('imports.reason'), kind: 'text', value: (r) => rejectionReason(r, t), flex: 2 },
      { id: 'raw', header: t('imports.raw'), kind: 'text', value: (r) => r.raw, flex: 1 },
    ],
    [t],
  );
  const wizardFile = waiting[0];

  return (
    <>
      <h1>{t('imports.title')}</h1>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        role="group"
        aria-label={t('imports.dropLabel')}
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
        data-testid="drop-zone"
      >
        <p>{t('imports.drop')}</p>
        <button type="button" className="primary" onClick={() => void pick()} disabled={busy} data-testid="pick-files">
          {t('imports.pick')}
        </button>
      </div>
      {progress !== null && (
        <div className="card" data-testid="import-progress">
          <label>
            {t('imports.running', { file: progress.file })}
            <progress max={Math.max(progress.bytesTotal, 1)} value={progress.bytes} aria-label={t('imports.progress')} />
          </label>
          <p className="muted" data-testid="import-rate">
            {t('imports.rowsPerSecond', { rows: format.count(progress.rows), rate: format.count(progress.rowsPerSecond) })} · {t('imports.bytesRead', { done: format.count(Math.round(progress.bytes / KIB)), total: format.count(Math.round(progress.bytesTotal / KIB)) })} · {t('imports.filesDone', { done: Math.min(progress.filesDone + 1, progress.filesTotal), total: progress.filesTotal })}
          </p>
        </div>
      )}
      {error !== '' && <p role="alert">{error}</p>}
      {wizardFile !== undefined && (
        <>
          <p role="status">{t('imports.unknownCsv', { file: wizardFile.name })}</p>
          <CsvWizard key={wizardFile.name} file={wizardFile} onSaved={(profile) => void onProfileSaved(wizardFile, profile)} onCancel={() => setWaiting((c) => c.slice(1))} />
        </>
      )}
      {imports.length > 0 && (
        <section className="card scroll-box" tabIndex={0} aria-label={t('imports.account')}>
          <RowAccount records={imports} />
        </section>
      )}
      <section className="card grid-section">
        <h2>
          {t('imports.rejectedRows')} ({rejectedRows.length})
        </h2>
        {rejectedRows.length === 0 ? (
          <p className="muted">{t('imports.noRejected')}</p>
        ) : (
          <DataGrid<RejectedRow> label={t('imports.rejectedRows')} columns={columns} rows={rejectedRows} rowId={(r) => `${r.importKey}:${r.line}:${r.code}:${r.column ?? ''}`} locale={display.locale} numberFormat={display.numberFormat} height={320} testId="rejected-grid" />
        )}
      </section>
    </>
  );
}
