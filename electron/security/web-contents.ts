import type * as Electron from 'electron';
import { isAllowedExternalUrl } from '../external-links.ts';
import { APP_ORIGIN } from '../ipc-sender.ts';

/**
 * Every web contents the app creates stays on the desk: navigation away and redirects are
 * prevented, new windows are denied, <webview> cannot be attached. A link to an allow-listed
 * https host goes to the OS browser instead (shell.openExternal); anything else goes nowhere.
 */
export type GuardedWebContents = Pick<Electron.WebContents, 'on' | 'setWindowOpenHandler'>;
export type OpenExternal = (url: string) => void;

function isAppUrl(url: string): boolean {
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
}

export function guardWebContents(contents: GuardedWebContents, openExternal: OpenExternal): void {
  const keepOnDesk = (event: Electron.Event, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isAllowedExternalUrl(url)) openExternal(url);
  };
  contents.on('will-navigate', (event) => keepOnDesk(event, event.url));
  contents.on('will-frame-navigate', (event) => keepOnDesk(event, event.url));
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}
