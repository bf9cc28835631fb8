import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { SALT_BYTES } from './passphrase-cipher.ts';
import type { SecretCipherKind } from './secret-cipher.ts';

/**
 * The file that holds sealed secrets (one JSON document, mode 0600, replaced atomically). It never
 * holds a plain secret: each entry is sealed by the OS keychain or by the analyst's passphrase, and
 * records which, so a secret sealed by a store that is gone is reported instead of misread.
 */
export const SECRET_NAMES = ['server-token', 'signing-passphrase'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
export const VAULT_FILE_BYTES_MAX = 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const vaultSchema = z.strictObject({
  format: z.literal('settledesk-secrets/1'),
  /** scrypt salt of the passphrase key, made on first unlock. */
  passphraseSalt: base64.optional(),
  /** A known text sealed with the passphrase key: tells a wrong passphrase from a changed secret. */
  passphraseVerifier: base64.optional(),
  secrets: z.partialRecord(z.enum(SECRET_NAMES), z.strictObject({ cipher: z.enum(['os', 'passphrase']), sealed: base64 })),
});
export type VaultDocument = z.infer<typeof vaultSchema>;

export interface SealedSecret {
  readonly cipher: SecretCipherKind;
  readonly sealed: Buffer;
}

export class SecretVault {
  constructor(readonly filePath: string) {}

  async load(): Promise<VaultDocument> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'settledesk-secrets/1', secrets: {} };
      throw error;
    }
    if (text.length > VAULT_FILE_BYTES_MAX) throw new SettleDeskError('secret_store_corrupt', 'the secret store file is too large', { file: this.filePath });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SettleDeskError('secret_store_corrupt', 'the secret store file is not JSON', { file: this.filePath });
    }
    const result = vaultSchema.safeParse(parsed);
    if (!result.success) throw new SettleDeskError('secret_store_corrupt', `the secret store file is not valid: ${z.prettifyError(result.error)}`, { file: this.filePath });
    return result.data;
  }

  async save(document: VaultDocument): Promise<void> {
    const checked = vaultSchema.parse(document);
    await mkdir(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    // Written beside the target and renamed over it: a crash leaves the old file or the new one.
    const temporary = `${this.filePath}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, this.filePath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async sealed(name: SecretName): Promise<SealedSecret | null> {
    const entry = (await this.load()).secrets[name];
    return entry === undefined ? null : { cipher: entry.cipher, sealed: Buffer.from(entry.sealed, 'base64') };
  }

  async put(name: SecretName, secret: SealedSecret): Promise<void> {
    const document = await this.load();
    await this.save({ ...document, secrets: { ...document.secrets, [name]: { cipher: secret.cipher, sealed: secret.sealed.toString('base64') } } });
  }

  async remove(name: SecretName): Promise<void> {
    const document = await this.load();
    const { [name]: _removed, ...rest } = document.secrets;
    await this.save({ ...document, secrets: rest });
  }

  /** The passphrase salt, made (and saved) on first use. */
  async passphraseSalt(): Promise<Buffer> {
    const document = await this.load();
    if (document.passphraseSalt !== undefined) return Buffer.from(document.passphraseSalt, 'base64');
    const salt = randomBytes(SALT_BYTES);
    await this.save({ ...document, passphraseSalt: salt.toString('base64') });
    return salt;
  }

  async passphraseVerifier(): Promise<Buffer | null> {
    const verifier = (await this.load()).passphraseVerifier;
    return verifier === undefined ? null : Buffer.from(verifier, 'base64');
  }

  async setPassphraseVerifier(verifier: Buffer): Promise<void> {
    const document = await this.load();
    await this.save({ ...document, passphraseVerifier: verifier.toString('base64') });
  }
}
