import { formatInstant as formatInstantIn } from '../../../i18n/format.ts';
import type { Workspace } from '../../../workspace/workspace.ts';
import type { ApiKey, ApiKeyScope, WebhookDelivery, WebhookEvent } from './admin-api.ts';

/**
 * What the Partner access screen decides without React: who may use it, a key's state, the
 * delivery log's rows, and the forms' checks (the same limits the server's request schemas set in
 * server/partner/schemas.ts, so a mistake is shown at its field before anything is sent).
 */
export type Access = 'local' | 'signed-out' | 'not-admin' | 'admin';

export function accessOf(workspace: Pick<Workspace, 'kind' | 'serverUrl'>, role: string | null): Access {
  if (workspace.kind !== 'server' || workspace.serverUrl === null) return 'local';
  if (role === null) return 'signed-out';
  return role === 'admin' ? 'admin' : 'not-admin';
}

/** i18next reads ':' as its namespace separator and '.' as nesting: a scope's or an event's text key has '_' for both. */
export function textKeyOf(value: string): string {
  return value.replace(/[:.]/g, '_');
}

export type KeyState = 'active' | 'expired' | 'revoked';

export function keyStateOf(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, nowMs: number): KeyState {
  if (key.revokedAt !== null) return 'revoked';
  return Date.parse(key.expiresAt) <= nowMs ? 'expired' : 'active';
}

/** What a partner sees of its key in its own configuration: the public part before the secret. */
export function keyPrefixOf(keyId: string): string {
  return `sdpk_${keyId}_`;
}

export const EXPIRY_DAYS = [30, 90, 365] as const;
export type ExpiryDays = (typeof EXPIRY_DAYS)[number];
const DAY_MS = 86_400_000;

export function expiresAtOf(days: number, nowMs: number): string {
  return new Date(nowMs + days * DAY_MS).toISOString();
}

/** An instant as "2026-03-01 09:00:05 UTC" (ISO dates whatever the display: the section's texts quote them). */
export function formatInstant(value: string): string {
  return formatInstantIn(value, { locale: 'en', dateStyle: 'iso' });
}

export interface DeliveryRow {
  readonly key: string;
  readonly deliveryId: string;
  readonly event: WebhookEvent;
  readonly status: WebhookDelivery['status'];
  /** When the attempt was made, or when the event was queued for a delivery not tried yet. */
  readonly at: string;
  /** 0 for a delivery not tried yet. */
  readonly attempt: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** The next try of a pending delivery, on its latest row only. */
  readonly nextRetryAt: string | null;
}

/** One row per attempt (the whole log), a queued delivery as one row of attempt 0; newest first. */
export function deliveryRows(deliveries: readonly WebhookDelivery[]): DeliveryRow[] {
  const rows: DeliveryRow[] = [];
  for (const delivery of deliveries) {
    const base = { deliveryId: delivery.id, event: delivery.eventType, status: delivery.status };
    const last = delivery.attempts_log.length;
    const nextRetryAt = delivery.status === 'pending' ? delivery.nextAttemptAt : null;
    if (last === 0) rows.push({ ...base, key: `${delivery.id}#0`, at: delivery.createdAt, attempt: 0, statusCode: null, error: null, nextRetryAt });
    for (const attempt of delivery.attempts_log) {
      rows.push({ ...base, key: `${delivery.id}#${attempt.attempt}`, at: attempt.at, attempt: attempt.attempt, statusCode: attempt.statusCode, error: attempt.error, nextRetryAt: attempt.attempt === last ? nextRetryAt : null });
    }
  }
  return rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.attempt - a.attempt || a.deliveryId.localeCompare(b.deliveryId));
}

export type FieldProblem = 'required' | 'username' | 'passwordShort' | 'tooLong' | 'url' | 'partnerId';
export type Problems<F extends string> = Partial<Record<F, FieldProblem>>;

const PARTNER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;
const USERNAME = /^[a-z0-9][a-z0-9_.@-]*$/;
export const PASSWORD_CHARS_MIN = 12;

export function checkPartner(form: { readonly id: string; readonly name: string; readonly analyst: string }): Problems<'id' | 'name' | 'analyst'> {
  const problems: Problems<'id' | 'name' | 'analyst'> = {};
  if (form.id === '') problems.id = 'required';
  else if (form.id.length > 200 || !PARTNER_ID.test(form.id)) problems.id = 'partnerId';
  if (form.name.trim() === '') problems.name = 'required';
  else if (form.name.length > 200) problems.name = 'tooLong';
  if (form.analyst.trim() === '') problems.analyst = 'required';
  else if (form.analyst.length > 100) problems.analyst = 'tooLong';
  return problems;
}

export function checkUser(form: { readonly username: string; readonly password: string }): Problems<'username' | 'password'> {
  const problems: Problems<'username' | 'password'> = {};
  if (form.username === '') problems.username = 'required';
  else if (form.username.length > 100 || !USERNAME.test(form.username)) problems.username = 'username';
  if (form.password.length < PASSWORD_CHARS_MIN) problems.password = 'passwordShort';
  else if (form.password.length > 1000) problems.password = 'tooLong';
  return problems;
}

export function checkKey(form: { readonly name: string; readonly scopes: readonly ApiKeyScope[] }): Problems<'name' | 'scopes'> {
  const problems: Problems<'name' | 'scopes'> = {};
  if (form.name.trim() === '') problems.name = 'required';
  else if (form.name.length > 200) problems.name = 'tooLong';
  if (form.scopes.length === 0) problems.scopes = 'required';
  return problems;
}

export function checkWebhook(form: { readonly url: string; readonly events: readonly WebhookEvent[] }): Problems<'url' | 'events'> {
  const problems: Problems<'url' | 'events'> = {};
  if (form.url.trim() === '') problems.url = 'required';
  else if (!URL.canParse(form.url.trim()) || !/^https?:$/.test(new URL(form.url.trim()).protocol) || form.url.length > 2000) problems.url = 'url';
  if (form.events.length === 0) problems.events = 'required';
  return problems;
}

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A password suggested for a new portal user, shown to the admin once to hand over to the partner.
 * 20 characters of 57 (about 116 bits), unbiased: bytes past the last full multiple of 57 are drawn again.
 */
export function oneTimePassword(randomBytes: (count: number) => Uint8Array = (count) => crypto.getRandomValues(new Uint8Array(count))): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  let out = '';
  while (out.length < 20) {
    for (const byte of randomBytes(32)) {
      if (byte < limit && out.length < 20) out += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
  }
  return out;
}
