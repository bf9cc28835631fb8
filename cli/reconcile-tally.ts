import { minorUnitsOf } from '../core/money/iso4217.ts';
import { addMinor, fromMinorUnits, type MinorUnits } from '../core/money/minor.ts';
import type { PayoutExpectation } from '../core/reconcile/expected-payout.ts';
import type { CompactLegResult, GroupOutcome, MatchGroup } from '../core/reconcile/match.ts';

/** Text lists and tables stop here; --json and --ndjson have every item. */
export const LISTED_ROWS_MAX = 50;

/** "0", "-0.00": zero written as a decimal string, told without a Decimal (a million groups). */
const ZERO_TEXT = /^-?0(\.0+)?$/;

function isZero(amount: string): boolean {
  return ZERO_TEXT.test(amount);
}

export interface DifferingGroup {
  readonly leg: string;
  readonly group: MatchGroup;
}

/** Differences of one leg and currency past the listed groups: how many, and their exact sum in minor units. */
interface RestEntry {
  count: number;
  sum: MinorUnits;
  readonly exponent: number;
}

/**
 * What one pass over every group finds: the summary's counts and, for text, the first
 * LISTED_ROWS_MAX groups whose amounts differ with the rest counted and summed per leg and
 * currency. --json and --ndjson count the groups they write; text reads each group's outcome in
 * minor units and builds only the groups it lists (of a million groups most differ, by the PSP
 * fee: their texts and a decimal.js sum each were most of the tally's time). The payout
 * expectations of leg internal-psp are found from its members' positions, once.
 */
export class GroupTally {
  groups = 0;
  unexplained = 0;
  tolerated = 0;
  readonly listed: DifferingGroup[] = [];
  private readonly rest = new Map<string, RestEntry>();
  private expectations: PayoutExpectation[] | null = null;

  constructor(private readonly findExpectations: () => PayoutExpectation[]) {}

  /** A group written out (--json, --ndjson): counted only. */
  add(group: MatchGroup): void {
    this.groups++;
    if (group.variance !== null && !isZero(group.variance.unexplained)) this.unexplained++;
    if (group.variance !== null && !isZero(group.variance.tolerated)) this.tolerated++;
  }

  /** A group's outcome (text): counted, and listed (built) or summed when its amounts differ. */
  addOutcome(leg: Pick<CompactLegResult, 'leg' | 'group'>, outcome: GroupOutcome): void {
    this.groups++;
    if (outcome.unexplained) this.unexplained++;
    if (outcome.tolerated) this.tolerated++;
    if (outcome.difference === 0) return;
    if (this.listed.length < LISTED_ROWS_MAX) {
      this.listed.push({ leg: leg.leg, group: leg.group(outcome.position) });
      return;
    }
    const key = `${leg.leg} ${outcome.currency}`;
    const known = this.rest.get(key);
    if (known === undefined) this.rest.set(key, { count: 1, sum: outcome.difference, exponent: minorUnitsOf(outcome.currency) });
    else {
      known.count++;
      known.sum = addMinor(known.sum, outcome.difference);
    }
  }

  /** The line that counts and sums the differing groups not listed (per leg and currency), or null when every one is listed. */
  restLine(): string | null {
    if (this.rest.size === 0) return null;
    const count = [...this.rest.values()].reduce((total, entry) => total + entry.count, 0);
    // Each difference is written with its currency's decimals, so their exact sum is written so too.
    const sums = [...this.rest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, entry]) => `${key} ${entry.count} groups, difference ${fromMinorUnits(entry.sum, entry.exponent)}`);
    return `... and ${count} more groups whose amounts differ (${sums.join('; ')}); --json or --ndjson lists every one`;
  }

  payoutExpectations(): PayoutExpectation[] {
    return (this.expectations ??= this.findExpectations());
  }
}
