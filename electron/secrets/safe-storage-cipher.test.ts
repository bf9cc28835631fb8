import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretService } from '../../node/secrets/secret-service.ts';
import { SecretVault } from '../../node/secrets/secret-vault.ts';
import { FakeSafeStorage } from '../../tests/support/fake-electron.ts';
import { chooseOsCipher } from './safe-storage-cipher.ts';

describe('safeStorage backend choice', () => {
  it('refuses the Linux basic_text backend and asks for a passphrase instead', async () => {
    const safeStorage = new FakeSafeStorage('basic_text');
    const choice = await chooseOsCipher(safeStorage, 'linux');
    expect(choice).toEqual({ cipher: null, reason: 'linux_basic_text' });
    const service = new SecretService(new SecretVault(path.join(mkdtempSync(path.join(tmpdir(), 'sd-')), 'secrets.json')), choice);
    expect(await service.status()).toMatchObject({ mode: 'passphrase', reason: 'linux_basic_text', unlocked: false });
    await expect(service.store('server-token', 'tok')).rejects.toMatchObject({ code: 'secret_store_locked' });
    expect(safeStorage.calls).not.toContain('encryptStringAsync');
  });

  it('uses a real Linux secret store, and the OS store on macOS and Windows whatever the Linux backend would say', async () => {
    expect((await chooseOsCipher(new FakeSafeStorage('gnome_libsecret'), 'linux')).cipher?.kind).toBe('os');
    expect((await chooseOsCipher(new FakeSafeStorage('kwallet6'), 'linux')).cipher?.kind).toBe('os');
    expect((await chooseOsCipher(new FakeSafeStorage('basic_text'), 'darwin')).cipher?.kind).toBe('os');
    expect((await chooseOsCipher(new FakeSafeStorage('unknown'), 'linux')).cipher).toBeNull();
  });

  it('falls back to a passphrase when async encryption is unavailable', async () => {
    expect(await chooseOsCipher(new FakeSafeStorage('gnome_libsecret', false), 'linux')).toEqual({ cipher: null, reason: 'os_encryption_unavailable' });
    expect(await chooseOsCipher(new FakeSafeStorage('unknown', false), 'win32')).toEqual({ cipher: null, reason: 'os_encryption_unavailable' });
  });

  it('seals and opens through the async API only, resealing when the key rotated', async () => {
    const safeStorage = new FakeSafeStorage('gnome_libsecret', true, true);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sd-')), 'secrets.json');
    const service = new SecretService(new SecretVault(file), await chooseOsCipher(safeStorage, 'linux'));
    await service.store('server-token', 'sd_token_42');
    expect(readFileSync(file, 'utf8')).not.toContain('sd_token_42');
    expect(await service.read('server-token')).toBe('sd_token_42');
    expect(safeStorage.calls).toEqual(['isAsyncEncryptionAvailable', 'getSelectedStorageBackend', 'encryptStringAsync', 'decryptStringAsync', 'encryptStringAsync']);
  });
});
