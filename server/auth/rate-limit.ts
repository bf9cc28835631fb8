import { assert } from '../../core/assert.ts';

/**
 * Sign-in throttle: at most `failuresMax` refused sign-ins per key (user name and address) in a
 * sliding window; further attempts are refused without checking the password until the oldest
 * failure leaves the window. In memory, per process: behind a load balancer each process
 * counts on its own, so the bound is failuresMax x processes (a shared PostgreSQL counter is
 * the next step). Keys are bounded so a flood of names cannot exhaust memory.
 */
export interface RateLimiterOptions {
  readonly failuresMax: number;
  readonly windowMs: number;
  readonly keysMax: number;
  readonly nowMs: () => number;
}

export class SignInLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #options: RateLimiterOptions;

  constructor(options: RateLimiterOptions) {
    assert(options.failuresMax > 0 && options.windowMs > 0 && options.keysMax > 0, 'limiter bounds are positive');
    this.#options = options;
  }

  #recent(key: string): number[] {
    const since = this.#options.nowMs() - this.#options.windowMs;
    const kept = (this.#failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, kept);
    return kept;
  }

  /** Milliseconds until the next attempt is allowed; 0 when allowed now. */
  retryAfterMs(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.#options.failuresMax) return 0;
    return (recent[0] as number) + this.#options.windowMs - this.#options.nowMs();
  }

  recordFailure(key: string): void {
    if (!this.#failures.has(key) && this.#failures.size >= this.#options.keysMax) {
      // Forget the oldest key: Map keeps insertion order.
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(key, [...this.#recent(key), this.#options.nowMs()].slice(-this.#options.failuresMax));
  }

  recordSuccess(key: string): void {
    this.#failures.delete(key);
  }
}
