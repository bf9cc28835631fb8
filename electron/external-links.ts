/**
 * Which links the desk may hand to the OS browser (shell.openExternal). Only https, only these
 * hosts, no credentials or odd ports: a link in imported data or a compromised renderer cannot
 * launch file://, smb:// or a custom protocol handler on the analyst's machine.
 */
export const EXTERNAL_HOSTS_ALLOWED: readonly string[] = [
  // FX reference rates, the source statements name (the Help menu links to it too). Add the
  // organisation's own documentation host here when there is one.
  'www.ecb.europa.eu',
];

export function isAllowedExternalUrl(url: string, hostsAllowed: readonly string[] = EXTERNAL_HOSTS_ALLOWED): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hostsAllowed.includes(parsed.hostname);
}
