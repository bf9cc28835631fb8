import type { Queryable } from '../db/types.ts';
import { countHit } from '../auth/rate-limit.ts';

/**
 * Requests per partner API key, counted in the database (rate_windows, migration 010; 009 had a
 * table of its own) so every server process on one database shares one count: N processes behind a
 * load balancer still give a key requestsMax per window, not N x requestsMax. A fixed window (at
 * most 2 x requestsMax in any windowMs span, see countHit).
 */
export interface KeyRateLimit {
  readonly requestsMax: number;
  readonly windowMs: number;
}

/** Counts one request of the key now; returns the milliseconds until its next window when it is over the limit, else 0. */
export function countKeyRequest(db: Queryable, keyId: string, limit: KeyRateLimit, nowMs: number): Promise<number> {
  return countHit(db, 'partner-key', keyId, { max: limit.requestsMax, windowMs: limit.windowMs }, nowMs);
}
