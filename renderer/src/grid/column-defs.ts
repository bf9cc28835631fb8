import type { ColDef, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import { AMOUNT_FORMATS } from '../../../core/money/index.ts';
import type { NumberFormatName } from '../../i18n/format.ts';
import { cellCurrency, cellText, compareCells, isTotalRow, type GridColumn, type TotalRow } from './columns.ts';
import { decimalOfScaled, displayAmount, scaledFromInput, scaledOf } from './money.ts';

type Row<T> = T | TotalRow;

/** The grids' text size and header weight (DataGrid's theme): headers are measured in this font. */
export const GRID_FONT_PX = 13;
export const GRID_HEADER_WEIGHT = 600;
/** Beside its text a header holds 2 x 12 px padding and the filter button (16 px + 6 px gap); sorting adds an arrow that may then cut a tight header. */
const HEADER_CHROME_PX = 46;
const COLUMN_MIN_PX = 70;

let headerCanvas: CanvasRenderingContext2D | null | undefined;

/**
 * The narrowest width that shows a header's whole text: narrower, AG Grid cuts it ("Curre…",
 * "Effective fr…"), and the analyst cannot tell which column they read. Measured with a canvas
 * in the page's font, so Korean headers get their wider glyphs.
 */
export function headerMinWidth(header: string): number {
  if (typeof document === 'undefined') return COLUMN_MIN_PX;
  headerCanvas ??= document.createElement('canvas').getContext('2d');
  if (headerCanvas === null) return COLUMN_MIN_PX;
  headerCanvas.font = `${GRID_HEADER_WEIGHT} ${GRID_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  return Math.max(COLUMN_MIN_PX, Math.ceil(headerCanvas.measureText(header).width) + HEADER_CHROME_PX);
}

/**
 * AG Grid column definitions from our column descriptions. Amounts: shown with their
 * currency's digits, sorted by an exact decimal comparator, filtered with the BigInt filter
 * over exactly scaled integers (the number filter would compare floats).
 */
/** `labelsTotals`: this column shows a total row's label ("Total EUR (12)"). */
export function toColDef<T>(column: GridColumn<T>, numberFormat: NumberFormatName, labelsTotals = false): ColDef<Row<T>> {
  const format = AMOUNT_FORMATS[numberFormat];
  const headerWidth = headerMinWidth(column.header);
  const width = column.width === undefined ? undefined : Math.max(column.width, headerWidth);
  const base: ColDef<Row<T>> = {
    colId: column.id,
    headerName: column.header,
    valueGetter: (params: ValueGetterParams<Row<T>>) => (params.data === undefined ? null : cellText(column, params.data)),
    comparator: (a: string | null, b: string | null) => compareCells(column.kind, a, b, column.order),
    sortable: true,
    resizable: true,
    width,
    // A flexible column shrinks to its width, not below: a description squeezed to 70 px shows nothing.
    minWidth: column.flex === undefined ? headerWidth : (width ?? headerWidth),
    flex: column.flex,
    pinned: column.pinned,
    // The quick filter finds a coded value by what the analyst reads too ("심각" as well as "critical").
    getQuickFilterText: (params) => {
      if (params.data === undefined || isTotalRow(params.data)) return '';
      const text = cellText(column, params.data);
      return column.display === undefined ? (text ?? '') : `${text ?? ''} ${column.display(text, params.data)}`;
    },
    tooltipValueGetter: (params) => (params.data === undefined || isTotalRow(params.data) ? null : (column.display?.(cellText(column, params.data), params.data) ?? cellText(column, params.data))),
  };
  if (column.cellClass !== undefined) {
    const classOf = column.cellClass;
    base.cellClass = (params) => (params.data === undefined || isTotalRow(params.data) ? undefined : classOf(cellText(column, params.data)));
  }
  if (column.editor !== undefined) {
    base.editable = (params) => params.data !== undefined && !isTotalRow(params.data);
    const { set, kind, values } = column.editor;
    base.valueSetter = (params) => params.data !== undefined && !isTotalRow(params.data) && set(params.data, params.newValue === '' ? null : (params.newValue as string | null));
    if (kind === 'select') {
      base.cellEditor = 'agSelectCellEditor';
      base.cellEditorParams = { values: [...(values ?? [])] };
    } else base.cellEditor = 'agTextCellEditor';
    base.cellClass = 'sd-editable';
  }
  if (column.kind === 'amount' || column.kind === 'count') {
    return {
      ...base,
      type: 'rightAligned',
      cellClass: column.editor === undefined ? 'sd-number' : 'sd-number sd-editable',
      valueFormatter: (params: ValueFormatterParams<Row<T>, string | null>) => {
        if (params.data === undefined) return '';
        if (column.display !== undefined && !isTotalRow(params.data)) return column.display(params.value ?? null, params.data);
        return displayAmount(params.value, column.kind === 'amount' ? cellCurrency(column, params.data) : null, numberFormat);
      },
      filter: 'agBigIntColumnFilter',
      filterValueGetter: (params) => (params.data === undefined ? null : scaledOf(cellText(column, params.data))),
      filterParams: {
        bigintParser: (text: string | null) => scaledFromInput(text, format),
        bigintFormatter: (value: bigint | null) => decimalOfScaled(value),
      },
    };
  }
  return {
    ...base,
    filter: 'agTextColumnFilter',
    valueFormatter: (params: ValueFormatterParams<Row<T>, string | null>) => {
      if (params.data === undefined) return '';
      if (isTotalRow(params.data)) return labelsTotals ? params.data.label : '';
      return column.display?.(params.value ?? null, params.data) ?? params.value ?? '';
    },
  };
}
