// Runs in the page (served by the renderer's dev server, called through callModuleInPage): the
// warm-up of renderer/src/grid/warm-up.ts stopped midway, started beside a grid, and run twice.
import { warmUpGrids } from '../../../renderer/src/grid/warm-up.ts';

declare global {
  interface Window {
    /** The test's init script: each AG Grid root added to the page or removed, in order. */
    gridLog: string[];
  }
}

const agCss = () => document.querySelectorAll('style[data-ag-css]').length;
const grids = () => document.querySelectorAll('.ag-root-wrapper').length;

/** Aborted once its grid is in the page: AG Grid's CSS there while it was, nothing of it after. */
export async function abortedMidway(): Promise<{ readonly agCssDuring: number; readonly after: { readonly grids: number; readonly agCss: number }; readonly log: string[] }> {
  const warm = new AbortController();
  const done = warmUpGrids(warm.signal);
  await new Promise<void>((resolve) => {
    const look = () => (grids() === 0 ? requestAnimationFrame(look) : resolve());
    look();
  });
  const agCssDuring = agCss();
  warm.abort();
  await done;
  return { agCssDuring, after: { grids: grids(), agCss: agCss() }, log: [...window.gridLog] };
}

/** Run to its end with a grid's root in the page already (what the warm-up looks for). */
export async function besideAGrid(): Promise<string[]> {
  const grid = document.createElement('div');
  grid.className = 'ag-root-wrapper';
  document.body.append(grid);
  await warmUpGrids(new AbortController().signal);
  const log = [...window.gridLog];
  grid.remove();
  return log;
}

/** Run to its end, then again (a shell mounted again): the second makes no grid. */
export async function twice(): Promise<string[]> {
  await warmUpGrids(new AbortController().signal);
  await warmUpGrids(new AbortController().signal);
  return [...window.gridLog];
}
