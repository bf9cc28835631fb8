import { z } from 'zod';
import { assert } from '../../core/assert.ts';
import type { Queryable } from '../db/types.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Rate limits counted in the database (rate_windows, migration 010), so every server process on
 * one database shares one count: N processes behind a load balancer still give a key `max` hits a
 * window, not N x max. A fixed window aligned to the epoch, one row per scope and key: one upsert
 * per hit, atomic in PostgreSQL. The price of a fixed window: a key may spend its allowance at the
 * end of one window and again at the start of the next, so at most 2 x max hits fall into any
 * windowMs span (a sliding log would need a row per hit).
 */
export interface RateWindow {
  readonly max: number;
  readonly windowMs: number;
}

export type RateScope = 'sign-in' | 'password-change' | 'partner-key';

const Counted = z.object({ hits: z.number().int().positive(), start_ms: z.number() });

/** Counts one hit of the key now; returns the milliseconds until its window ends when it is over the limit, else 0. */
export async function countHit(db: Queryable, scope: RateScope, key: string, window: RateWindow, nowMs: number): Promise<number> {
  assert(window.max > 0 && window.windowMs > 0, 'rate windows are positive', { scope, ...window });
  const start = new Date(Math.floor(nowMs / window.windowMs) * window.windowMs).toISOString();
  // A process whose clock lags by a moment counts into the newer window instead of restarting it.
  const { rows } = await db.query(
    `insert into rate_windows (scope, key, window_start, hits) values ($1, $2, $3, 1)
     on conflict (scope, key) do update set
       hits = case when rate_windows.window_start >= excluded.window_start then rate_windows.hits + 1 else 1 end,
       window_start = greatest(rate_windows.window_start, excluded.window_start)
     returning hits, (extract(epoch from window_start) * 1000)::float8 as start_ms`,
    [scope, key, start],
  );
  const counted = Counted.parse(rows[0]);
  // A key's first hit of a window sweeps the scope's ended windows: rows stay bounded by the keys of the current one.
  if (counted.hits === 1) await db.query('delete from rate_windows where scope = $1 and window_start < $2', [scope, start]);
  return counted.hits > window.max ? Math.max(1, counted.start_ms + window.windowMs - nowMs) : 0;
}

/** Forgets the key's hits (a sign-in that succeeded). */
export async function clearHits(db: Queryable, scope: RateScope, key: string): Promise<void> {
  await db.query('delete from rate_windows where scope = $1 and key = $2', [scope, key]);
}

/**
 * Sign-in throttle: at most `max` attempts per key in a window (sign-in: the user name and the
 * client address together; a password change: the user), the next ones refused with 429 without
 * checking the password until the window ends; a right password clears the key. An attempt is
 * counted before its password is checked (the hash takes ~0.4 s), so attempts sent at once cannot
 * all slip under the limit, on one process or several.
 */
export class SignInThrottle {
  readonly #window: RateWindow;
  readonly #nowMs: () => number;

  constructor(window: RateWindow, nowMs: () => number) {
    this.#window = window;
    this.#nowMs = nowMs;
  }

  /** Counts an attempt; throws 429 rate_limited (with retryAfterSeconds) when the key is over its limit. */
  async attempt(db: Queryable, scope: 'sign-in' | 'password-change', key: string): Promise<void> {
    const waitMs = await countHit(db, scope, key, this.#window, this.#nowMs());
    if (waitMs === 0) return;
    const what = scope === 'sign-in' ? 'refused sign-ins' : 'wrong current passwords';
    throw new HttpError(429, 'rate_limited', `too many ${what}; try again later`, { retryAfterSeconds: Math.ceil(waitMs / 1000) });
  }

  async succeeded(db: Queryable, scope: 'sign-in' | 'password-change', key: string): Promise<void> {
    await clearHits(db, scope, key);
  }
}
