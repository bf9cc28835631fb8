import type { HostAdapter } from '../../host/host.ts';
import type { GridColumn, TotalRow } from './columns.ts';
import { csvBytes, gridCsv } from './export-csv.ts';
import { gridXlsx } from './export-xlsx.ts';

export type GridExportKind = 'csv' | 'xlsx';

/**
 * Writes the rows the analyst sees (filtered and sorted) and the pinned totals as CSV or XLSX
 * through the host's save dialog. Resolves with the saved name, or null when cancelled.
 */
export async function saveGridExport<T>(host: HostAdapter, kind: GridExportKind, baseName: string, columns: readonly GridColumn<T>[], rows: readonly (T | TotalRow)[], now: Date): Promise<string | null> {
  const bytes = kind === 'csv' ? csvBytes(gridCsv(columns, rows)) : await gridXlsx(baseName, columns, rows, now);
  const result = await host.saveFile({
    title: baseName,
    suggestedName: `${baseName}.${kind}`,
    filters: [kind === 'csv' ? { name: 'CSV', extensions: ['csv'] } : { name: 'Excel', extensions: ['xlsx'] }],
    bytes,
  });
  return result.saved ? result.name : null;
}
