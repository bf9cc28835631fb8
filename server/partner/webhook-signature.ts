import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `SettleDesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "t.body">` (the scheme Stripe
 * uses). The timestamp is inside the MAC, so a receiver that refuses old timestamps and ids it has
 * seen refuses replays; any changed byte of the body fails the MAC. verifyWebhookSignature is what
 * a partner's receiver runs (our tests run it against real deliveries).
 */
export const SIGNATURE_HEADER = 'settledesk-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${signatureOf(secret, unixSeconds, body)}`;
}

export type SignatureCheck = { readonly ok: true; readonly eventId: string } | { readonly ok: false; readonly reason: 'malformed' | 'mismatch' | 'too_old' | 'replayed' };

export interface VerifyOptions {
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
  /** Event ids already accepted: a second delivery of one is a replay. Added to when a body verifies. */
  readonly seen?: Set<string>;
}

/** Checks a delivery as a receiver should: MAC over the exact bytes, timestamp within tolerance, event id not seen. */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string, options: VerifyOptions): SignatureCheck {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (match === null) return { ok: false, reason: 'malformed' };
  const unixSeconds = Number(match[1]);
  const expected = Buffer.from(signatureOf(secret, unixSeconds, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'))) return { ok: false, reason: 'mismatch' };
  if (Math.abs(options.nowSeconds - unixSeconds) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'too_old' };
  let eventId: unknown;
  try {
    eventId = (JSON.parse(body) as { id?: unknown }).id;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof eventId !== 'string') return { ok: false, reason: 'malformed' };
  if (options.seen?.has(eventId) === true) return { ok: false, reason: 'replayed' };
  options.seen?.add(eventId);
  return { ok: true, eventId };
}
