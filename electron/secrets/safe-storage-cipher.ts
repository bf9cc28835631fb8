import type * as Electron from 'electron';
import type { OsCipherChoice } from '../../node/secrets/secret-service.ts';

/**
 * Chooses how secrets are sealed on this machine, through safeStorage's async API only (the sync
 * calls are deprecated and block the main process on the keychain). On Linux the basic_text
 * backend is refused: it encrypts with a key built into Chromium, so anyone with the file could
 * read the secret. There, as where no encryption is available at all, the desk asks for a
 * passphrase instead (node/secrets/passphrase-cipher.ts). Call after app 'ready'.
 */
export type AsyncSafeStorage = Pick<Electron.SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'>;

export async function chooseOsCipher(safeStorage: AsyncSafeStorage, platform: NodeJS.Platform): Promise<OsCipherChoice> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return { cipher: null, reason: 'os_encryption_unavailable' };
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text') return { cipher: null, reason: 'linux_basic_text' };
    // 'unknown' means safeStorage was asked before 'ready': nothing can be promised, so no OS store.
    if (backend === 'unknown') return { cipher: null, reason: 'os_encryption_unavailable' };
  }
  return {
    cipher: {
      kind: 'os',
      seal: (plainText) => safeStorage.encryptStringAsync(plainText),
      open: async (sealed) => {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(sealed);
        return { plainText: result, shouldReseal: shouldReEncrypt };
      },
    },
  };
}
