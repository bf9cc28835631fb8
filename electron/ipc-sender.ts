/** The renderer's own origin: IPC from any other frame (an injected iframe, a navigated page) is refused. */
export const APP_ORIGIN = 'app://settledesk';

export function isTrustedSenderUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
