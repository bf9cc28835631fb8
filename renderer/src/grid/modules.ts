import {
  BigIntFilterModule,
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  EventApiModule,
  InfiniteRowModelModule,
  LocaleModule,
  ModuleRegistry,
  PinnedRowModule,
  QuickFilterModule,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  SelectEditorModule,
  TextEditorModule,
  TextFilterModule,
  TooltipModule,
  UndoRedoEditModule,
  themeQuartz,
  type Module,
} from 'ag-grid-community';
import { GRID_FONT_PX, GRID_HEADER_WEIGHT } from './column-defs.ts';

/**
 * The AG Grid Community modules the desk's grids use, and nothing else: no Enterprise module
 * (clipboard, range selection, grouping, Excel export are built on Community here), so no
 * licence key and no watermark. Copy is ours (copy.ts), CSV/XLSX export too (export-*.ts), so
 * CsvExportModule is not registered.
 */
export const GRID_MODULES: readonly Module[] = [
  ClientSideRowModelModule,
  ClientSideRowModelApiModule,
  // Community: the Transactions grid's blocks come from the engine worker (DataGrid's RowSource).
  InfiniteRowModelModule,
  QuickFilterModule,
  TextFilterModule,
  BigIntFilterModule,
  RowSelectionModule,
  PinnedRowModule,
  UndoRedoEditModule,
  TextEditorModule,
  SelectEditorModule,
  LocaleModule,
  CellStyleModule,
  RowStyleModule,
  TooltipModule,
  RowApiModule,
  RenderApiModule,
  ScrollApiModule,
  ColumnApiModule,
  EventApiModule,
];

let registered = false;

/** Registers the modules once per page; every grid component calls it before rendering. */
export function registerGridModules(): void {
  if (registered) return;
  ModuleRegistry.registerModules([...GRID_MODULES]);
  registered = true;
}

/**
 * Quartz with the desk's font (it covers Hangul) and a compact, spreadsheet-like density. One
 * object for every grid and the warm-up (warm-up.ts): AG Grid builds the theme's CSS once per
 * object, and the browser reuses its parse of the same CSS text.
 */
export const DESK_THEME = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: GRID_FONT_PX,
  rowHeight: 30,
  headerHeight: 34,
  spacing: 6,
  accentColor: '#1f5fbf',
  headerFontWeight: GRID_HEADER_WEIGHT,
});
