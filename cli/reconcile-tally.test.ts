import { describe, expect, it } from 'vitest';
import type { GroupOutcome, MatchGroup } from '../core/reconcile/match.ts';
import { GroupTally, LISTED_ROWS_MAX } from './reconcile-tally.ts';

/** A leg whose groups are built only when listed: each build is recorded. */
function legOf(name: string, built: number[]): { leg: string; group: (position: number) => MatchGroup } {
  return {
    leg: name,
    group: (position) => {
      built.push(position);
      return { id: `${name}:${position}` } as MatchGroup;
    },
  };
}

function outcome(position: number, currency: string, difference: number | bigint, flags: Partial<Pick<GroupOutcome, 'unexplained' | 'tolerated'>> = {}): GroupOutcome {
  return { position, currency, difference, unexplained: flags.unexplained ?? false, tolerated: flags.tolerated ?? false };
}

describe('GroupTally over outcomes (text)', () => {
  it('lists the first differing groups, then sums the rest exactly per leg and currency (hand-worked sums)', () => {
    const tally = new GroupTally(() => []);
    const built: number[] = [];
    const internalPsp = legOf('internal-psp', built);
    const pspBank = legOf('psp-bank', built);
    let position = 0;
    // A balanced group first: counted, never built nor listed.
    tally.addOutcome(internalPsp, outcome(position++, 'EUR', 0));
    for (let listed = 0; listed < LISTED_ROWS_MAX; listed++) tally.addOutcome(internalPsp, outcome(position++, 'EUR', -1, { unexplained: true }));
    // EUR: 0.10 + -0.35 + 1,000,000,000,000.01 = 999,999,999,999.76
    tally.addOutcome(internalPsp, outcome(position++, 'EUR', 10));
    tally.addOutcome(internalPsp, outcome(position++, 'EUR', -35, { tolerated: true }));
    tally.addOutcome(internalPsp, outcome(position++, 'EUR', 100_000_000_000_001));
    // KWD (3 decimals): -0.005 + 0.005 = 0.000, written as zero with its decimals.
    tally.addOutcome(internalPsp, outcome(position++, 'KWD', -5));
    tally.addOutcome(internalPsp, outcome(position, 'KWD', 5));
    // USD past the safe integers: 90,000,000,000,000.00 + 90,000,000,000,000.00 + -0.01 (a BigInt sum).
    tally.addOutcome(pspBank, outcome(0, 'USD', 9_000_000_000_000_000));
    tally.addOutcome(pspBank, outcome(1, 'USD', 9_000_000_000_000_000n));
    tally.addOutcome(pspBank, outcome(2, 'USD', -1));
    // JPY (no decimals): -300 + -45 = -345.
    tally.addOutcome(pspBank, outcome(3, 'JPY', -300));
    tally.addOutcome(pspBank, outcome(4, 'JPY', -45, { unexplained: true }));
    expect(tally.listed.map((item) => item.group.id)).toEqual(Array.from({ length: LISTED_ROWS_MAX }, (_, index) => `internal-psp:${index + 1}`));
    expect(built).toEqual(Array.from({ length: LISTED_ROWS_MAX }, (_, index) => index + 1));
    expect([tally.groups, tally.unexplained, tally.tolerated]).toEqual([1 + LISTED_ROWS_MAX + 10, LISTED_ROWS_MAX + 1, 1]);
    expect(tally.restLine()).toBe(
      '... and 10 more groups whose amounts differ (internal-psp EUR 3 groups, difference 999999999999.76; internal-psp KWD 2 groups, difference 0.000; psp-bank JPY 2 groups, difference -345; psp-bank USD 3 groups, difference 179999999999999.99); --json or --ndjson lists every one',
    );
  });

  it('has no rest line while every differing group is listed', () => {
    const tally = new GroupTally(() => []);
    const leg = legOf('internal-psp', []);
    tally.addOutcome(leg, outcome(0, 'EUR', 10));
    expect(tally.listed).toHaveLength(1);
    expect(tally.restLine()).toBeNull();
  });
});
