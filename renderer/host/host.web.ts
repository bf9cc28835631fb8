import { SIGNING_NOT_IN_BROWSER, type DeskAlert, type FileFilter, type HostAdapter, type PickedFile, type SaveFileResult, type SecretName } from './host.ts';

/**
 * The browser host (`npm run web`, browser tests). Files come from an <input type=file> and are
 * saved as downloads; alerts use the Notification API when the page may.
 *
 * Secrets: a browser has no OS key store, so the signing passphrase stays in this tab's memory.
 * The sign-in ('server-token': only the rotating refresh token, sign-in.ts keeps the access token
 * in memory) is kept in sessionStorage, so a reload stays signed in the way a real app does. The
 * trade-off: any script running on this origin can read sessionStorage (as it could read IndexedDB
 * or the memory of the page), so this rests on the desk's strict CSP, which refuses foreign and
 * inline scripts. What bounds the harm of a stolen token: it lives only as long as the tab
 * (sessionStorage is per tab and cleared when the tab closes, unlike IndexedDB or localStorage,
 * which outlive the browser), it is spent on first use (each refresh rotates it, and the server
 * revokes the whole sign-in when a spent one is presented again), and it never grants anything
 * itself: only a refresh does, which the desk's own next refresh would reveal. Signing out
 * removes it here and revokes it on the server.
 */
const secretsInMemory = new Map<SecretName, string>();
/** Secrets kept for the tab's session (sessionStorage), under this prefix; the others stay in memory. */
const TAB_SECRETS: ReadonlySet<SecretName> = new Set(['server-token']);
const TAB_SECRET_PREFIX = 'settledesk.secret.';

/** sessionStorage, or null where the page may not use it (a sandboxed frame, storage disabled): then memory only. */
function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

function readSecret(name: SecretName): string | null {
  const kept = secretsInMemory.get(name);
  if (kept !== undefined || !TAB_SECRETS.has(name)) return kept ?? null;
  return tabStorage()?.getItem(TAB_SECRET_PREFIX + name) ?? null;
}

function storeSecret(name: SecretName, value: string): void {
  secretsInMemory.set(name, value);
  if (TAB_SECRETS.has(name)) tabStorage()?.setItem(TAB_SECRET_PREFIX + name, value);
}

function forgetSecret(name: SecretName): void {
  secretsInMemory.delete(name);
  tabStorage()?.removeItem(TAB_SECRET_PREFIX + name);
}
const EXTERNAL_PROTOCOL = 'https:';

function acceptOf(filters: readonly FileFilter[]): string {
  return filters.flatMap((filter) => filter.extensions.map((extension) => `.${extension}`)).join(',');
}

function pickFiles(accept: string, multiple: boolean): Promise<readonly PickedFile[]> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = multiple;
    input.addEventListener('cancel', () => resolve([]));
    input.addEventListener('change', () => {
      Promise.all([...(input.files ?? [])].map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })))
        .then(resolve)
        .catch(reject);
    });
    input.click();
  });
}

function download(name: string, bytes: Uint8Array): SaveFileResult {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return { saved: true, name };
}

async function notify(alert: DeskAlert): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  new Notification(alert.title, { body: alert.body });
}

/** Rejected signing calls carry the code as a property and first in the message, like the desktop host's. */
export class SigningUnavailableError extends Error {
  readonly code = SIGNING_NOT_IN_BROWSER;

  constructor() {
    super(`${SIGNING_NOT_IN_BROWSER}: signing is not available in the browser, which holds no keys; use the desktop app or \`settledesk settle --pdf --sign-p12\``);
    this.name = 'SigningUnavailableError';
  }
}

const noSigning = async (): Promise<never> => {
  throw new SigningUnavailableError();
};

export const webHost: HostAdapter = {
  info: async () => ({ kind: 'web', version: '0.1.0' }),
  openFiles: (request) => pickFiles(acceptOf(request.filters), request.multiple),
  saveFile: async (request) => download(request.suggestedName, request.bytes),
  notify,
  openExternal: async (url) => {
    if (new URL(url, window.location.href).protocol !== EXTERNAL_PROTOCOL) return false;
    // With noopener, window.open returns null even when the tab opened: nothing to check.
    window.open(url, '_blank', 'noopener,noreferrer');
    return true;
  },
  secretStatus: async () => ({ mode: 'memory', stored: (['server-token', 'signing-passphrase'] as const).filter((name) => readSecret(name) !== null) }),
  unlockSecrets: async () => undefined,
  storeSecret: async (name, value) => storeSecret(name, value),
  forgetSecret: async (name) => forgetSecret(name),
  serverToken: async () => readSecret('server-token'),
  signingStatus: noSigning,
  importSigningCertificate: noSigning,
  exportSignedStatement: noSigning,
  onCommand: () => () => undefined,
};
