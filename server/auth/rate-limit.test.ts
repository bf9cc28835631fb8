import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './rate-limit.ts';

describe('sign-in limiter', () => {
  it('allows failuresMax failures in the window, then asks to wait until the oldest leaves it', () => {
    const clock = { now: 0 };
    const limiter = new SignInLimiter({ failuresMax: 3, windowMs: 1000, keysMax: 10, nowMs: () => clock.now });
    for (const at of [0, 100, 200]) {
      clock.now = at;
      expect(limiter.retryAfterMs('k')).toBe(0);
      limiter.recordFailure('k');
    }
    clock.now = 300;
    // The failure at 0 leaves the window at 1000: 700 ms to wait.
    expect(limiter.retryAfterMs('k')).toBe(700);
    expect(limiter.retryAfterMs('other')).toBe(0);
    clock.now = 1001;
    expect(limiter.retryAfterMs('k')).toBe(0);
  });

  it('forgets a key after a success and bounds the number of keys', () => {
    const limiter = new SignInLimiter({ failuresMax: 1, windowMs: 1000, keysMax: 2, nowMs: () => 0 });
    limiter.recordFailure('a');
    limiter.recordSuccess('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    limiter.recordFailure('d');
    // b was the oldest key and was forgotten when d came in.
    expect(limiter.retryAfterMs('b')).toBe(0);
    expect(limiter.retryAfterMs('d')).toBeGreaterThan(0);
  });
});
