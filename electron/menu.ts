import type * as Electron from 'electron';
import type { DeskCommand } from '../renderer/host/host.ts';

/**
 * The application menu. Desk actions (import, export, find) are sent to the renderer as commands;
 * the rest are Electron's standard roles. Reload and developer tools exist only in development:
 * in a packaged app they would let anyone at the keyboard run code in the desk's origin.
 */
export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  readonly appName: string;
  sendCommand(command: DeskCommand): void;
  openExternal(url: string): void;
}

export const FX_REFERENCE_RATES_URL = 'https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html';

export function buildMenuTemplate(options: MenuOptions): Electron.MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const development: Electron.MenuItemConstructorOptions[] = options.isPackaged ? [] : [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...(isMac ? [{ label: options.appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies Electron.MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Import Files…', accelerator: 'CmdOrCtrl+O', click: () => options.sendCommand('import-files') },
        { label: 'Export Statement…', accelerator: 'CmdOrCtrl+Shift+E', click: () => options.sendCommand('export-statement') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find…', accelerator: 'CmdOrCtrl+F', click: () => options.sendCommand('find') },
      ],
    },
    { label: '&View', submenu: [...development, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'ECB Euro Reference Rates', click: () => options.openExternal(FX_REFERENCE_RATES_URL) }, ...(isMac ? [] : [{ role: 'about' } satisfies Electron.MenuItemConstructorOptions])],
    },
  ];
}
