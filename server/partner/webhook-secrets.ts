import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SettleDeskError } from '../../core/errors.ts';
import type { Queryable } from '../db/types.ts';

/**
 * Webhook signing secrets at rest. The server needs each secret itself (it signs every delivery
 * with HMAC), so a hash cannot do; with a key configured (--webhook-key-file, 32 random bytes in
 * base64) each secret is stored AES-256-GCM encrypted as `enc:v1:<iv>:<tag>:<ciphertext>`, with the
 * webhook's id as associated data so a sealed secret copied onto another webhook's row does not
 * open. Without a key secrets stay in clear and the server says so at start. Secrets stored in clear
 * before a key was configured are sealed at the next start with it.
 */
const SEALED = /^enc:v1:([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]+)$/;
export const WEBHOOK_KEY_BYTES = 32;

export class WebhookSecretError extends SettleDeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('webhook_secret_unreadable', message, {}, details);
    this.name = 'WebhookSecretError';
  }
}

/** Reads the key file: 32 bytes in base64 (`openssl rand -base64 32`). */
export async function loadWebhookKey(file: string): Promise<Buffer> {
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== WEBHOOK_KEY_BYTES) throw new WebhookSecretError(`the webhook key file must hold ${WEBHOOK_KEY_BYTES} bytes in base64 (openssl rand -base64 32), not ${key.length}`, { file });
  return key;
}

export function sealWebhookSecret(key: Buffer | null, webhookId: string, secret: string): string {
  if (key === null) return secret;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(webhookId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `enc:v1:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`;
}

export function openWebhookSecret(key: Buffer | null, webhookId: string, stored: string): string {
  const match = SEALED.exec(stored);
  if (match === null) return stored;
  if (key === null) throw new WebhookSecretError('the webhook secret is encrypted but the server has no webhook key (--webhook-key-file)', { webhookId });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(match[1] as string, 'base64url')).setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(Buffer.from(match[2] as string, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(match[3] as string, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new WebhookSecretError('the webhook secret does not open with the configured webhook key (another key, or a secret moved between webhooks)', { webhookId });
  }
}

/** Seals every secret still stored in clear; returns how many. */
export async function sealClearWebhookSecrets(db: Queryable, key: Buffer): Promise<number> {
  const { rows } = await db.query<{ id: string; secret: string }>("select id, secret from partner_webhooks where secret not like 'enc:v1:%' order by id");
  for (const row of rows) await db.query('update partner_webhooks set secret = $2 where id = $1 and secret = $3', [row.id, sealWebhookSecret(key, row.id, row.secret), row.secret]);
  return rows.length;
}
