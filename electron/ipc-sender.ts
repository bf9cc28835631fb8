import type * as Electron from 'electron';

/** The renderer's own origin: IPC from any other frame (an injected iframe, a navigated page) is refused. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'settledesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function isTrustedSenderUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** The frame that sent an IPC message: only the desk's own top-level frame, on its own origin. */
export type SenderFrame = Pick<Electron.WebFrameMain, 'url' | 'parent'> | null | undefined;

export function isTrustedSenderFrame(frame: SenderFrame): boolean {
  if (frame === null || frame === undefined) return false;
  // A sub-frame, even one on app://, is not the desk: the desk itself never embeds frames.
  if (frame.parent !== null) return false;
  return isTrustedSenderUrl(frame.url);
}
