import { z } from 'zod';
import { CurrencyCodeSchema } from '../transactions/schema.ts';

/**
 * The matching rules of a reconciliation, as data. Every option has a stated default so that
 * `parseRules({})` is a complete, printable rule set; the result records which rules were used.
 *
 * Rule kinds, tried in `order` (each one only sees items no earlier rule has matched):
 * - `reference`   exact reference: structured ids (externalId, endToEndId, bankReference, batchId)
 *                 on one side equal to an id or to a token of the remittance text on the other side
 *                 (letters and digits compared as written, case included: PSP ids are case-sensitive;
 *                 a token counts when it is one of the other side's ids, whatever its shape);
 *                 linked items form one group (1-1, 1-n, n-1), whatever their amounts (the difference
 *                 is a variance, not a reason to refuse a reference).
 * - `batch`       one-to-many / many-to-one: all free items of one batchId and currency against one item
 *                 of the other side whose amount equals the batch sum (within tolerance and date window).
 * - `amount-date` one-to-one on amount (within tolerance) and date window, by an assignment that
 *                 maximizes the number of pairs, then minimizes total amount and date distance (never
 *                 first-fit); pairs that another equally good assignment does without (a true tie) are
 *                 not taken: those items are left to suggestions.
 * - `subset-sum`  one item against 2..subsetItemsMax items of the other side, searched only inside a
 *                 bounded candidate set (same currency and counterparty, within the date window).
 * - `fx`          cross-currency, only for the currency pairs listed in `fx.pairs`, with rates passed in;
 *                 a needed missing rate is reported, never replaced by 1.0.
 * - `reversal`    within one side: an item and its exact opposite sharing a reference net to zero.
 */
export const RULE_KINDS = ['reference', 'batch', 'amount-date', 'subset-sum', 'fx', 'reversal'] as const;
export const RuleKind = z.enum(RULE_KINDS);
export type RuleKind = z.infer<typeof RuleKind>;

/** Which date of a transaction the date window compares, first non-null wins. */
export const DATE_FIELDS = ['valueDate', 'bookingDate', 'occurredAt'] as const;
export const DateField = z.enum(DATE_FIELDS);
export type DateField = z.infer<typeof DateField>;

const NonNegativeDecimal = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'expected a non-negative decimal string like "0.01"');

export const FxPair = z.strictObject({ from: CurrencyCodeSchema, to: CurrencyCodeSchema }).refine((pair) => pair.from !== pair.to, 'an FX pair needs two different currencies');
export type FxPair = z.infer<typeof FxPair>;

/** The legs reconcile() runs (match.ts prefixes group ids with them). */
export const LEG_NAMES = ['internal-psp', 'psp-bank', 'internal-bank'] as const;
export type LegName = (typeof LEG_NAMES)[number];

/** A leg's own tolerance; what it leaves out falls back to the rule set's. */
const LegTolerance = z
  .strictObject({
    amountTolerance: NonNegativeDecimal.optional(),
    amountToleranceByCurrency: z.record(z.string(), NonNegativeDecimal).optional(),
  })
  .strict();

export const ReconcileRules = z
  .strictObject({
    order: z.array(RuleKind).min(1).default(['reference', 'batch', 'amount-date', 'subset-sum', 'fx', 'reversal']),
    dateFields: z.array(DateField).min(1).default(['valueDate', 'bookingDate', 'occurredAt']),
    /** Inclusive: |day(a) - day(b)| <= dateWindowDays. */
    dateWindowDays: z.number().int().min(0).max(366).default(3),
    /** Inclusive absolute tolerance in currency units ("0.01" = one cent for EUR); per-currency overrides below. */
    amountTolerance: NonNegativeDecimal.default('0'),
    amountToleranceByCurrency: z.record(z.string(), NonNegativeDecimal).default({}),
    /**
     * Tolerances per leg (a bank leg may accept a few cents of charges the PSP leg must not). For a
     * currency, the first set of: the leg's amountToleranceByCurrency, the leg's amountTolerance,
     * the rule set's amountToleranceByCurrency, the rule set's amountTolerance.
     */
    legs: z
      .strictObject({ 'internal-psp': LegTolerance.optional(), 'psp-bank': LegTolerance.optional(), 'internal-bank': LegTolerance.optional() })
      .strict()
      .prefault({}),
    reference: z
      .strictObject({
        /** Normalized keys (letters and digits only, case kept) shorter than this are ignored: "1", "AB" match too much. */
        keyLengthMin: z.number().int().min(1).max(64).default(4),
        /** A key shared by more items than this on one side is ambiguous and ignored (batchIds excepted). */
        keyItemsMax: z.number().int().min(1).max(1000).default(20),
        placeholders: z.array(z.string()).default(['NONREF', 'NOTPROVIDED', 'NOTAVAILABLE', 'NA', 'NONE']),
      })
      .prefault({}),
    batch: z
      .strictObject({
        batchItemsMax: z.number().int().min(2).max(100_000).default(10_000),
      })
      .prefault({}),
    psp: z
      .strictObject({
        /**
         * A PSP payout line dated D is due at the bank on D + transitDays. Not shown by the bank, it is in
         * transit when that day is after the end of the bank statements of its currency (ReconcileInput
         * bankStatements; else their last line), and missing otherwise. 1: a payout made on the
         * statements' last day is in transit, one made the day before is missing.
         */
        transitDays: z.number().int().min(0).max(31).default(1),
      })
      .prefault({}),
    /** Bounds of the tie-resolving assignment: larger ambiguous clusters are left to suggestions. */
    assignment: z
      .strictObject({
        candidatesPerItemMax: z.number().int().min(1).max(1000).default(50),
        componentItemsMax: z.number().int().min(2).max(400).default(120),
      })
      .prefault({}),
    subsetSum: z
      .strictObject({
        candidatesMax: z.number().int().min(2).max(20).default(12),
        itemsMax: z.number().int().min(2).max(6).default(4),
      })
      .prefault({}),
    fx: z
      .strictObject({
        pairs: z.array(FxPair).default([]),
        /** Relative tolerance of the converted amount, in basis points of it (100 = 1 %). */
        /** The rate is looked up at the converted (`from`) item's date, exact date only. */
        toleranceBps: z.number().int().min(0).max(10_000).default(100),
      })
      .prefault({}),
    suggest: z
      .strictObject({
        dateWindowDays: z.number().int().min(0).max(366).default(10),
        /** Candidates differ by at most this share of the larger amount, in basis points. */
        amountDistanceBpsMax: z.number().int().min(0).max(10_000).default(1000),
        scoreMin: z.number().min(0).max(1).default(0.5),
        perItemMax: z.number().int().min(1).max(20).default(3),
        candidatesScannedMax: z.number().int().min(1).max(10_000).default(200),
        /**
         * A reference within this many edits (a letter-case difference is one) of the other item's id is
         * suggested whatever the amounts (a typed-wrong payout id), ranked by score and never auto-accepted; 0: off.
         */
        referenceDistanceMax: z.number().int().min(0).max(2).default(2),
        /** Shorter references are not compared by edit distance: "INV1" is two edits from too much. */
        referenceLengthMin: z.number().int().min(4).max(64).default(8),
        /** Bound of the near-reference search (deletion variants built); past it the search stops. */
        referenceVariantsMax: z.number().int().min(1).max(50_000_000).default(1_000_000),
        /** Near references are searched only when neither side has more leftovers than this (a typo hunt, not a bulk pass). */
        referenceItemsMax: z.number().int().min(1).max(1_000_000).default(10_000),
        /** null: suggestions are never auto-accepted. A number: mutual-best suggestions scoring at least this are. */
        autoAcceptScoreMin: z.number().min(0).max(1).nullable().default(null),
      })
      .prefault({}),
  })
  .refine((rules) => new Set(rules.order).size === rules.order.length, { message: 'a rule kind appears twice in order', path: ['order'] });
export type ReconcileRules = z.infer<typeof ReconcileRules>;
export type ReconcileRulesInput = z.input<typeof ReconcileRules>;

/** The rules one leg runs with: its own tolerances folded into the rule set's (see `legs`). */
export function rulesForLeg(rules: ReconcileRules, name: string): ReconcileRules {
  const own = (LEG_NAMES as readonly string[]).includes(name) ? rules.legs[name as LegName] : undefined;
  if (own === undefined) return rules;
  const byCurrency = own.amountTolerance === undefined ? { ...rules.amountToleranceByCurrency, ...own.amountToleranceByCurrency } : { ...own.amountToleranceByCurrency };
  return { ...rules, amountTolerance: own.amountTolerance ?? rules.amountTolerance, amountToleranceByCurrency: byCurrency };
}

/** Validates rules; throws zod's error with the path of the bad option. */
export function parseRules(input: ReconcileRulesInput = {}): ReconcileRules {
  return ReconcileRules.parse(input);
}
