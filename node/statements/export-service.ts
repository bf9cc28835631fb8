import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../core/canonical/json.ts';
import { SettleDeskError } from '../../core/errors.ts';
import type { StatementLocale } from '../../core/statement/labels.ts';
import { writeOwnFile } from '../files/write-own-file.ts';
import { writeStatementFiles } from './files.ts';
import { createJwsSigner } from './jws.ts';
import { existingStatementFiles, statementJsonTarget } from './export-target.ts';
import { loadOrganizationSigner, type CertificateFacts } from './sign.ts';
import { checkStatementDocument, StatementExportError } from './statement-document.ts';

/**
 * Signed statement export for the desktop app, as a plain Node service (Electron main only wires
 * it to IPC). The organization's P12 lives in the app's data folder (mode 0600) and its passphrase
 * in the secret store; both are read here, in main, and neither is ever returned: callers get file
 * names and the certificate's public facts. Signing itself is writeStatementFiles, the same code
 * `settledesk settle --pdf --sign-p12` runs, so the desk and the CLI sign identically.
 */
export const P12_BYTES_MAX = 1024 * 1024;
export const ORGANIZATION_P12_FILE = 'organization.p12';

/** Reads the signing passphrase where it is kept (SecretService in main); null when none is stored. */
export type PassphraseProvider = () => Promise<string | null>;

export interface ExportOptions {
  /**
   * Names of existing files the analyst agreed to replace. The save dialog confirms only the file
   * picked; its siblings (JSON, JWS, CSV, XLSX) would otherwise be overwritten without asking.
   */
  readonly replace: readonly string[];
}

export interface SignedStatementExport {
  /** File names only (in the folder the analyst chose): the renderer never gets a path to reuse. */
  readonly files: { readonly json: string; readonly pdf: string; readonly jws: string; readonly csv: string; readonly xlsx: string };
  readonly sha256: string;
  readonly certificate: CertificateFacts;
}

export interface SigningIdentityStatus {
  readonly configured: boolean;
  /** Public facts of the imported certificate; null when none is imported or the store is locked. */
  readonly certificate: CertificateFacts | null;
}

/** Error messages from the P12 and CMS libraries are passed on; a passphrase must never ride along. */
export function withoutSecret(error: unknown, secret: string): unknown {
  if (!(error instanceof Error) || secret === '' || !error.message.includes(secret)) return error;
  const redacted = error.message.split(secret).join('[redacted]');
  return error instanceof SettleDeskError ? new SettleDeskError(error.code, redacted, error.location, error.details) : new SettleDeskError('internal_error', redacted);
}

export interface StatementSigningServiceOptions {
  /** Folder in the app's data folder that holds the imported P12. */
  readonly signingDir: string;
  readonly passphrase: PassphraseProvider;
  readonly storePassphrase: (passphrase: string) => Promise<void>;
  readonly now: () => Date;
}

export class StatementSigningService {
  constructor(private readonly options: StatementSigningServiceOptions) {}

  get p12File(): string {
    return path.join(this.options.signingDir, ORGANIZATION_P12_FILE);
  }

  /**
   * Imports the organization's P12: opened with the passphrase first (a wrong one changes
   * nothing), then copied into the data folder with mode 0600 and the passphrase stored in the
   * secret store. The source file is left where it was.
   */
  async importP12(sourceFile: string, passphrase: string): Promise<CertificateFacts> {
    const p12 = await readFile(sourceFile);
    if (p12.length > P12_BYTES_MAX) throw new SettleDeskError('file_too_large', `a PKCS#12 file of at most ${P12_BYTES_MAX} bytes is expected`, { file: path.basename(sourceFile) });
    let certificate: CertificateFacts;
    try {
      certificate = loadOrganizationSigner(p12, passphrase, path.basename(sourceFile)).certificate;
    } catch (error) {
      throw withoutSecret(error, passphrase);
    }
    await mkdir(this.options.signingDir, { recursive: true, mode: 0o700 });
    const temporary = path.join(this.options.signingDir, `.${ORGANIZATION_P12_FILE}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, p12, { flag: 'wx', mode: 0o600 });
      // The umask may narrow the mode; it must never widen it.
      await chmod(temporary, 0o600);
      await this.options.storePassphrase(passphrase);
      await rename(temporary, this.p12File);
    } finally {
      await rm(temporary, { force: true });
    }
    return certificate;
  }

  async status(): Promise<SigningIdentityStatus> {
    const p12 = await this.readP12OrNull();
    if (p12 === null) return { configured: false, certificate: null };
    const passphrase = await this.options.passphrase();
    if (passphrase === null) return { configured: false, certificate: null };
    try {
      return { configured: true, certificate: loadOrganizationSigner(p12, passphrase, ORGANIZATION_P12_FILE).certificate };
    } catch (error) {
      throw withoutSecret(error, passphrase);
    }
  }

  /**
   * Checks the document's hash, signs, and writes JSON, PDF, JWS, CSV and XLSX beside
   * `chosenTarget`. An existing file not named in `options.replace` refuses the whole export
   * before anything is signed or written (`statement_files_exist`, its names in details.files).
   */
  async exportSigned(documentJson: string, locale: StatementLocale, chosenTarget: string, options: ExportOptions): Promise<SignedStatementExport> {
    const document = checkStatementDocument(documentJson);
    const unconfirmed = existingStatementFiles(chosenTarget).filter((name) => !options.replace.includes(name));
    if (unconfirmed.length > 0) {
      throw new SettleDeskError('statement_files_exist', `${unconfirmed.join(', ')} already exist in the chosen folder: confirm replacing them, or choose another name`, { file: unconfirmed[0] }, { files: unconfirmed });
    }
    const p12 = await this.readP12OrNull();
    if (p12 === null) throw new StatementExportError('signing_not_configured', "no organization certificate is imported: import the organization's PKCS#12 first");
    const passphrase = await this.options.passphrase();
    if (passphrase === null) throw new StatementExportError('signing_passphrase_missing', "the signing passphrase is not in the secret store: import the organization's PKCS#12 again");
    try {
      const organization = loadOrganizationSigner(p12, passphrase, ORGANIZATION_P12_FILE);
      const jsonFile = statementJsonTarget(chosenTarget);
      const written = await writeStatementFiles(document.statement, jsonFile, { organization, jws: await createJwsSigner(organization) }, locale, this.options.now());
      // The JSON settle writes: its canonical text and a line break; the JWS signs that text, so a
      // partner's `settledesk verify` finds both side by side.
      writeOwnFile(jsonFile, `${canonicalJson({ statement: document.statement, sha256: document.sha256 })}\n`);
      return {
        files: { json: path.basename(jsonFile), pdf: path.basename(written.pdf), jws: path.basename(written.jws ?? ''), csv: path.basename(written.csv), xlsx: path.basename(written.xlsx) },
        sha256: document.sha256,
        certificate: organization.certificate,
      };
    } catch (error) {
      throw withoutSecret(error, passphrase);
    }
  }

  private async readP12OrNull(): Promise<Buffer | null> {
    try {
      return await readFile(this.p12File);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
