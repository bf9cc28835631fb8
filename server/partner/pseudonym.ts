import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/types.ts';
import type { Pseudonymize } from './scope.ts';

/**
 * End-customer data a partner sees only as keyed pseudonyms: HMAC-SHA256 under a server secret
 * (made on first start, shared by every server process through server_secrets) over the partner
 * id, the field and the value. The same customer keeps one pseudonym within a partner, so a
 * partner can still see "three refunds to one customer", but the pseudonym cannot be reversed
 * by hashing guesses without the key, and two partners never see the same pseudonym.
 */
const KEY_NAME = 'partner_pseudonym_hmac';
const PSEUDONYM_HEX_CHARS = 32;

export async function loadPseudonymKey(db: Db): Promise<Buffer> {
  await db.query('insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [KEY_NAME, randomBytes(32).toString('base64url')]);
  const { rows } = await db.query<{ value: string }>('select value from server_secrets where name = $1', [KEY_NAME]);
  return Buffer.from(z.string().min(43).parse(rows[0]?.value), 'base64url');
}

export function pseudonymizer(key: Buffer, partnerId: string): Pseudonymize {
  return (field, value) => {
    if (value === null || value === '') return value;
    const digest = createHmac('sha256', key).update(`${partnerId}\u001f${field}\u001f${value}`, 'utf8').digest('hex');
    return `anon_${digest.slice(0, PSEUDONYM_HEX_CHARS)}`;
  };
}
