import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SecretCipher } from './secret-cipher.ts';
import { SecretService } from './secret-service.ts';
import { SecretVault } from './secret-vault.ts';

const TOKEN = 'sd_live_token_5f2c9a';
const PASSPHRASE = 'correct horse battery';

function vaultFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'settledesk-secrets-')), 'secrets.json');
}

/** Stands in for the OS keychain: reversible, tagged, and able to report a rotated key. */
function fakeOsCipher(options: { rotated?: boolean } = {}): SecretCipher & { sealedCount: number } {
  const fake = {
    kind: 'os' as const,
    sealedCount: 0,
    seal: async (plainText: string) => {
      fake.sealedCount += 1;
      return Buffer.concat([Buffer.from('OS:'), Buffer.from(plainText, 'utf8').reverse()]);
    },
    open: async (sealed: Buffer) => ({ plainText: Buffer.from(sealed.subarray(3)).reverse().toString('utf8'), shouldReseal: options.rotated === true }),
  };
  return fake;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('SecretService with an OS secret store', () => {
  it('seals through the OS cipher, never writes the plain secret, and keeps the file private', async () => {
    const file = vaultFile();
    const service = new SecretService(new SecretVault(file), { cipher: fakeOsCipher() });
    await service.store('server-token', TOKEN);
    expect(await service.read('server-token')).toBe(TOKEN);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await service.status()).toEqual({ mode: 'os', stored: ['server-token'] });
    await service.forget('server-token');
    expect(await service.read('server-token')).toBeNull();
  });

  it('reseals a secret when the OS store rotated its key', async () => {
    const cipher = fakeOsCipher({ rotated: true });
    const service = new SecretService(new SecretVault(vaultFile()), { cipher });
    await service.store('server-token', TOKEN);
    expect(cipher.sealedCount).toBe(1);
    expect(await service.read('server-token')).toBe(TOKEN);
    expect(cipher.sealedCount).toBe(2);
  });

  it('refuses a passphrase: none is used', async () => {
    const service = new SecretService(new SecretVault(vaultFile()), { cipher: fakeOsCipher() });
    expect(await codeOf(service.unlock(PASSPHRASE))).toBe('secret_passphrase_not_needed');
  });
});

describe('SecretService with a passphrase (no real OS secret store)', () => {
  it('is locked until unlocked, then seals with the passphrase', async () => {
    const file = vaultFile();
    const service = new SecretService(new SecretVault(file), { cipher: null, reason: 'linux_basic_text' });
    expect(await service.status()).toEqual({ mode: 'passphrase', reason: 'linux_basic_text', unlocked: false, stored: [] });
    expect(await codeOf(service.store('signing-passphrase', 'p12 pass'))).toBe('secret_store_locked');
    expect(await codeOf(service.unlock('short'))).toBe('secret_passphrase_too_short');
    await service.unlock(PASSPHRASE);
    await service.store('signing-passphrase', 'p12 pass');
    expect(await service.read('signing-passphrase')).toBe('p12 pass');
    expect(readFileSync(file, 'utf8')).not.toContain('p12 pass');
    expect(await service.status()).toEqual({ mode: 'passphrase', reason: 'linux_basic_text', unlocked: true, stored: ['signing-passphrase'] });
  });

  it('after a restart, a wrong passphrase is refused and the right one opens the secret', async () => {
    const file = vaultFile();
    const first = new SecretService(new SecretVault(file), { cipher: null, reason: 'linux_basic_text' });
    await first.unlock(PASSPHRASE);
    await first.store('server-token', TOKEN);
    const restarted = new SecretService(new SecretVault(file), { cipher: null, reason: 'linux_basic_text' });
    expect(await codeOf(restarted.unlock('a different passphrase'))).toBe('secret_passphrase_wrong');
    expect(await codeOf(restarted.read('server-token'))).toBe('secret_store_locked');
    await restarted.unlock(PASSPHRASE);
    expect(await restarted.read('server-token')).toBe(TOKEN);
  });

  it('a changed byte in a sealed secret fails instead of yielding another value', async () => {
    const file = vaultFile();
    const service = new SecretService(new SecretVault(file), { cipher: null, reason: 'os_encryption_unavailable' });
    await service.unlock(PASSPHRASE);
    await service.store('server-token', TOKEN);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { secrets: Record<string, { sealed: string }> };
    const sealed = Buffer.from(document.secrets['server-token']!.sealed, 'base64');
    sealed[sealed.length - 1]! ^= 0x01;
    document.secrets['server-token']!.sealed = sealed.toString('base64');
    writeFileSync(file, JSON.stringify(document));
    expect(await codeOf(service.read('server-token'))).toBe('secret_passphrase_wrong');
  });

  it('says a secret sealed by the OS store must be entered again when only a passphrase is available', async () => {
    const file = vaultFile();
    await new SecretService(new SecretVault(file), { cipher: fakeOsCipher() }).store('server-token', TOKEN);
    const fallback = new SecretService(new SecretVault(file), { cipher: null, reason: 'linux_basic_text' });
    await fallback.unlock(PASSPHRASE);
    expect(await codeOf(fallback.read('server-token'))).toBe('secret_sealed_elsewhere');
  });

  it('refuses a vault file that is not ours', async () => {
    const file = vaultFile();
    writeFileSync(file, JSON.stringify({ format: 'settledesk-secrets/1', secrets: { 'server-token': 'plain text token' } }));
    const service = new SecretService(new SecretVault(file), { cipher: fakeOsCipher() });
    expect(await codeOf(service.read('server-token'))).toBe('secret_store_corrupt');
  });
});
