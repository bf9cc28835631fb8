import { SettleDeskError } from '../../core/errors.ts';
import { createPassphraseCipher, deriveKey } from './passphrase-cipher.ts';
import type { SecretCipher } from './secret-cipher.ts';
import type { SecretName, SecretVault } from './secret-vault.ts';

/**
 * Server tokens and the signing key's passphrase at rest. Sealed by the OS secret store when there
 * is a real one; otherwise (Linux's basic_text backend, or no encryption at all) by a passphrase
 * the analyst types once per session, whose key lives only in this process's memory.
 */
export type PassphraseReason = 'linux_basic_text' | 'os_encryption_unavailable';

export type OsCipherChoice = { readonly cipher: SecretCipher } | { readonly cipher: null; readonly reason: PassphraseReason };

export type SecretStoreStatus =
  | { readonly mode: 'os'; readonly stored: readonly SecretName[] }
  | { readonly mode: 'passphrase'; readonly reason: PassphraseReason; readonly unlocked: boolean; readonly stored: readonly SecretName[] };

const VERIFIER_TEXT = 'settledesk passphrase verifier';

export class SecretService {
  private passphraseCipher: SecretCipher | null = null;
  /** One operation at a time: each one reads, changes and rewrites the vault file. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly vault: SecretVault,
    private readonly osChoice: OsCipherChoice,
  ) {}

  status(): Promise<SecretStoreStatus> {
    return this.serialized(async () => {
      const document = await this.vault.load();
      const stored = (Object.keys(document.secrets) as SecretName[]).sort();
      if (this.osChoice.cipher !== null) return { mode: 'os', stored };
      return { mode: 'passphrase', reason: this.osChoice.reason, unlocked: this.passphraseCipher !== null, stored };
    });
  }

  /** Derives the passphrase key; the first unlock sets the passphrase, later ones must match it. */
  unlock(passphrase: string): Promise<void> {
    return this.serialized(async () => {
      if (this.osChoice.cipher !== null) throw new SettleDeskError('secret_passphrase_not_needed', 'secrets are sealed by the OS secret store; no passphrase is used');
      const cipher = createPassphraseCipher(await deriveKey(passphrase, await this.vault.passphraseSalt()));
      const verifier = await this.vault.passphraseVerifier();
      if (verifier === null) {
        await this.vault.setPassphraseVerifier(await cipher.seal(VERIFIER_TEXT));
      } else if ((await cipher.open(verifier)).plainText !== VERIFIER_TEXT) {
        throw new SettleDeskError('secret_store_corrupt', 'the passphrase verifier holds an unexpected text');
      }
      this.passphraseCipher = cipher;
    });
  }

  store(name: SecretName, value: string): Promise<void> {
    return this.serialized(async () => {
      const cipher = this.currentCipher();
      await this.vault.put(name, { cipher: cipher.kind, sealed: await cipher.seal(value) });
    });
  }

  /** The plain secret, for main-process services only; null when none is stored. */
  read(name: SecretName): Promise<string | null> {
    return this.serialized(async () => {
      const sealed = await this.vault.sealed(name);
      if (sealed === null) return null;
      const cipher = this.currentCipher();
      if (sealed.cipher !== cipher.kind) {
        throw new SettleDeskError('secret_sealed_elsewhere', `the ${name} was sealed by the ${sealed.cipher === 'os' ? 'OS secret store' : 'passphrase'}, which is not in use now; enter it again`, {}, { name });
      }
      const opened = await cipher.open(sealed.sealed);
      if (opened.shouldReseal) await this.vault.put(name, { cipher: cipher.kind, sealed: await cipher.seal(opened.plainText) });
      return opened.plainText;
    });
  }

  forget(name: SecretName): Promise<void> {
    return this.serialized(() => this.vault.remove(name));
  }

  private currentCipher(): SecretCipher {
    if (this.osChoice.cipher !== null) return this.osChoice.cipher;
    if (this.passphraseCipher === null) throw new SettleDeskError('secret_store_locked', 'the secret store is locked: enter the passphrase first', {}, { reason: this.osChoice.reason });
    return this.passphraseCipher;
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
