import { createGrid, type GridApi } from 'ag-grid-community';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { toColDef } from './column-defs.ts';
import type { GridColumn, TotalRow } from './columns.ts';
import { DataGrid, type RowSource } from './DataGrid.tsx';
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

/** Resolves true when `done` does, or false as soon as the signal aborts. */
function unlessAborted(done: Promise<void>, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    signal.addEventListener('abort', () => resolve(false), { once: true });
    void done.then(() => resolve(true));
  });
}

interface WarmRow {
  readonly id: string;
  readonly text: string;
  readonly amount: string;
}

/** A text and an amount column, a row and a total row, as the desk's grids have: their formatters, filters and header widths run once. */
const WARM_COLUMNS: readonly GridColumn<WarmRow>[] = [
  // Never seen: no text to translate.
  { id: 'text', header: '', kind: 'text', value: (row) => row.text },
  { id: 'amount', header: '', kind: 'amount', value: (row) => row.amount, currency: () => 'EUR' },
];
const WARM_ROWS: readonly WarmRow[] = [{ id: 'warm', text: '', amount: '1.00' }];
const WARM_TOTALS: readonly TotalRow[] = [{ kind: 'total', label: '', currency: 'EUR', amounts: { amount: '1.00' }, count: 1 }];

/** Laid out (AG Grid measures its rows and header) but off screen, unseen and out of the accessibility tree. */
function hiddenHost(): HTMLElement {
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:-10000px;top:0;width:400px;height:200px;';
  host.setAttribute('aria-hidden', 'true');
  host.inert = true;
  document.body.append(host);
  return host;
}

/** Once a page: a shell mounted again (another workspace) finds AG Grid warm. */
let warmed = false;

/**
 * The one-time costs of the page's first AG Grid paid in idle time, a step per task, so the first
 * screen with a grid does not pay them in its own task (issue 16: no task over 100 ms; the first
 * grid of a page made one of 100-105 ms at 90,000 payouts, later grids under 70 ms). Cold, a
 * grid's creation is one task (AG Grid's code compiled on first call, its CSS and the theme's
 * parsed and matched by the browser, the first layout). Here it is paid a part per task, out of sight:
 * 1. the modules registered and the browser's default collator made (AG Grid sorts its modules'
 *    CSS with localeCompare on a grid's first theme; ICU builds the collator on first use);
 * 2. a plain AG Grid, empty, in the desk's theme (its services, the theme's CSS);
 * 3. its columns (a text and an amount column, the selection column);
 * 4. a row and a pinned total row;
 * 5. the desk's DataGrid with the same, paged (ag-grid-react's rows and cells, the Infinite Row
 *    Model, the desk's own props), now over warm AG Grid code;
 * 6. both gone (AG Grid takes its CSS out with the page's last grid; the browser keeps the parsed
 *    sheets for the same text).
 * Skipped when a grid is on the page already or the warm-up ran; an abort ends it at once (the
 * warm-up grids gone) and a later call starts again.
 */
export async function warmUpGrids(signal: AbortSignal): Promise<void> {
  if (warmed) return;
  const hosts: HTMLElement[] = [];
  let api: GridApi<WarmRow | TotalRow> | null = null;
  let root: Root | null = null;
  try {
    if (!(await idle(signal))) return;
    registerGridModules();
    'a'.localeCompare('b');
    if (!(await idle(signal))) return;
    warmed = document.querySelector('.ag-root-wrapper') !== null;
    if (warmed) return;
    const plain = hiddenHost();
    hosts.push(plain);
    api = createGrid<WarmRow | TotalRow>(plain, { theme: DESK_THEME, columnDefs: [], rowData: [], animateRows: false });
    if (!(await idle(signal))) return;
    api.updateGridOptions({ columnDefs: WARM_COLUMNS.map((column, index) => toColDef(column, 'en', index === 0)), rowSelection: { mode: 'multiRow', checkboxes: true } });
    if (!(await idle(signal))) return;
    api.updateGridOptions({ rowData: [...WARM_ROWS], pinnedBottomRowData: [...WARM_TOTALS] });
    if (!(await idle(signal))) return;
    const desk = hiddenHost();
    hosts.push(desk);
    const deskRoot = createRoot(desk);
    root = deskRoot;
    // Paged, as the big grids are (the plain grid above held its rows): the Infinite Row Model asks its first block once the grid is up.
    const asked = new Promise<void>((resolve) => {
      const source: RowSource<WarmRow> = {
        version: 0,
        getRows: () => {
          resolve();
          return Promise.resolve({ rows: WARM_ROWS, count: WARM_ROWS.length });
        },
      };
      deskRoot.render(createElement(DataGrid<WarmRow>, { label: '', columns: WARM_COLUMNS, source, rowId: (row) => row.id, totals: WARM_TOTALS, locale: 'en', numberFormat: 'en', multiSelect: true, height: 200 }));
    });
    if (!(await unlessAborted(asked, signal))) return;
    // The block is drawn in the tasks right after (rendering comes before idle time).
    warmed = await idle(signal);
  } finally {
    root?.unmount();
    api?.destroy();
    for (const host of hosts) host.remove();
  }
}
