import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/types.ts';
import { PARTNER_API_KEY_SCOPES } from '../core/sync/partner-api.ts';
import { API_KEY_SCOPES } from '../server/partner/api-keys.ts';
import { DELIVERY_POLICY_DEFAULT, deliverDue, scanWebhookEvents } from '../server/partner/webhooks.ts';
import { testDatabases } from '../server/test-support.ts';
import { PartnerAdminClient, PartnerAdminError } from '../renderer/src/screens/partner-access/admin-api.ts';
import { partnerWorld, RUNS, type PartnerWorld } from './partner-fixtures.test-support.ts';

/**
 * The desk's partner admin client (renderer/src/screens/partner-access/admin-api.ts) over real HTTP
 * (fetch) against the real server listening on 127.0.0.1, on PGlite and PostgreSQL: every answer
 * passes the client's zod schemas, a key is shown once and works until revoked, its last use is
 * the key row's column (and still an audit event), webhooks are listed with their health, and a delivery reaches the log.
 */
describe('partner admin shapes', () => {
  it('the desk offers exactly the scopes the server accepts', () => {
    // The server's scope list is core's own (the webhook events are core's too, with no server copy left to compare).
    expect(API_KEY_SCOPES).toBe(PARTNER_API_KEY_SCOPES);
  });
});

for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`partner admin client on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let w: PartnerWorld;
    let origin: string;
    let client: PartnerAdminClient;
    let refreshes = 0;
    const receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200).end());
    });

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      w = await partnerWorld(db, { partner: { webhookWorker: false, webhookTargets: { allowPrivate: true } } });
      await w.t.app.listen({ port: 0, host: '127.0.0.1' });
      origin = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const root = await w.t.tokenFor('root');
      // The first request goes out with a token the server refuses: the client refreshes once and repeats it.
      let token = 'not-a-token';
      client = new PartnerAdminClient({
        baseUrl: origin,
        accessToken: async () => token,
        unauthorized: async (rejected) => {
          expect(rejected).toBe('not-a-token');
          refreshes += 1;
          token = root;
        },
      });
    }, 120_000);

    afterAll(async () => {
      receiver.closeAllConnections();
      receiver.close();
      await w?.t.app.close();
      await db?.close();
      await drop?.();
    });

    it('lists the partners, refreshing a refused token once; saves a partner; refuses bad input with the server’s code', async () => {
      expect(await client.partners()).toEqual([
        { id: 'A', name: 'Studio A', analyst: 'ana' },
        { id: 'B', name: 'Studio B', analyst: 'ana' },
      ]);
      expect(refreshes).toBe(1);
      expect(await client.savePartner({ id: 'C', name: 'Studio C', analyst: 'ana' })).toEqual({ id: 'C', name: 'Studio C', analyst: 'ana' });
      expect((await client.partners()).map((each) => each.id)).toEqual(['A', 'B', 'C']);
      const user = await client.createUser('C', 'carol', 'carol-password-1');
      expect(user).toMatchObject({ username: 'carol', role: 'partner', partnerId: 'C' });
      await expect(client.createUser('C', 'carol', 'carol-password-1')).rejects.toMatchObject({ status: 409, code: 'conflict' });
      const [carol] = await client.portalUsers('C');
      expect(carol).toEqual({ id: user.id, username: 'carol', createdAt: new Date(w.t.clock.nowMs).toISOString(), lastSignInAt: null, disabled: false });
      expect(await client.setPortalUserDisabled('C', user.id, true)).toMatchObject({ username: 'carol', disabled: true });
      expect(await client.setPortalUserDisabled('C', user.id, false)).toMatchObject({ username: 'carol', disabled: false });
      expect(await client.resetPortalPassword('C', user.id, 'carol-password-2')).toMatchObject({ username: 'carol', disabled: false });
      await expect(client.setPortalUserDisabled('B', user.id, true)).rejects.toMatchObject({ status: 404, code: 'not_found' });
      await expect(client.createUser('nobody', 'dave', 'dave-password-12')).rejects.toMatchObject({ status: 404, code: 'not_found' });
      await expect(client.createKey('C', { name: 'old', scopes: ['statements:read'], expiresAt: '2020-01-01T00:00:00Z' })).rejects.toBeInstanceOf(PartnerAdminError);
      // A partner's own session reaches none of the admin lists.
      const asPartner = new PartnerAdminClient({ baseUrl: origin, accessToken: async () => w.tokens.alice.slice('Bearer '.length), unauthorized: async () => undefined });
      await expect(asPartner.partners()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
      await expect(asPartner.webhooks('A')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
      await expect(asPartner.keys('A')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
      await expect(asPartner.portalUsers('A')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    });

    it('creates a key whose secret works once shown, records its last use, and refuses it after revocation (401)', async () => {
      const made = await client.createKey('C', { name: 'C systems', scopes: ['statements:read'], expiresAt: '2026-06-30T00:00:00Z' });
      expect(made.secret.startsWith(`sdpk_${made.key.id}_`)).toBe(true);
      expect((await client.keys('C')).map((key) => [key.name, key.lastUsedAt, key.revokedAt])).toEqual([['C systems', null, null]]);
      const use = () => fetch(`${origin}/api/v1/partner/statements`, { headers: { authorization: `ApiKey ${made.secret}` } });
      const used = await use();
      expect(used.status).toBe(200);
      expect(await used.json()).toEqual({ statements: [] });
      // The server clock is the test's: the use is stamped with it.
      expect((await client.keys('C'))[0]?.lastUsedAt).toBe(new Date(w.t.clock.nowMs).toISOString());
      const { rows } = await db.query("select count(*)::int as uses from sync_documents where collection = 'audit_events' and body->>'action' = 'partner_api_key.used' and body->'subject'->>'id' = $1", [made.key.id]);
      expect(rows).toEqual([{ uses: 1 }]);
      const revoked = await client.revokeKey('C', made.key.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect((await use()).status).toBe(401);
      await expect(client.revokeKey('B', made.key.id)).rejects.toMatchObject({ status: 404 });
    });

    it('lists webhooks with their health and shows a delivered event in the log', async () => {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const made = await client.createWebhook('A', { url, events: ['statement.approved'] });
      expect(made.secret.startsWith('whsec_')).toBe(true);
      expect(await client.webhooks('A')).toEqual([{ id: made.webhook.id, url, events: ['statement.approved'], active: true, consecutiveFailures: 0, deactivatedAt: null, deactivatedReason: null }]);
      expect(await client.webhooks('B')).toEqual([]);

      await w.approve(RUNS.a1());
      await scanWebhookEvents(db, new Date(w.t.clock.nowMs).toISOString());
      expect(await deliverDue(db, { nowMs: () => w.t.clock.nowMs, random: () => 0.5, policy: DELIVERY_POLICY_DEFAULT, targets: { allowPrivate: true } })).toBe(1);
      const log = await client.deliveries('A', made.webhook.id);
      expect(log.deliveries.map((each) => [each.eventType, each.status, each.attempts, each.attempts_log.map((attempt) => attempt.statusCode)])).toEqual([['statement.approved', 'delivered', 1, [200]]]);
      // Another partner's path never shows A's webhook.
      expect(await client.deliveries('B', made.webhook.id)).toEqual({ webhook: null, deliveries: [] });
      expect(await client.activateWebhook('A', made.webhook.id)).toMatchObject({ id: made.webhook.id, active: true });
    });
  });
}
