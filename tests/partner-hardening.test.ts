import { describe, expect, it } from 'vitest';
import { checkWebhookTarget, isPrivateAddress, type WebhookTargetPolicy } from '../server/partner/webhook-target.ts';

/**
 * Partner hardening: where a webhook may point (SSRF), with name resolution injected so no test
 * depends on the network. (A line's transactions are placed in the period by core's periodDateOf
 * itself: server/partner/scope.ts.)
 */
const resolving = (addresses: readonly string[]): WebhookTargetPolicy => ({ allowPrivate: false, resolve: async () => addresses });
const refusal = async (url: string, policy: WebhookTargetPolicy = resolving(['93.184.216.34'])) => {
  try {
    await checkWebhookTarget(url, policy);
    return null;
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
};

describe('webhook targets', () => {
  it('accepts public http(s) targets, by address or by a name that resolves to public addresses only', async () => {
    expect(await refusal('https://hooks.example.com/settledesk')).toBeNull();
    expect(await refusal('http://93.184.216.34:8080/hook', resolving([]))).toBeNull();
    expect(await refusal('https://[2606:4700:4700::1111]/hook', resolving([]))).toBeNull();
  });

  it('refuses other schemes and credentials in the URL', async () => {
    for (const url of ['ftp://hooks.example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://hooks.example.com/']) expect(await refusal(url), url).toBe('scheme');
    expect(await refusal('https://user:secret@hooks.example.com/x')).toBe('credentials');
    expect(await refusal('https://token@hooks.example.com/x')).toBe('credentials');
    expect(await refusal('not a url')).toBe('malformed');
  });

  it('refuses loopback, private, link-local and reserved targets however they are written, and names that resolve to them', async () => {
    const literal = ['http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://0x7f000001/', 'http://10.0.0.5/', 'http://172.16.4.4/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[::ffff:10.0.0.1]/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://localhost:8080/', 'http://api.localhost/'];
    for (const url of literal) expect(await refusal(url, resolving([])), url).toBe('private_address');
    expect(await refusal('https://hooks.example.com/', resolving(['93.184.216.34', '10.1.2.3']))).toBe('private_address');
    expect(await refusal('https://hooks.example.com/', resolving(['::ffff:127.0.0.1']))).toBe('private_address');
    expect(await refusal('https://nowhere.example/', { allowPrivate: false, resolve: async () => Promise.reject(new Error('ENOTFOUND')) })).toBe('unresolvable');
    expect(await refusal('https://nowhere.example/', resolving([]))).toBe('unresolvable');
  });

  it('allows private targets only when told to (tests with receivers on 127.0.0.1, an internal receiver)', async () => {
    expect(await refusal('http://127.0.0.1:4000/hook', { allowPrivate: true })).toBeNull();
    expect(await refusal('http://user:pw@127.0.0.1:4000/hook', { allowPrivate: true })).toBe('credentials');
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('not-an-ip')).toBe(true);
  });
});
