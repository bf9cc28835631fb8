import { describe, expect, it } from 'vitest';
import type { WebhookDelivery } from './admin-api.ts';
import { accessOf, checkKey, checkPartner, checkUser, checkWebhook, deliveryRows, expiresAtOf, formatInstant, keyPrefixOf, keyStateOf, oneTimePassword, textKeyOf } from './view.ts';

const NOW = Date.parse('2026-03-01T09:00:00Z');

describe('partner access view logic', () => {
  it('lets only a signed-in admin of a server workspace in, and says why for everyone else', () => {
    const server = { kind: 'server' as const, serverUrl: 'https://settle.example.com' };
    expect(accessOf(server, 'admin')).toBe('admin');
    expect(accessOf(server, 'approver')).toBe('not-admin');
    expect(accessOf(server, null)).toBe('signed-out');
    expect(accessOf({ kind: 'local', serverUrl: null }, null)).toBe('local');
    expect(accessOf({ kind: 'demo', serverUrl: null }, 'admin')).toBe('local');
    expect(accessOf({ kind: 'server', serverUrl: null }, 'admin')).toBe('local');
  });

  it('tells revoked, expired and active keys apart (revoked wins; expiry at the very instant counts as expired)', () => {
    expect(keyStateOf({ revokedAt: null, expiresAt: '2026-03-01T09:00:01Z' }, NOW)).toBe('active');
    expect(keyStateOf({ revokedAt: null, expiresAt: '2026-03-01T09:00:00Z' }, NOW)).toBe('expired');
    expect(keyStateOf({ revokedAt: '2026-02-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z' }, NOW)).toBe('revoked');
    expect(keyPrefixOf('pk_0123456789abcdef01234567')).toBe('sdpk_pk_0123456789abcdef01234567_');
    // i18next would read "statements:read" as namespace "statements", key "read".
    expect([textKeyOf('statements:read'), textKeyOf('statement.approved')]).toEqual(['statements_read', 'statement_approved']);
  });

  it('computes an expiry N whole days ahead and prints instants in UTC', () => {
    // 90 days after 1 March 2026 09:00 UTC: March has 31 days (30 left), April 30, May 31 -> 30 May 09:00.
    expect(expiresAtOf(90, NOW)).toBe('2026-05-30T09:00:00.000Z');
    expect(formatInstant('2026-03-01T10:00:05+01:00')).toBe('2026-03-01 09:00:05 UTC');
    expect(formatInstant('not a time')).toBe('not a time');
  });

  it('lists every attempt newest first, a queued delivery as attempt 0, the next retry on the latest attempt of a pending one', () => {
    const deliveries: WebhookDelivery[] = [
      {
        id: 'dlv_a',
        eventType: 'statement.approved',
        eventId: 'evt_a',
        status: 'pending',
        attempts: 2,
        nextAttemptAt: '2026-03-01T09:00:30.000Z',
        createdAt: '2026-03-01T08:59:00.000Z',
        deliveredAt: null,
        attempts_log: [
          { attempt: 1, at: '2026-03-01T08:59:01+00:00', statusCode: 503, error: 'HTTP 503', durationMs: 12 },
          { attempt: 2, at: '2026-03-01T08:59:20+00:00', statusCode: null, error: 'connect ECONNREFUSED', durationMs: 3 },
        ],
      },
      { id: 'dlv_b', eventType: 'query.answered', eventId: 'evt_b', status: 'pending', attempts: 0, nextAttemptAt: '2026-03-01T09:00:00.000Z', createdAt: '2026-03-01T09:00:00.000Z', deliveredAt: null, attempts_log: [] },
      { id: 'dlv_c', eventType: 'statement.revised', eventId: 'evt_c', status: 'delivered', attempts: 1, nextAttemptAt: '2026-03-01T08:00:00.000Z', createdAt: '2026-03-01T08:00:00.000Z', deliveredAt: '2026-03-01T08:00:01.000Z', attempts_log: [{ attempt: 1, at: '2026-03-01T08:00:01+00:00', statusCode: 200, error: null, durationMs: 40 }] },
    ];
    expect(deliveryRows(deliveries).map((row) => [row.deliveryId, row.attempt, row.statusCode, row.nextRetryAt])).toEqual([
      ['dlv_b', 0, null, '2026-03-01T09:00:00.000Z'],
      ['dlv_a', 2, null, '2026-03-01T09:00:30.000Z'],
      ['dlv_a', 1, 503, null],
      ['dlv_c', 1, 200, null],
    ]);
  });

  it('checks the forms with the server’s limits, at the field', () => {
    expect(checkPartner({ id: 'P001', name: 'Studio A', analyst: 'ana' })).toEqual({});
    expect(checkPartner({ id: '-P', name: ' ', analyst: '' })).toEqual({ id: 'partnerId', name: 'required', analyst: 'required' });
    expect(checkUser({ username: 'alice', password: 'twelve-chars' })).toEqual({});
    expect(checkUser({ username: 'Alice', password: 'eleven-char' })).toEqual({ username: 'username', password: 'passwordShort' });
    expect(checkKey({ name: 'ERP', scopes: ['statements:read'] })).toEqual({});
    expect(checkKey({ name: '', scopes: [] })).toEqual({ name: 'required', scopes: 'required' });
    expect(checkWebhook({ url: 'https://partner.example.com/hook', events: ['statement.approved'] })).toEqual({});
    expect(checkWebhook({ url: 'ftp://partner.example.com/hook', events: [] })).toEqual({ url: 'url', events: 'required' });
    expect(checkWebhook({ url: 'partner.example.com', events: ['query.answered'] })).toEqual({ url: 'url' });
  });

  it('suggests 20-character passwords from its alphabet, drawing again past the last full multiple of 57', () => {
    // 57 characters (A-Z without I, O; a-z without l; 2-9): 0 -> 'A', 56 -> '9', 228 = 256 - 256 % 57 is the first refused byte, 58 -> 58 % 57 = 1 -> 'B'.
    const bytes = [0, 56, 228, 255, 58, ...Array<number>(27).fill(1)];
    const password = oneTimePassword(() => Uint8Array.from(bytes));
    expect(password).toBe(`A9B${'B'.repeat(17)}`);
    expect(oneTimePassword()).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
  });
});
