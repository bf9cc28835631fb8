import { z } from 'zod';
import { PartnerAdminApiKey, PartnerAdminPartner, PartnerAdminPortalUser, PartnerAdminWebhook, PartnerWebhookDelivery, PARTNER_API_KEY_SCOPES, PARTNER_WEBHOOK_EVENTS } from '../../../../core/sync/partner-api.ts';

/**
 * The desk's client of the server's partner admin routes (server/partner/admin-routes.ts), for a
 * signed-in admin. Every answer is checked with zod before the screen sees it; a refusal becomes a
 * PartnerAdminError with the server's status, code and message. A 401 refreshes the session once
 * (the desk's ServerSession) and repeats the request with the new token.
 */
export type ApiKey = z.infer<typeof PartnerAdminApiKey>;
export type Webhook = z.infer<typeof PartnerAdminWebhook>;
export type WebhookDelivery = z.infer<typeof PartnerWebhookDelivery>;
export type Partner = z.infer<typeof PartnerAdminPartner>;
export type PortalUser = z.infer<typeof PartnerAdminPortalUser>;
export type ApiKeyScope = (typeof PARTNER_API_KEY_SCOPES)[number];
export type WebhookEvent = (typeof PARTNER_WEBHOOK_EVENTS)[number];

export class PartnerAdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PartnerAdminError';
  }
}

const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const PartnerList = z.object({ partners: z.array(PartnerAdminPartner) });
const PartnerSaved = z.object({ partner: PartnerAdminPartner });
const UserCreated = z.object({ user: z.object({ id: z.string(), username: z.string(), role: z.literal('partner'), partnerId: z.string() }) });
const PortalUserList = z.object({ users: z.array(PartnerAdminPortalUser) });
const PortalUserChanged = z.object({ user: PartnerAdminPortalUser });
const KeyList = z.object({ keys: z.array(PartnerAdminApiKey) });
const KeyRow = PartnerAdminApiKey;
const KeyCreated = z.object({ key: KeyRow, secret: z.string().regex(/^sdpk_pk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/) });
const KeyRevoked = z.object({ key: KeyRow });
const WebhookList = z.object({ webhooks: z.array(PartnerAdminWebhook) });
const WebhookCreated = z.object({ webhook: z.object({ id: z.string(), partnerId: z.string(), url: z.string(), events: z.array(z.enum(PARTNER_WEBHOOK_EVENTS)) }), secret: z.string().startsWith('whsec_') });
const DeliveryLog = z.object({ webhook: PartnerAdminWebhook.nullable(), deliveries: z.array(PartnerWebhookDelivery) });
const Activated = z.object({ webhook: PartnerAdminWebhook.nullable() });

export interface PartnerAdminSession {
  readonly baseUrl: string;
  /** A valid access token, or null when signed out. */
  accessToken(): Promise<string | null>;
  /** The server refused this token: refresh the session (once, however many requests saw it). */
  unauthorized(rejectedToken: string): Promise<void>;
}

const PREFIX = '/api/v1/admin/partners';

export class PartnerAdminClient {
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly session: PartnerAdminSession,
    fetchImpl?: typeof fetch,
  ) {
    this.fetchImpl = fetchImpl ?? ((input, init) => fetch(input, init));
  }

  async partners(): Promise<Partner[]> {
    return PartnerList.parse(await this.call('GET', PREFIX)).partners;
  }

  /** Adds a partner on the server, or renames it and changes its analyst (the server keeps one row per id). */
  async savePartner(partner: Partner): Promise<Partner> {
    return PartnerSaved.parse(await this.call('POST', PREFIX, partner)).partner;
  }

  async createUser(partnerId: string, username: string, password: string): Promise<z.infer<typeof UserCreated>['user']> {
    return UserCreated.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/users`, { username, password })).user;
  }

  async portalUsers(partnerId: string): Promise<PortalUser[]> {
    return PortalUserList.parse(await this.call('GET', `${PREFIX}/${encodeURIComponent(partnerId)}/users`)).users;
  }

  /** Disabling ends the user's sessions on the server at once; enabling lets it sign in again. */
  async setPortalUserDisabled(partnerId: string, userId: string, disabled: boolean): Promise<PortalUser> {
    return PortalUserChanged.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/users/${encodeURIComponent(userId)}/${disabled ? 'disable' : 'enable'}`, {})).user;
  }

  /** Sets a new one-time password (the desk draws it and shows it once); the old one and every session stop working. */
  async resetPortalPassword(partnerId: string, userId: string, password: string): Promise<PortalUser> {
    return PortalUserChanged.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/users/${encodeURIComponent(userId)}/password`, { password })).user;
  }

  async keys(partnerId: string): Promise<ApiKey[]> {
    return KeyList.parse(await this.call('GET', `${PREFIX}/${encodeURIComponent(partnerId)}/api-keys`)).keys;
  }

  /** The secret is in this answer only: the server keeps its hash. */
  async createKey(partnerId: string, key: { readonly name: string; readonly scopes: readonly ApiKeyScope[]; readonly expiresAt: string }): Promise<{ key: z.infer<typeof KeyRow>; secret: string }> {
    return KeyCreated.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/api-keys`, key));
  }

  async revokeKey(partnerId: string, keyId: string): Promise<z.infer<typeof KeyRow>> {
    return KeyRevoked.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/api-keys/${encodeURIComponent(keyId)}/revoke`, {})).key;
  }

  async webhooks(partnerId: string): Promise<Webhook[]> {
    return WebhookList.parse(await this.call('GET', `${PREFIX}/${encodeURIComponent(partnerId)}/webhooks`)).webhooks;
  }

  /** The signing secret is in this answer only (the partner's receiver needs it). */
  async createWebhook(partnerId: string, webhook: { readonly url: string; readonly events: readonly WebhookEvent[] }): Promise<z.infer<typeof WebhookCreated>> {
    return WebhookCreated.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/webhooks`, webhook));
  }

  async deliveries(partnerId: string, webhookId: string): Promise<z.infer<typeof DeliveryLog>> {
    return DeliveryLog.parse(await this.call('GET', `${PREFIX}/${encodeURIComponent(partnerId)}/webhooks/${encodeURIComponent(webhookId)}/deliveries`));
  }

  async activateWebhook(partnerId: string, webhookId: string): Promise<Webhook | null> {
    return Activated.parse(await this.call('POST', `${PREFIX}/${encodeURIComponent(partnerId)}/webhooks/${encodeURIComponent(webhookId)}/activate`, {})).webhook;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let response = await this.send(method, path, body, await this.token());
    if (response.status === 401) {
      await this.session.unauthorized(response.token);
      response = await this.send(method, path, body, await this.token());
    }
    const answer: unknown = await response.answer.json().catch(() => null);
    if (response.answer.ok) return answer;
    const error = ErrorAnswer.safeParse(answer);
    throw error.success ? new PartnerAdminError(response.status, error.data.error.code, error.data.error.message) : new PartnerAdminError(response.status, `http_${response.status}`, response.answer.statusText || 'the server refused');
  }

  private async token(): Promise<string> {
    const token = await this.session.accessToken();
    if (token === null) throw new PartnerAdminError(401, 'signed_out', 'sign in to the server in Settings first');
    return token;
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, token: string): Promise<{ answer: Response; status: number; token: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const answer = await this.fetchImpl(`${this.session.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), cache: 'no-store' });
      return { answer, status: answer.status, token };
    } catch (error) {
      throw new PartnerAdminError(0, 'network', (error as Error).message);
    }
  }
}
