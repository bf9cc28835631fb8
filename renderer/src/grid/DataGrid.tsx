import './review.css';
import { AgGridReact } from 'ag-grid-react';
import { type CellKeyDownEvent, type GridApi, type GridReadyEvent, type IDatasource, type IGetRowsParams, type RowClassParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { AMOUNT_FORMATS } from '../../../core/money/index.ts';
import type { NumberFormatName } from '../../i18n/format.ts';
import { toColDef } from './column-defs.ts';
import { isTotalRow, type GridColumn, type TotalRow } from './columns.ts';
import { cellToTsv, rowsToTsv, writeClipboard } from './copy.ts';
import { AG_GRID_LOCALE_KO } from './locale-ko.ts';
import { DESK_THEME, registerGridModules } from './modules.ts';

registerGridModules();

/** One block the grid asks of a row source: its rows after the grid's sort, column filters and quick filter. */
export interface RowBlockRequest {
  readonly startRow: number;
  readonly endRow: number;
  readonly sortModel: readonly { readonly colId: string; readonly sort: 'asc' | 'desc'; readonly type?: 'default' | 'absolute' | null }[];
  /** AG Grid's filter model by column id (text and BigInt filter models). */
  readonly filterModel: Readonly<Record<string, unknown>>;
  readonly quickFilter: string;
}

/**
 * Rows that stay where they are (the engine worker's row store) and come a block at a time: the
 * grid uses AG Grid's Infinite Row Model (Community), so sorting and filtering happen at the
 * source and the main thread only ever holds the blocks on screen.
 */
export interface RowSource<T> {
  /** Rejects when a newer request replaced it (the grid then drops the block). */
  readonly getRows: (request: RowBlockRequest) => Promise<{ readonly rows: readonly T[]; readonly count: number }>;
  /** Changes when the rows or the screen's own filters change: the grid asks again. */
  readonly version: string | number;
}

/** Rows per block asked of a row source, and blocks kept. */
const BLOCK_ROWS = 200;
const BLOCKS_KEPT = 20;
/** Rows drawn above and below the viewport: enough for an arrow key or a wheel notch, not a block's worth. */
const ROW_BUFFER = 5;

export interface DataGridProps<T> {
  /** The grid's accessible name. */
  readonly label: string;
  readonly columns: readonly GridColumn<T>[];
  /** The rows, held here (client-side row model); or `source` instead. */
  readonly rows?: readonly T[];
  readonly source?: RowSource<T>;
  readonly rowId: (row: T) => string;
  readonly totals?: readonly TotalRow[];
  readonly locale: 'en' | 'ko';
  readonly numberFormat: NumberFormatName;
  readonly quickFilter?: string;
  /** Checkbox column, Shift/Ctrl-click and Space select several rows. */
  readonly multiSelect?: boolean;
  readonly onSelectionChange?: (rows: T[]) => void;
  /** Enter on a read-only cell, or a double click: open the row. */
  readonly onOpen?: (row: T) => void;
  /** After Ctrl+C: how many rows went to the clipboard (0 when one cell did), or null when the browser refused. */
  readonly onCopied?: (rows: number | null) => void;
  readonly onReady?: (api: GridApi<T | TotalRow>) => void;
  readonly rowClass?: (row: T) => string | undefined;
  readonly height?: number | string;
  /** What an empty grid says (what to do to fill it), instead of AG Grid's "No Rows To Show". */
  readonly emptyText?: string;
  readonly testId?: string;
  readonly toolbar?: ReactNode;
}

/** The rows as the analyst sees them: after filter and sort, without the pinned totals. */
export function displayedRows<T>(api: GridApi<T | TotalRow>): T[] {
  const rows: T[] = [];
  api.forEachNodeAfterFilterAndSort((node) => {
    if (node.data !== undefined && !isTotalRow(node.data)) rows.push(node.data as T);
  });
  return rows;
}

/** Selected rows in displayed order (Ctrl+C copies them in the order they are seen). */
export function selectedInOrder<T>(api: GridApi<T | TotalRow>): T[] {
  // The infinite row model holds only the blocks it loaded: the selected nodes are in row order already.
  if (api.getGridOption('rowModelType') === 'infinite') return api.getSelectedNodes().flatMap((node) => (node.data === undefined || isTotalRow(node.data) ? [] : [node.data as T]));
  const selected = new Set(api.getSelectedNodes());
  const rows: T[] = [];
  api.forEachNodeAfterFilterAndSort((node) => {
    if (selected.has(node) && node.data !== undefined && !isTotalRow(node.data)) rows.push(node.data as T);
  });
  return rows;
}

/**
 * The desk's grid: AG Grid Community with exact money columns, pinned total rows from core,
 * multi-row selection, undo/redo of edits (Ctrl+Z / Ctrl+Y), Ctrl+C copy and keyboard
 * navigation (arrows, Page Up/Down, Home/End; Enter opens a row; Space selects it).
 */
export function DataGrid<T>(props: DataGridProps<T>) {
  const { columns, numberFormat, rows, rowId, onOpen, onCopied, onSelectionChange, onReady, rowClass } = props;
  const format = AMOUNT_FORMATS[numberFormat];
  const apiRef = useRef<GridApi<T | TotalRow> | null>(null);
  const columnDefs = useMemo(() => columns.map((column, index) => toColDef(column, numberFormat, index === 0)), [columns, numberFormat]);
  const getRowId = useCallback((params: { data: T | TotalRow }) => (isTotalRow(params.data) ? `total:${params.data.currency}` : rowId(params.data)), [rowId]);

  const copy = useCallback(
    async (event: CellKeyDownEvent<T | TotalRow>) => {
      const api = event.api;
      const selected = selectedInOrder<T>(api);
      const visibleIds = new Set(api.getAllDisplayedColumns().map((column) => column.getColId()));
      const visible = columns.filter((column) => visibleIds.has(column.id));
      if (selected.length > 0) {
        const ok = await writeClipboard(rowsToTsv(visible, selected, format));
        onCopied?.(ok ? selected.length : null);
        return;
      }
      const column = columns.find((candidate) => candidate.id === event.column.getColId());
      if (column === undefined || event.data === undefined) return;
      const ok = await writeClipboard(cellToTsv(column, event.data, format));
      onCopied?.(ok ? 0 : null);
    },
    [columns, format, onCopied],
  );

  const onCellKeyDown = useCallback(
    (event: CellKeyDownEvent<T | TotalRow>) => {
      const keyboard = event.event as KeyboardEvent | null | undefined;
      if (keyboard === null || keyboard === undefined) return;
      if ((keyboard.ctrlKey || keyboard.metaKey) && keyboard.key.toLowerCase() === 'c') {
        keyboard.preventDefault();
        void copy(event as CellKeyDownEvent<T | TotalRow>);
        return;
      }
      if (keyboard.key === 'Enter' && onOpen !== undefined && event.data !== undefined && !isTotalRow(event.data) && !event.colDef.editable) {
        onOpen(event.data as T);
      }
    },
    [copy, onOpen],
  );

  // The source's current request function, read by the one datasource the grid keeps.
  const sourceRef = useRef(props.source);
  sourceRef.current = props.source;
  const quickFilterRef = useRef(props.quickFilter ?? '');
  quickFilterRef.current = props.quickFilter ?? '';
  const infinite = props.source !== undefined;
  const datasource = useMemo<IDatasource | undefined>(
    () =>
      infinite
        ? {
            getRows: (params: IGetRowsParams) => {
              const source = sourceRef.current;
              if (source === undefined) return params.failCallback();
              const request = { startRow: params.startRow, endRow: params.endRow, sortModel: params.sortModel, filterModel: params.filterModel as Record<string, unknown>, quickFilter: quickFilterRef.current };
              source.getRows(request).then(
                (block) => params.successCallback([...block.rows], block.count),
                () => params.failCallback(),
              );
            },
          }
        : undefined,
    [infinite],
  );
  // The source's rows or filters changed (or the quick filter): ask for the blocks again.
  const version = props.source?.version;
  const quickFilter = props.quickFilter;
  const firstAsk = useRef(true);
  useEffect(() => {
    if (firstAsk.current) {
      firstAsk.current = false;
      return;
    }
    if (infinite) apiRef.current?.purgeInfiniteCache();
  }, [infinite, version, quickFilter]);

  const onGridReady = useCallback(
    (event: GridReadyEvent<T | TotalRow>) => {
      apiRef.current = event.api;
      onReady?.(event.api);
    },
    [onReady],
  );

  const getRowClass = useCallback(
    (params: RowClassParams<T | TotalRow>) => {
      if (params.data === undefined) return undefined;
      if (isTotalRow(params.data)) return 'sd-total-row';
      return rowClass?.(params.data);
    },
    [rowClass],
  );

  const emptyText = props.emptyText;
  const overlayParams = useMemo(() => (emptyText === undefined ? undefined : { noRows: { overlayText: emptyText } }), [emptyText]);

  return (
    <div className="sd-grid" data-testid={props.testId} style={{ height: props.height ?? '100%', display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      {props.toolbar}
      <div role="region" aria-label={props.label} style={{ flex: 1, minHeight: 0 }}>
        <AgGridReact<T | TotalRow>
          theme={DESK_THEME}
          rowData={infinite ? undefined : (rows as (T | TotalRow)[] | undefined)}
          rowModelType={infinite ? 'infinite' : 'clientSide'}
          datasource={datasource}
          cacheBlockSize={infinite ? BLOCK_ROWS : undefined}
          maxBlocksInCache={infinite ? BLOCKS_KEPT : undefined}
          maxConcurrentDatasourceRequests={infinite ? 2 : undefined}
          blockLoadDebounceMillis={infinite ? 30 : undefined}
          columnDefs={columnDefs}
          getRowId={getRowId}
          pinnedBottomRowData={props.totals === undefined ? undefined : [...props.totals]}
          quickFilterText={infinite ? undefined : props.quickFilter}
          // The Infinite Row Model holds only the blocks it loaded: a header checkbox there could not say what "all" is, so a paged screen offers its own (selection stays by row id across blocks).
          rowSelection={props.multiSelect === true ? { mode: 'multiRow', checkboxes: true, headerCheckbox: !infinite, enableClickSelection: true, isRowSelectable: (node) => node.data !== undefined && !isTotalRow(node.data) } : undefined}
          selectionColumnDef={{ pinned: 'left', width: 44, headerName: '' }}
          onSelectionChanged={(event) => onSelectionChange?.(selectedInOrder<T>(event.api))}
          onRowDoubleClicked={(event) => {
            if (onOpen !== undefined && event.data !== undefined && !isTotalRow(event.data)) onOpen(event.data as T);
          }}
          onCellKeyDown={onCellKeyDown}
          onGridReady={onGridReady}
          getRowClass={getRowClass}
          localeText={props.locale === 'ko' ? AG_GRID_LOCALE_KO : undefined}
          overlayComponentParams={overlayParams}
          undoRedoCellEditing
          undoRedoCellEditingLimit={50}
          singleClickEdit={false}
          stopEditingWhenCellsLoseFocus
          enableBrowserTooltips
          animateRows={false}
          // Rows drawn beyond the viewport each way (AG Grid's default 10): each is a React row of cells, most of a block's drawing.
          rowBuffer={ROW_BUFFER}
          suppressDragLeaveHidesColumns
          defaultColDef={{ suppressHeaderMenuButton: false }}
        />
      </div>
    </div>
  );
}
