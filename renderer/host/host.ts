/**
 * The one typed contract between the renderer and its host. electron/preload.ts implements it
 * (and ends with `satisfies HostAdapter`); host.web.ts serves `npm run web` and browser tests.
 * Everything crosses as plain data (structured clone): no paths the renderer could reuse, no
 * private keys, no IPC objects. A refused call rejects with an Error whose message starts with a
 * stable code ("secret_store_locked: …", "ipc_invalid_input: …", "file_too_large: …").
 */
import type { StatementLocale } from '../../core/statement/labels.ts';

export interface HostInfo {
  readonly kind: 'electron' | 'web';
  readonly version: string;
}

export interface FileFilter {
  readonly name: string;
  /** Without the dot: ['csv', 'sta']. */
  readonly extensions: readonly string[];
}

export interface OpenFilesRequest {
  readonly title: string;
  readonly filters: readonly FileFilter[];
  readonly multiple: boolean;
}

/** A file the analyst picked: its name and bytes only. */
export interface PickedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface SaveFileRequest {
  readonly title: string;
  readonly suggestedName: string;
  readonly filters: readonly FileFilter[];
  readonly bytes: Uint8Array;
}

export type SaveFileResult = { readonly saved: true; readonly name: string } | { readonly saved: false };

export interface DeskAlert {
  readonly title: string;
  readonly body: string;
  readonly severity: 'info' | 'warning' | 'high';
}

/** Secrets the host keeps at rest. The signing key's passphrase can be stored but never read back here. */
export type SecretName = 'server-token' | 'signing-passphrase';

export type SecretStoreStatus =
  | { readonly mode: 'os'; readonly stored: readonly SecretName[] }
  | {
      readonly mode: 'passphrase';
      /** Why no OS store: Linux's basic_text backend is refused, or the OS offers no encryption. */
      readonly reason: 'linux_basic_text' | 'os_encryption_unavailable';
      readonly unlocked: boolean;
      readonly stored: readonly SecretName[];
    }
  /** The browser: the sign-in for the tab's session (sessionStorage), everything else in the tab's memory (host.web.ts). */
  | { readonly mode: 'memory'; readonly stored: readonly SecretName[] };

/** Public facts of the organization's signing certificate: all the renderer ever learns of the key. */
export interface SigningCertificate {
  readonly subject: string;
  readonly organization: string;
  /** A development certificate: every page of what it signs says so. */
  readonly development: boolean;
  readonly fingerprint256: string;
  readonly validTo: string;
}

export interface SigningStatus {
  readonly configured: boolean;
  readonly certificate: SigningCertificate | null;
}

export type ImportSigningResult = { readonly imported: true; readonly certificate: SigningCertificate } | { readonly imported: false };

export interface SignedStatementRequest {
  /** The statement file's text as settle writes it: canonical JSON of {"statement": …, "sha256": …}. */
  readonly documentJson: string;
  readonly locale: StatementLocale;
}

export type SignedStatementResult =
  | {
      readonly exported: true;
      /** File names in the folder the analyst chose in the host's save dialog. */
      readonly files: { readonly json: string; readonly pdf: string; readonly jws: string; readonly csv: string; readonly xlsx: string };
      readonly sha256: string;
      readonly certificate: SigningCertificate;
    }
  | { readonly exported: false };

/** The code a browser host rejects signing calls with: it holds no keys. */
export const SIGNING_NOT_IN_BROWSER = 'signing_not_available_in_browser';

/** Commands the host's application menu sends to the desk. */
export type DeskCommand = 'import-files' | 'export-statement' | 'find';

export interface HostAdapter {
  info(): Promise<HostInfo>;
  /** Resolves with no files when the analyst cancels. */
  openFiles(request: OpenFilesRequest): Promise<readonly PickedFile[]>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** A desktop notification for an alert (a conflict, a failed sync, an anomaly). */
  notify(alert: DeskAlert): Promise<void>;
  /** Opens an allow-listed https link in the OS browser; resolves false when refused. */
  openExternal(url: string): Promise<boolean>;
  secretStatus(): Promise<SecretStoreStatus>;
  unlockSecrets(passphrase: string): Promise<void>;
  storeSecret(name: SecretName, value: string): Promise<void>;
  forgetSecret(name: SecretName): Promise<void>;
  /** The sync server token for the replication client; null when none is stored. */
  serverToken(): Promise<string | null>;
  /** Whether an organization certificate is imported (and its public facts). */
  signingStatus(): Promise<SigningStatus>;
  /**
   * The host asks for the organization's PKCS#12 in its own open dialog and keeps it; the
   * passphrase goes in and is never returned by any call.
   */
  importSigningCertificate(passphrase: string): Promise<ImportSigningResult>;
  /** Signs the statement in the host (the key never reaches the renderer) and writes its files where the analyst chooses. */
  exportSignedStatement(request: SignedStatementRequest): Promise<SignedStatementResult>;
  /** Listens for menu commands; returns the function that stops listening. */
  onCommand(listener: (command: DeskCommand) => void): () => void;
}
