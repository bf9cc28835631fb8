import { createGrid, type GridApi } from 'ag-grid-community';
import { toColDef } from './column-defs.ts';
import type { GridColumn, TotalRow } from './columns.ts';
import { DESK_THEME, registerGridModules } from './modules.ts';

/** Resolves true in an idle period of the page (a task of its own), or false as soon as the signal aborts. */
function idle(signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const abort = () => {
      cancelIdleCallback(handle);
      resolve(false);
    };
    const handle = requestIdleCallback(() => {
      signal.removeEventListener('abort', abort);
      resolve(true);
    });
    signal.addEventListener('abort', abort, { once: true });
  });
}

interface WarmRow {
  readonly text: string;
  readonly amount: string;
}

/** A text and an amount column and a total row, as the desk's grids have: their formatters, filters and header widths run once. */
const WARM_COLUMNS: readonly GridColumn<WarmRow>[] = [
  // Never seen: no text to translate.
  { id: 'text', header: '', kind: 'text', value: (row) => row.text },
  { id: 'amount', header: '', kind: 'amount', value: (row) => row.amount, currency: () => 'EUR' },
];

/**
 * The one-time costs of the page's first AG Grid paid in idle time, a step per idle task, so the
 * first screen with a grid does not pay them in its own task (issue 16: no task over 100 ms; the
 * first grid of a page made one of 100-105 ms at 90,000 payouts, later grids under 70 ms). Cold,
 * one grid's creation is one task of 74-141 ms (load 5-11): AG Grid's code compiled on first
 * call, its CSS and the theme's parsed and matched by the browser, the columns' and rows' first
 * layout. Here the same grid is built a part per task, out of sight:
 * 1. the modules registered and the browser's default collator made (AG Grid sorts its modules'
 *    CSS with localeCompare on a grid's first theme; ICU builds the collator on first use);
 * 2. an empty grid in the desk's theme (its services, the theme's CSS);
 * 3. its columns (a text and an amount column, the selection column);
 * 4. a row and a pinned total row;
 * 5. the grid destroyed (AG Grid takes its CSS out with the page's last grid; the browser keeps
 *    the parsed sheets for the same text).
 * Skipped when a grid is on the page already; an abort ends it at once (the warm-up grid destroyed).
 */
export async function warmUpGrids(signal: AbortSignal): Promise<void> {
  let host: HTMLElement | null = null;
  let api: GridApi<WarmRow | TotalRow> | null = null;
  try {
    if (!(await idle(signal))) return;
    registerGridModules();
    'a'.localeCompare('b');
    if (!(await idle(signal))) return;
    if (document.querySelector('.ag-root-wrapper') !== null) return;
    host = document.createElement('div');
    // Laid out (AG Grid measures its rows and header) but off screen, unseen and out of the accessibility tree.
    host.style.cssText = 'position:fixed;left:-10000px;top:0;width:400px;height:200px;';
    host.setAttribute('aria-hidden', 'true');
    host.inert = true;
    document.body.append(host);
    api = createGrid<WarmRow | TotalRow>(host, { theme: DESK_THEME, columnDefs: [], rowData: [], animateRows: false });
    if (!(await idle(signal))) return;
    api.updateGridOptions({ columnDefs: WARM_COLUMNS.map((column, index) => toColDef(column, 'en', index === 0)), rowSelection: { mode: 'multiRow', checkboxes: true } });
    if (!(await idle(signal))) return;
    api.updateGridOptions({ rowData: [{ text: '', amount: '1.00' }], pinnedBottomRowData: [{ kind: 'total', label: '', currency: 'EUR', amounts: { amount: '1.00' }, count: 1 }] });
    await idle(signal);
  } finally {
    api?.destroy();
    host?.remove();
  }
}
