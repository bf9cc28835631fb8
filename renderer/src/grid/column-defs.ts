import type { ColDef, ValueFormatterParams, ValueGetterParams } from 'ag-grid-community';
import { AMOUNT_FORMATS } from '../../../core/money/index.ts';
import type { NumberFormatName } from '../../i18n/format.ts';
import { cellCurrency, cellText, compareCells, isTotalRow, type GridColumn, type TotalRow } from './columns.ts';
import { decimalOfScaled, displayAmount, scaledFromInput, scaledOf } from './money.ts';

type Row<T> = T | TotalRow;

/**
 * AG Grid column definitions from our column descriptions. Amounts: shown with their
 * currency's digits, sorted by an exact decimal comparator, filtered with the BigInt filter
 * over exactly scaled integers (the number filter would compare floats).
 */
/** `labelsTotals`: this column shows a total row's label ("Total EUR (12)"). */
export function toColDef<T>(column: GridColumn<T>, numberFormat: NumberFormatName, labelsTotals = false): ColDef<Row<T>> {
  const format = AMOUNT_FORMATS[numberFormat];
  const base: ColDef<Row<T>> = {
    colId: column.id,
    headerName: column.header,
    valueGetter: (params: ValueGetterParams<Row<T>>) => (params.data === undefined ? null : cellText(column, params.data)),
    comparator: (a: string | null, b: string | null) => compareCells(column.kind, a, b, column.order),
    sortable: true,
    resizable: true,
    width: column.width,
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
