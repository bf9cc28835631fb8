import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../core/exceptions/model.ts';
import { ExceptionDoc } from '../core/sync/documents.ts';
import type { Db } from '../server/db/types.ts';
import { openWebhookSecret, WebhookSecretError } from '../server/partner/webhook-secrets.ts';
import { verifyWebhookSignature } from '../server/partner/webhook-signature.ts';
import { startTestApp } from '../server/test-app.test-support.ts';
import { DELIVERY_POLICY_DEFAULT, deliverDue, retryDelayMs, scanWebhookEvents, type DeliveryDeps } from '../server/partner/webhooks.ts';
import { WebhookReceiver } from '../server/partner/webhook-receiver.test-support.ts';
import { testDatabases } from '../server/test-support.ts';
import { partnerWorld, RUNS, type PartnerWorld } from './partner-fixtures.test-support.ts';

/**
 * Outgoing webhooks against real HTTP receivers on 127.0.0.1, on PGlite and PostgreSQL. The clock
 * is injected (the retry schedule is checked by moving it, never by waiting), and the jitter's
 * random number is fixed at 0.5, so each delay is worked by hand: base 1000 ms, equal jitter =
 * half fixed + 0.5 x half = 3/4 of base x 2^(retry-1): 750, 1500, 3000 ms.
 */
for (const target of await testDatabases()) {
  describe.skipIf(target.skip !== null)(`partner webhooks on ${target.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let w: PartnerWorld;
    const receivers = { a: new WebhookReceiver(), revised: new WebhookReceiver(), b: new WebhookReceiver(), dead: new WebhookReceiver() };
    const secrets: Record<string, string> = {};
    const webhookIds: Record<string, string> = {};
    const clock = { nowMs: Date.parse('2026-03-01T09:00:00Z') };
    // The server's webhook key: every secret below is stored sealed under it, and deliveries open it to sign.
    const webhookKey = randomBytes(32);
    const deps: DeliveryDeps = { nowMs: () => clock.nowMs, random: () => 0.5, policy: { ...DELIVERY_POLICY_DEFAULT, attemptsMax: 5, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 5_000 }, targets: { allowPrivate: true }, webhookKey };
    const round = async () => {
      await scanWebhookEvents(db, new Date(clock.nowMs).toISOString());
      return deliverDue(db, deps);
    };

    beforeAll(async () => {
      ({ db, drop } = await target.open());
      w = await partnerWorld(db, { partner: { webhookWorker: false, webhookTargets: { allowPrivate: true }, webhookKey } });
      const hooks: Array<[keyof typeof receivers, string, string[]]> = [
        ['a', 'A', ['statement.approved', 'query.answered']],
        ['revised', 'A', ['statement.revised']],
        ['b', 'B', ['statement.approved', 'statement.revised', 'query.answered']],
      ];
      for (const [name, partnerId, events] of hooks) {
        const made = await w.json('POST', `/api/v1/admin/partners/${partnerId}/webhooks`, w.tokens.root, { url: `http://127.0.0.1:${await receivers[name].start()}/hook`, events });
        expect(made.statusCode).toBe(201);
        secrets[name] = made.json().secret;
        webhookIds[name] = made.json().webhook.id;
      }
    }, 120_000);
    afterAll(async () => {
      for (const receiver of Object.values(receivers)) await receiver.stop();
      await w?.t.app.close();
      await db?.close();
      await drop?.();
    });

    it('signs each delivery so the verifier accepts it once, and refuses a replay, a changed byte, an old timestamp and another secret', async () => {
      await w.approve(RUNS.a1());
      expect(await round()).toBe(1);
      expect(receivers.b.received).toEqual([]);
      const [delivery] = receivers.a.received;
      if (delivery === undefined) throw new Error('nothing delivered');
      const body = JSON.parse(delivery.body);
      expect(body).toMatchObject({ type: 'statement.approved', partnerId: 'A', data: { statement: { id: w.a1.id, sha256: w.a1.hash, payable: '105.00', status: 'current' } } });
      expect(delivery.headers['settledesk-event']).toBe('statement.approved');
      const header = delivery.headers['settledesk-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const nowSeconds = Math.floor(clock.nowMs / 1000);
      const seen = new Set<string>();
      expect(verifyWebhookSignature(secrets.a as string, header, delivery.body, { nowSeconds, seen })).toEqual({ ok: true, eventId: body.id });
      expect(verifyWebhookSignature(secrets.a as string, header, delivery.body, { nowSeconds, seen })).toEqual({ ok: false, reason: 'replayed' });
      expect(verifyWebhookSignature(secrets.a as string, header, delivery.body.replace('105.00', '915.00'), { nowSeconds })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyWebhookSignature(secrets.a as string, header, `${delivery.body} `, { nowSeconds })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyWebhookSignature(secrets.a as string, header, delivery.body, { nowSeconds: nowSeconds + 301 })).toEqual({ ok: false, reason: 'too_old' });
      expect(verifyWebhookSignature(secrets.b as string, header, delivery.body, { nowSeconds })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyWebhookSignature(secrets.a as string, header.replace(/t=\d+/, `t=${nowSeconds - 1}`), delivery.body, { nowSeconds })).toEqual({ ok: false, reason: 'mismatch' });
      // A second scan finds nothing new: each event is queued once.
      expect(await round()).toBe(0);
    });

    it('stores webhook secrets AES-256-GCM encrypted under the server key, bound to their webhook; seals clear ones at a start with the key; warns at a start without one', async () => {
      const { rows } = await db.query<{ id: string; secret: string }>('select id, secret from partner_webhooks order by id');
      expect(rows.length).toBe(3);
      for (const [name, id] of Object.entries(webhookIds)) {
        const stored = rows.find((row) => row.id === id)?.secret ?? '';
        expect(stored, name).toMatch(/^enc:v1:/);
        expect(stored).not.toContain((secrets[name] as string).slice('whsec_'.length));
        expect(openWebhookSecret(webhookKey, id, stored)).toBe(secrets[name]);
        // Moved onto another webhook's row, or opened with another key, it does not open.
        expect(() => openWebhookSecret(webhookKey, webhookIds.b === id ? (webhookIds.a as string) : (webhookIds.b as string), stored)).toThrow(WebhookSecretError);
        expect(() => openWebhookSecret(randomBytes(32), id, stored)).toThrow(WebhookSecretError);
        expect(() => openWebhookSecret(null, id, stored)).toThrow(/no webhook key/);
      }
      // A secret stored in clear before the key was configured (a server run without it) is sealed when a server starts with the key.
      const clear = `whsec_${'c'.repeat(43)}`;
      await db.query("insert into partner_webhooks (id, partner_id, url, secret, events, active, created_by, created_at) values ('wh_clear', 'B', 'http://127.0.0.1:9/hook', $1, array['statement.approved'], false, 'root', now())", [clear]);
      const withoutKey = await startTestApp(db, { partner: { webhookWorker: false } });
      expect(withoutKey.logLines.join('')).toContain('webhook signing secrets are stored in clear');
      await withoutKey.app.close();
      const withKey = await startTestApp(db, { partner: { webhookWorker: false, webhookKey } });
      expect(withKey.logLines.join('')).not.toContain('stored in clear:');
      await withKey.app.close();
      const sealed = (await db.query<{ secret: string }>("select secret from partner_webhooks where id = 'wh_clear'")).rows[0]?.secret ?? '';
      expect(sealed).toMatch(/^enc:v1:/);
      expect(openWebhookSecret(webhookKey, 'wh_clear', sealed)).toBe(clear);
      await db.query("delete from partner_webhooks where id = 'wh_clear'");
    });

    it('retries a failing receiver with exponential backoff and jitter, and logs every attempt', async () => {
      receivers.revised.script.push(503, 503, 'drop', 200);
      const t0 = clock.nowMs;
      await w.approve(RUNS.a2());
      expect(await round()).toBe(2); // A's statement.approved (answered 200) and statement.revised (503)
      const schedule: Array<[number, number]> = [[749, 0], [750, 1], [750 + 1499, 0], [750 + 1500, 1], [2250 + 2999, 0], [2250 + 3000, 1]];
      for (const [afterMs, attempted] of schedule) {
        clock.nowMs = t0 + afterMs;
        expect(await deliverDue(db, deps), `at +${afterMs} ms`).toBe(attempted);
      }
      expect(receivers.revised.received.length).toBe(4);
      const revised = JSON.parse(receivers.revised.received[3]?.body ?? '{}');
      expect(revised).toMatchObject({ type: 'statement.revised', partnerId: 'A', data: { statement: { id: w.a2.id, revision: 2 }, supersedes: w.a1.id } });
      expect(revised.data.diff.totals).toContainEqual({ field: 'payable', previous: '105.00', current: '119.00', delta: '14' });
      // Every attempt carries the same event, freshly signed.
      expect(new Set(receivers.revised.received.map((each) => JSON.parse(each.body).id)).size).toBe(1);

      const log = await w.json('GET', `/api/v1/admin/partners/A/webhooks/${webhookIds.revised}/deliveries`, w.tokens.root);
      expect(log.statusCode).toBe(200);
      const [entry, ...others] = log.json().deliveries;
      expect(others).toEqual([]);
      expect(entry).toMatchObject({ eventType: 'statement.revised', status: 'delivered', attempts: 4 });
      expect(entry.attempts_log.map((each: { attempt: number; statusCode: number | null }) => `${each.attempt}:${each.statusCode}`)).toEqual(['1:503', '2:503', '3:null', '4:200']);
      expect(entry.attempts_log[2].error).toBeTruthy();
      expect((await w.json('GET', `/api/v1/admin/partners/B/webhooks/${webhookIds.revised}/deliveries`, w.tokens.root)).json()).toEqual({ webhook: null, deliveries: [] });
      expect(receivers.b.received).toEqual([]);
    });

    it('backs off exponentially within the jitter bounds, up to the cap', () => {
      const policy = { baseDelayMs: 1000, maxDelayMs: 60_000 };
      // Retry n waits between half and all of min(cap, base x 2^(n-1)).
      expect([1, 2, 3, 4].map((n) => [retryDelayMs(n, policy, () => 0), retryDelayMs(n, policy, () => 1)])).toEqual([[500, 1000], [1000, 2000], [2000, 4000], [4000, 8000]]);
      expect(retryDelayMs(7, policy, () => 0.5)).toBe(45_000); // 64,000 capped at 60,000 -> 30,000 + 15,000
      expect(retryDelayMs(40, policy, () => 1)).toBe(60_000);
    });

    it('keeps serving requests while a receiver holds a delivery open', async () => {
      receivers.b.script.push('hold');
      await w.approve(RUNS.b1());
      await scanWebhookEvents(db, new Date(clock.nowMs).toISOString());
      let settled = false;
      const delivering = deliverDue(db, deps).then(() => (settled = true));
      while (receivers.b.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
      // The receiver has the request and has not answered: the API answers all the same.
      const listed = await w.json('GET', '/api/v1/partner/statements', `ApiKey ${w.keys.b}`);
      expect(listed.statusCode).toBe(200);
      expect(listed.json().statements.map((each: { id: string }) => each.id)).toEqual([w.b1.id]);
      expect(settled).toBe(false);
      receivers.b.held.shift()?.writeHead(204).end();
      await delivering;
      expect(receivers.a.received.map((each) => JSON.parse(each.body).data.statement?.id)).not.toContain(w.b1.id);
    });

    it('tells the partner when the analyst answers its query', async () => {
      const raised = await w.json('POST', `/api/v1/partner/statements/${w.a2.id}/queries`, w.tokens.alice, { line: 1, text: 'Is the late sale of 20 January in this period?' });
      expect(raised.statusCode).toBe(201);
      const queryId = raised.json().query.id;
      const { rows } = await db.query("select body from sync_documents where collection = 'exceptions' and body->>'type' = 'partner-query'");
      const open = ExceptionDoc.parse((rows[0] as { body: unknown }).body);
      const answer = 'Yes: booked on 20 January, inside the period; revision 2 includes it.';
      const resolved = { ...transition(open, { to: 'resolved', by: 'ana', at: '2026-03-02T10:00:00Z', reason: answer }), updatedBy: 'ana', conflicts: [] };
      const pushed = await w.json('POST', '/api/v1/sync/exceptions/push', w.tokens.ana, [{ newDocumentState: { ...resolved, _deleted: false }, assumedMasterState: { ...open, _deleted: false } }]);
      expect(pushed.json()).toEqual([]);
      const before = receivers.a.received.length;
      await round();
      const answered = receivers.a.received.slice(before).map((each) => JSON.parse(each.body));
      expect(answered).toEqual([expect.objectContaining({ type: 'query.answered', partnerId: 'A', data: { query: { id: queryId, statementId: w.a2.id, line: 1, answer } } })]);
      expect((await w.json('GET', `/api/v1/partner/statements/${w.a2.id}/queries`, w.tokens.alice)).json().queries).toEqual([expect.objectContaining({ id: queryId, status: 'answered', answer })]);
      expect(await round()).toBe(0);
    });

    it('refuses a private target at delivery unless allowed, switches a webhook off after 2 failed deliveries in a row, and an admin switches it on again', async () => {
      const made = await w.json('POST', '/api/v1/admin/partners/A/webhooks', w.tokens.root, { url: `http://127.0.0.1:${await receivers.dead.start()}/hook`, events: ['statement.approved', 'query.answered'] });
      expect(made.statusCode).toBe(201);
      const deadId = made.json().webhook.id as string;
      const oneShot = { ...deps.policy, attemptsMax: 1, failedDeliveriesMax: 2 };
      // 1st delivery: the default policy refuses 127.0.0.1 before any request leaves (and does not retry).
      await w.approve(RUNS.aFeb());
      await scanWebhookEvents(db, new Date(clock.nowMs).toISOString());
      await deliverDue(db, { ...deps, policy: oneShot, targets: undefined });
      expect(receivers.dead.received).toEqual([]);
      let log = (await w.json('GET', `/api/v1/admin/partners/A/webhooks/${deadId}/deliveries`, w.tokens.root)).json();
      expect(log.webhook).toMatchObject({ active: true, consecutiveFailures: 1, deactivatedAt: null });
      expect(log.deliveries).toEqual([expect.objectContaining({ eventType: 'statement.approved', status: 'failed', attempts: 1 })]);
      expect(log.deliveries[0].attempts_log[0].error).toMatch(/^target refused: 127\.0\.0\.1 is a private/);
      // The policy holds for every webhook of that round: A's other receiver on 127.0.0.1 got nothing either.
      expect(receivers.a.received.map((each) => JSON.parse(each.body).data.statement?.id)).not.toContain(w.aFeb.id);

      // 2nd delivery: allowed, but the receiver answers 500.
      receivers.dead.script.push(500);
      const raised = await w.json('POST', `/api/v1/partner/statements/${w.aFeb.id}/queries`, w.tokens.alice, { line: 1, text: 'Which sale is this?' });
      expect(raised.statusCode).toBe(201);
      const { rows } = await db.query("select body from sync_documents where collection = 'exceptions' and body->>'type' = 'partner-query' and body->'details'->>'queryId' = $1", [raised.json().query.id]);
      const open = ExceptionDoc.parse((rows[0] as { body: unknown }).body);
      const resolved = { ...transition(open, { to: 'resolved', by: 'ana', at: '2026-03-02T11:00:00Z', reason: 'The sale of 3 February, 10.00.' }), updatedBy: 'ana', conflicts: [] };
      expect((await w.json('POST', '/api/v1/sync/exceptions/push', w.tokens.ana, [{ newDocumentState: { ...resolved, _deleted: false }, assumedMasterState: { ...open, _deleted: false } }])).json()).toEqual([]);
      await scanWebhookEvents(db, new Date(clock.nowMs).toISOString());
      await deliverDue(db, { ...deps, policy: oneShot });
      expect(receivers.dead.received.length).toBe(1);
      log = (await w.json('GET', `/api/v1/admin/partners/A/webhooks/${deadId}/deliveries`, w.tokens.root)).json();
      expect(log.webhook).toMatchObject({ active: false, consecutiveFailures: 2, deactivatedReason: '2 consecutive deliveries failed' });
      expect(log.webhook.deactivatedAt).toBeTruthy();
      // Both were queued at the same clock time: the log's order between them is by random id.
      expect(log.deliveries.map((each: { eventType: string; status: string }) => `${each.eventType}:${each.status}`).sort()).toEqual(['query.answered:failed', 'statement.approved:failed']);

      // Switched on again by an admin (an audit event): active, count reset.
      const activated = await w.json('POST', `/api/v1/admin/partners/A/webhooks/${deadId}/activate`, w.tokens.root);
      expect(activated.statusCode).toBe(200);
      expect(activated.json().webhook).toMatchObject({ active: true, consecutiveFailures: 0, deactivatedAt: null, deactivatedReason: null });
      expect((await w.json('POST', `/api/v1/admin/partners/B/webhooks/${deadId}/activate`, w.tokens.root)).statusCode).toBe(404);
    });
  });
}
