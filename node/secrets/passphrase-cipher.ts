import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { SettleDeskError } from '../../core/errors.ts';
import type { OpenedSecret, SecretCipher } from './secret-cipher.ts';

/**
 * Seals secrets with a key derived from the analyst's passphrase: scrypt (N=2^15, r=8, p=1, about
 * 32 MiB and a tenth of a second, so guessing is slow) and AES-256-GCM, whose tag makes a wrong
 * passphrase or a changed byte fail loudly instead of yielding garbage. Used where Electron's
 * safeStorage has no real OS secret store (Linux's basic_text backend is a key baked into
 * Chromium, not protection).
 */
export const PASSPHRASE_LENGTH_MIN = 10;
export const SALT_BYTES = 16;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SCRYPT_OPTIONS: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
/** Sealed layout: version byte, IV, GCM tag, cipher text. */
const FORMAT_VERSION = 1;

export function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  if (passphrase.length < PASSPHRASE_LENGTH_MIN) {
    throw new SettleDeskError('secret_passphrase_too_short', `the passphrase must have at least ${PASSPHRASE_LENGTH_MIN} characters`);
  }
  if (salt.length !== SALT_BYTES) throw new SettleDeskError('secret_store_corrupt', `the passphrase salt has ${salt.length} bytes, not ${SALT_BYTES}`);
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, SCRYPT_OPTIONS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function createPassphraseCipher(key: Buffer): SecretCipher {
  if (key.length !== KEY_BYTES) throw new SettleDeskError('secret_key_invalid', `a passphrase key has ${KEY_BYTES} bytes, got ${key.length}`);
  return {
    kind: 'passphrase',
    seal: async (plainText) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open: async (sealed): Promise<OpenedSecret> => {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
        throw new SettleDeskError('secret_store_corrupt', 'a sealed secret is truncated or of an unknown format', {}, { bytes: sealed.length });
      }
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES));
      decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
      try {
        const plain = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
        return { plainText: plain.toString('utf8'), shouldReseal: false };
      } catch {
        // GCM cannot tell a wrong key from a changed byte; the vault's verifier tells them apart.
        throw new SettleDeskError('secret_passphrase_wrong', 'the passphrase does not open this secret (wrong passphrase, or the file was changed)');
      }
    },
  };
}
