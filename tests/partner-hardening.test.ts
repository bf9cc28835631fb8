import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodDateOf } from '../core/settlement/base.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';
import type { Db } from '../server/db/types.ts';
import { periodDateSql } from '../server/partner/scope.ts';
import { checkWebhookTarget, isPrivateAddress, type WebhookTargetPolicy } from '../server/partner/webhook-target.ts';
import { testDatabases } from '../server/test-support.ts';

/**
 * Partner hardening: where a webhook may point (SSRF), with name resolution injected so no test
 * depends on the network; and the SQL that pages a line's transactions places rows in the period
 * exactly as core's periodDateOf does.
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

const targets = await testDatabases();
const target = targets.find((each) => each.kind === 'pg' && each.skip === null) ?? targets.find((each) => each.kind === 'pglite');
if (target === undefined) throw new Error('no test database');

describe(`line transactions' period date in SQL on ${target.kind}`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await target.open());
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('gives the date core’s periodDateOf gives, for every late-transaction rule and period date', async () => {
    // A sale on 31 January booked 2 February and valued 3 February; another with neither date.
    const rows: Array<Pick<CanonicalTransaction, 'occurredAt' | 'bookingDate' | 'valueDate'>> = [
      { occurredAt: '2026-01-31T23:10:00Z', bookingDate: '2026-02-02', valueDate: '2026-02-03' },
      { occurredAt: '2026-01-15', bookingDate: null, valueDate: null },
    ];
    for (const late of ['open-period', 'restate'] as const) {
      for (const field of ['booking', 'value', 'event'] as const) {
        for (const each of rows) {
          const { rows: found } = await db.query<{ date: string }>(`select ${periodDateSql(late, field)} as date from (select $1::text as occurred_at, $2::text as booking_date, $3::text as value_date) r`, [each.occurredAt, each.bookingDate, each.valueDate]);
          expect(found[0]?.date, `${late} ${field} ${each.occurredAt}`).toBe(periodDateOf(each as CanonicalTransaction, late, field));
        }
      }
    }
  });
});
