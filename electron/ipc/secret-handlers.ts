import { z } from 'zod';
import type { SecretStoreStatus } from '../../node/secrets/secret-service.ts';
import { SECRET_NAMES, type SecretName } from '../../node/secrets/secret-vault.ts';
import { PASSPHRASE_LENGTH_MIN } from '../../node/secrets/passphrase-cipher.ts';
import { defineHandler } from './define.ts';

/**
 * Secrets over IPC. The renderer may store and forget any secret, and read back only the sync
 * server token (its replication client needs it). No channel returns the signing key's passphrase:
 * it is read in main by the signing service, so it never reaches the renderer.
 */
export interface SecretServices {
  status(): Promise<SecretStoreStatus>;
  unlock(passphrase: string): Promise<void>;
  store(name: SecretName, value: string): Promise<void>;
  read(name: SecretName): Promise<string | null>;
  forget(name: SecretName): Promise<void>;
}

export const SECRET_VALUE_LENGTH_MAX = 16 * 1024;
export const PASSPHRASE_LENGTH_MAX = 1024;

const nameSchema = z.enum(SECRET_NAMES);

export function createSecretHandlers(secrets: SecretServices) {
  return {
    'secrets-status': defineHandler(z.undefined(), () => secrets.status()),
    'secrets-unlock': defineHandler(z.string().min(PASSPHRASE_LENGTH_MIN).max(PASSPHRASE_LENGTH_MAX), (passphrase) => secrets.unlock(passphrase)),
    'secret-store': defineHandler(z.strictObject({ name: nameSchema, value: z.string().min(1).max(SECRET_VALUE_LENGTH_MAX) }), ({ name, value }) => secrets.store(name, value)),
    'secret-forget': defineHandler(z.strictObject({ name: nameSchema }), ({ name }) => secrets.forget(name)),
    'secret-server-token': defineHandler(z.undefined(), () => secrets.read('server-token')),
  };
}

export type SecretHandlers = ReturnType<typeof createSecretHandlers>;
