import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireRole, userOf } from '../auth/guard.ts';
import { hashPassword } from '../auth/passwords.ts';
import { revokeUserRefreshTokens } from '../auth/tokens.ts';
import { HttpError, parseRequest } from '../http/errors.ts';
import type { PartnerAdminPortalUser } from '../../core/sync/partner-api.ts';
import { appendServerAuditEvent } from '../sync/repository.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
import { ApiKeyBody, ApiKeyParams, ArtifactBody, PartnerBody, PartnerParams, PartnerUserBody, StatementParams, WebhookBody } from './schemas.ts';
import { sealWebhookSecret } from './webhook-secrets.ts';
import { checkWebhookTarget, WebhookTargetError, type WebhookTargetPolicy } from './webhook-target.ts';

/**
 * The desk's side of partner accounts (admin only): partners and their analyst, partner users,
 * API keys (the secret is in the creation answer and nowhere else), webhooks and their delivery
 * log, and the signed files of a statement. Every change is a server audit event.
 */
export const ADMIN_PARTNER_PREFIX = '/api/v1/admin/partners';

const WebhookParams = z.strictObject({ partnerId: PartnerParams.shape.partnerId, webhookId: z.string().regex(/^wh_[0-9a-f]{24}$/) });
const PortalUserParams = z.strictObject({ partnerId: PartnerParams.shape.partnerId, userId: z.string().regex(/^u_[0-9a-f-]{24,36}$/) });
const PasswordBody = PartnerUserBody.pick({ password: true });
const PORTAL_USER_COLUMNS = 'id, username, created_at as "createdAt", last_sign_in_at as "lastSignInAt", disabled';

const PortalUserRow = z.object({ id: z.string(), username: z.string(), createdAt: z.date(), lastSignInAt: z.date().nullable(), disabled: z.boolean() });

function portalUserOf(row: unknown): PartnerAdminPortalUser {
  const user = PortalUserRow.parse(row);
  return { ...user, createdAt: user.createdAt.toISOString(), lastSignInAt: user.lastSignInAt?.toISOString() ?? null };
}

export async function partnerAdminRoutes(app: FastifyInstance, options: { readonly nowIso: () => string; readonly targets: WebhookTargetPolicy; readonly webhookKey: Buffer | null }): Promise<void> {
  const admin = { preHandler: requireRole(['admin']) };
  const audit = (request: Parameters<typeof userOf>[0], action: string, subject: { kind: string; id: string }, details: Record<string, string>) => {
    const user = userOf(request);
    return appendServerAuditEvent(app.db, { id: user.username, role: user.role }, action, subject, details, options.nowIso());
  };
  const partnerExists = async (partnerId: string) => {
    const { rows } = await app.db.query('select 1 from partners where id = $1', [partnerId]);
    if (rows[0] === undefined) throw new HttpError(404, 'not_found', `no partner ${partnerId}`);
  };

  app.post(ADMIN_PARTNER_PREFIX, admin, async (request, reply) => {
    const body = parseRequest(PartnerBody, request.body, 'body');
    const { rows } = await app.db.query('insert into partners (id, name, analyst, created_by) values ($1, $2, $3, $4) on conflict (id) do update set name = excluded.name, analyst = excluded.analyst returning id, name, analyst', [body.id, body.name, body.analyst, userOf(request).username]);
    await audit(request, 'partner.saved', { kind: 'partner', id: body.id }, { analyst: body.analyst });
    return reply.status(201).send({ partner: rows[0] });
  });

  app.get(ADMIN_PARTNER_PREFIX, admin, async () => {
    const { rows } = await app.db.query('select id, name, analyst from partners order by id');
    return { partners: rows };
  });

  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/users`, admin, async (request, reply) => {
    const { partnerId } = parseRequest(PartnerParams, request.params, 'params');
    const body = parseRequest(PartnerUserBody, request.body, 'body');
    await partnerExists(partnerId);
    const { rows } = await app.db.query(
      "insert into users (id, username, password_hash, role, partner_id, created_at, password_change_required) values ($1, $2, $3, 'partner', $4, $5, true) on conflict (username) do nothing returning id, username",
      [`u_${randomBytes(12).toString('hex')}`, body.username, await hashPassword(body.password), partnerId, options.nowIso()],
    );
    if (rows[0] === undefined) throw new HttpError(409, 'conflict', `user ${body.username} exists`);
    await audit(request, 'partner_user.created', { kind: 'user', id: body.username }, { partnerId });
    return reply.status(201).send({ user: { ...rows[0], role: 'partner', partnerId } });
  });

  app.get(`${ADMIN_PARTNER_PREFIX}/:partnerId/users`, admin, async (request) => {
    const { partnerId } = parseRequest(PartnerParams, request.params, 'params');
    await partnerExists(partnerId);
    const { rows } = await app.db.query(`select ${PORTAL_USER_COLUMNS} from users where role = 'partner' and partner_id = $1 order by created_at, username`, [partnerId]);
    return { users: rows.map(portalUserOf) };
  });

  /**
   * Changes one portal user of that partner (another partner's user is a 404, as a made-up id) and
   * ends its sessions when asked: refresh tokens are revoked here, and access tokens of a disabled
   * user are refused by the guards at once (guard.ts, principal.ts).
   */
  const changePortalUser = async (request: Parameters<typeof userOf>[0], change: { readonly set: string; readonly values: readonly unknown[]; readonly endSessions: boolean; readonly action: string }) => {
    const { partnerId, userId } = parseRequest(PortalUserParams, request.params, 'params');
    const { user, sessionsEnded } = await app.db.transaction(async (tx) => {
      const { rows } = await tx.query(`update users set ${change.set} where id = $1 and partner_id = $2 and role = 'partner' returning ${PORTAL_USER_COLUMNS}`, [userId, partnerId, ...change.values]);
      if (rows[0] === undefined) throw new HttpError(404, 'not_found', `partner ${partnerId} has no portal user ${userId}`);
      return { user: portalUserOf(rows[0]), sessionsEnded: change.endSessions ? await revokeUserRefreshTokens(tx, userId, new Date(options.nowIso())) : 0 };
    });
    await audit(request, change.action, { kind: 'user', id: user.username }, { partnerId, sessionsEnded: String(sessionsEnded) });
    return { user };
  };

  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/users/:userId/disable`, admin, (request) => changePortalUser(request, { set: 'disabled = true', values: [], endSessions: true, action: 'partner_user.disabled' }));
  // Sessions ended by the disabling stay ended: the user signs in again.
  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/users/:userId/enable`, admin, (request) => changePortalUser(request, { set: 'disabled = false', values: [], endSessions: false, action: 'partner_user.enabled' }));
  // A new one-time password, set by the admin as at creation (the desk draws it and shows it once); the old one and every session stop working, and the user must set their own before anything else.
  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/users/:userId/password`, admin, async (request) => {
    const body = parseRequest(PasswordBody, request.body, 'body');
    return changePortalUser(request, { set: 'password_hash = $3, password_change_required = true', values: [await hashPassword(body.password)], endSessions: true, action: 'partner_user.password_reset' });
  });

  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/api-keys`, admin, async (request, reply) => {
    const { partnerId } = parseRequest(PartnerParams, request.params, 'params');
    const body = parseRequest(ApiKeyBody, request.body, 'body');
    await partnerExists(partnerId);
    if (Date.parse(body.expiresAt) <= Date.parse(options.nowIso())) throw new HttpError(400, 'request_invalid', 'body.expiresAt: a key expires in the future', { path: 'body.expiresAt' });
    const made = await createApiKey(app.db, { partnerId, name: body.name, scopes: body.scopes, expiresAt: body.expiresAt, createdBy: userOf(request).username, createdAt: options.nowIso() });
    await audit(request, 'partner_api_key.created', { kind: 'partner_api_key', id: made.key.id }, { partnerId, scopes: made.key.scopes.join(' '), expiresAt: made.key.expiresAt });
    // The only time the secret leaves the server.
    return reply.status(201).header('cache-control', 'no-store').send({ key: made.key, secret: made.secret });
  });

  app.get(`${ADMIN_PARTNER_PREFIX}/:partnerId/api-keys`, admin, async (request) => {
    const { partnerId } = parseRequest(PartnerParams, request.params, 'params');
    return { keys: await listApiKeys(app.db, partnerId) };
  });

  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/api-keys/:keyId/revoke`, admin, async (request) => {
    const { partnerId, keyId } = parseRequest(ApiKeyParams, request.params, 'params');
    const revoked = await revokeApiKey(app.db, partnerId, keyId, userOf(request).username, options.nowIso());
    if (revoked === null) throw new HttpError(404, 'not_found', `partner ${partnerId} has no key ${keyId}`);
    await audit(request, 'partner_api_key.revoked', { kind: 'partner_api_key', id: keyId }, { partnerId });
    return { key: revoked };
  });

  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/webhooks`, admin, async (request, reply) => {
    const { partnerId } = parseRequest(PartnerParams, request.params, 'params');
    const body = parseRequest(WebhookBody, request.body, 'body');
    await partnerExists(partnerId);
    try {
      await checkWebhookTarget(body.url, options.targets);
    } catch (error) {
      if (error instanceof WebhookTargetError) throw new HttpError(400, 'request_invalid', `body.url: ${error.message}`, { path: 'body.url', reason: error.reason });
      throw error;
    }
    const id = `wh_${randomBytes(12).toString('hex')}`;
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    await app.db.query('insert into partner_webhooks (id, partner_id, url, secret, events, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7)', [id, partnerId, body.url, sealWebhookSecret(options.webhookKey, id, secret), body.events, userOf(request).username, options.nowIso()]);
    await audit(request, 'partner_webhook.created', { kind: 'partner_webhook', id }, { partnerId, url: body.url, events: body.events.join(' ') });
    // The signing secret is shown once, for the partner's receiver.
    return reply.status(201).header('cache-control', 'no-store').send({ webhook: { id, partnerId, url: body.url, events: body.events }, secret });
  });

  app.get(`${ADMIN_PARTNER_PREFIX}/:partnerId/webhooks`, admin, async (request) => {
    const { partnerId } = parseRequest(PartnerParams, request.params, 'params');
    const { rows } = await app.db.query(
      `select id, url, events, active, consecutive_failures as "consecutiveFailures", deactivated_at as "deactivatedAt", deactivated_reason as "deactivatedReason"
         from partner_webhooks where partner_id = $1 order by created_at, id`,
      [partnerId],
    );
    return { webhooks: rows };
  });

  app.get(`${ADMIN_PARTNER_PREFIX}/:partnerId/webhooks/:webhookId/deliveries`, admin, async (request) => {
    const { partnerId, webhookId } = parseRequest(WebhookParams, request.params, 'params');
    const { rows } = await app.db.query(
      `select d.id, d.event_type as "eventType", d.event_id as "eventId", d.status, d.attempts, d.next_attempt_at as "nextAttemptAt", d.created_at as "createdAt", d.delivered_at as "deliveredAt",
              coalesce((select json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) order by a.attempt)
                          from webhook_attempts a where a.delivery_id = d.id), '[]'::json) as attempts_log
         from webhook_deliveries d join partner_webhooks w on w.id = d.webhook_id
        where w.partner_id = $1 and w.id = $2 order by d.created_at, d.id`,
      [partnerId, webhookId],
    );
    return { webhook: await webhookHealth(partnerId, webhookId), deliveries: rows };
  });

  const webhookHealth = async (partnerId: string, webhookId: string) => {
    const { rows } = await app.db.query(
      `select id, url, events, active, consecutive_failures as "consecutiveFailures", deactivated_at as "deactivatedAt", deactivated_reason as "deactivatedReason"
         from partner_webhooks where partner_id = $1 and id = $2`,
      [partnerId, webhookId],
    );
    return rows[0] ?? null;
  };

  // A webhook switched off after failed deliveries is switched on by an admin once the receiver is fixed; its queued deliveries resume.
  app.post(`${ADMIN_PARTNER_PREFIX}/:partnerId/webhooks/:webhookId/activate`, admin, async (request) => {
    const { partnerId, webhookId } = parseRequest(WebhookParams, request.params, 'params');
    const { rows } = await app.db.query('update partner_webhooks set active = true, consecutive_failures = 0, deactivated_at = null, deactivated_reason = null where partner_id = $1 and id = $2 returning id', [partnerId, webhookId]);
    if (rows[0] === undefined) throw new HttpError(404, 'not_found', `partner ${partnerId} has no webhook ${webhookId}`);
    await audit(request, 'partner_webhook.activated', { kind: 'partner_webhook', id: webhookId }, { partnerId });
    return { webhook: await webhookHealth(partnerId, webhookId) };
  });

  app.put('/api/v1/admin/statements/:id/artifacts', admin, async (request) => {
    const { id } = parseRequest(StatementParams, request.params, 'params');
    const body = parseRequest(ArtifactBody, request.body, 'body');
    const pdf = body.pdfBase64 === null ? null : Buffer.from(body.pdfBase64, 'base64');
    if (pdf !== null && pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new HttpError(400, 'request_invalid', 'body.pdfBase64: not a PDF', { path: 'body.pdfBase64' });
    const { rows } = await app.db.query('select 1 from statements where id = $1', [id]);
    if (rows[0] === undefined) throw new HttpError(404, 'not_found', `statement ${id} is not on the server`);
    await app.db.query(
      'insert into statement_artifacts (statement_id, jws, pdf, stored_by, stored_at) values ($1, $2, $3, $4, $5) on conflict (statement_id) do update set jws = excluded.jws, pdf = excluded.pdf, stored_by = excluded.stored_by, stored_at = excluded.stored_at',
      [id, body.jws, pdf, userOf(request).username, options.nowIso()],
    );
    await audit(request, 'statement_artifacts.stored', { kind: 'statement', id }, { jws: String(body.jws !== null), pdfBytes: String(pdf?.length ?? 0) });
    return { stored: true };
  });
}
