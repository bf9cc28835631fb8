import { SIGNING_NOT_IN_BROWSER, type DeskAlert, type FileFilter, type HostAdapter, type PickedFile, type SaveFileResult, type SecretName } from './host.ts';

/**
 * The browser host (`npm run web`, browser tests). Files come from an <input type=file> and are
 * saved as downloads; alerts use the Notification API when the page may; secrets stay in this
 * tab's memory only, since a browser has no safe place for them at rest.
 */
const secretsInMemory = new Map<SecretName, string>();
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
  secretStatus: async () => ({ mode: 'memory', stored: [...secretsInMemory.keys()].sort() }),
  unlockSecrets: async () => undefined,
  storeSecret: async (name, value) => void secretsInMemory.set(name, value),
  forgetSecret: async (name) => void secretsInMemory.delete(name),
  serverToken: async () => secretsInMemory.get('server-token') ?? null,
  signingStatus: noSigning,
  importSigningCertificate: noSigning,
  exportSignedStatement: noSigning,
  onCommand: () => () => undefined,
};
