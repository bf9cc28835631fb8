import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import type { Queryable } from '../db/types.ts';

/**
 * Requests per partner API key, counted in the database (partner_key_rate_windows, migration 009)
 * so every server process on one database shares one count: N processes behind a load balancer
 * still give a key requestsMax per window, not N x requestsMax. A fixed window aligned to the
 * epoch: one upsert per request, atomic in PostgreSQL, no clock shared beyond the processes' own.
 * The price of a fixed window: a key may spend its allowance at the end of one window and again at
 * the start of the next, so at most 2 x requestsMax fall into any windowMs span (a sliding log
 * would need a row per request).
 */
export interface KeyRateLimit {
  readonly requestsMax: number;
  readonly windowMs: number;
}

const Counted = z.object({ requests: z.number().int().positive() });

/** Counts one request of the key now; returns the milliseconds until its next window when it is over the limit, else 0. */
export async function countKeyRequest(db: Queryable, keyId: string, limit: KeyRateLimit, nowMs: number): Promise<number> {
  assert(limit.requestsMax > 0 && limit.windowMs > 0, 'key rate limits are positive', { ...limit });
  const startMs = Math.floor(nowMs / limit.windowMs) * limit.windowMs;
  const start = new Date(startMs).toISOString();
  const { rows } = await db.query(
    `insert into partner_key_rate_windows (key_id, window_start, requests) values ($1, $2, 1)
     on conflict (key_id, window_start) do update set requests = partner_key_rate_windows.requests + 1
     returning requests`,
    [keyId, start],
  );
  const { requests } = Counted.parse(rows[0]);
  // The first request of a window clears the key's earlier ones: one row per key stays.
  if (requests === 1) await db.query('delete from partner_key_rate_windows where key_id = $1 and window_start < $2', [keyId, start]);
  return requests > limit.requestsMax ? startMs + limit.windowMs - nowMs : 0;
}
