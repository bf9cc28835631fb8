import type * as Electron from 'electron';

/**
 * The desk's one window. The renderer is isolated from Node and Electron: context isolation, the
 * Chromium sandbox, no Node integration anywhere (workers and sub-frames included), web security
 * on, no <webview>, and only the preload's bridge between them.
 */
export function mainWindowOptions(preloadPath: string, iconPath?: string): Electron.BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'SettleDesk',
    // Shown on ready-to-show, so the analyst never sees a blank white frame.
    show: false,
    ...(iconPath === undefined ? {} : { icon: iconPath }),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
