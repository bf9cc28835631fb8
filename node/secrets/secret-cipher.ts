/**
 * How a secret is sealed at rest. Two implementations: the OS keychain through Electron's
 * safeStorage (electron/secrets/safe-storage-cipher.ts) and a passphrase the analyst types
 * (passphrase-cipher.ts), used where the OS offers nothing better than a fixed key.
 */
export type SecretCipherKind = 'os' | 'passphrase';

export interface OpenedSecret {
  readonly plainText: string;
  /** The backend rotated its key: seal the value again so it is stored under the new one. */
  readonly shouldReseal: boolean;
}

export interface SecretCipher {
  readonly kind: SecretCipherKind;
  seal(plainText: string): Promise<Buffer>;
  open(sealed: Buffer): Promise<OpenedSecret>;
}
