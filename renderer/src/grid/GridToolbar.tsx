import type { GridApi } from 'ag-grid-community';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentHost } from '../../host/current.ts';
import type { GridColumn, TotalRow } from './columns.ts';
import { displayedRows } from './DataGrid.tsx';
import { saveGridExport, type GridExportKind } from './export-save.ts';
import { REVIEW_NS } from './texts.ts';

export interface GridToolbarProps<T> {
  readonly id: string;
  readonly api: GridApi<T | TotalRow> | null;
  readonly columns: readonly GridColumn<T>[];
  readonly totals: readonly TotalRow[];
  readonly exportName: string;
  readonly quickFilter: string;
  readonly onQuickFilter: (text: string) => void;
  /** Status text from the grid (copied rows, saved files), shown in a live region. */
  readonly status: string;
  readonly onStatus: (text: string) => void;
  readonly children?: ReactNode;
}

/** Quick filter, the screen's own actions, CSV/XLSX export and a polite live region for what happened. */
export function GridToolbar<T>(props: GridToolbarProps<T>) {
  const { t } = useTranslation(REVIEW_NS);
  const [busy, setBusy] = useState(false);
  const run = async (kind: GridExportKind) => {
    if (props.api === null) return;
    setBusy(true);
    try {
      const name = await saveGridExport(currentHost(), kind, props.exportName, props.columns, [...displayedRows<T>(props.api), ...props.totals], new Date());
      props.onStatus(name === null ? t('grid.exportCancelled') : t('grid.exportSaved', { name }));
    } catch (error) {
      props.onStatus(t('common.failed', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sd-toolbar">
      <label className="sd-quick-filter" htmlFor={`${props.id}-quick`}>
        <span>{t('grid.quickFilter')}</span>
        <input id={`${props.id}-quick`} type="search" value={props.quickFilter} placeholder={t('grid.quickFilterPlaceholder')} onChange={(event) => props.onQuickFilter(event.target.value)} />
      </label>
      {props.children}
      <span className="sd-toolbar-spacer" />
      <button type="button" disabled={busy} onClick={() => void run('csv')}>{t('grid.exportCsv')}</button>
      <button type="button" disabled={busy} onClick={() => void run('xlsx')}>{t('grid.exportXlsx')}</button>
      <span className="sd-status" role="status" aria-live="polite">{props.status}</span>
    </div>
  );
}
