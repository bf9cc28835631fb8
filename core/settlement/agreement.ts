import { z } from 'zod';
import { assert } from '../assert.ts';
import { Decimal, DECIMAL_PATTERN } from '../money/decimal.ts';
import { isCurrencyCode, minorUnitsOf } from '../money/iso4217.ts';
import { TRANSACTION_KINDS, TransactionKind } from '../transactions/schema.ts';
import { isCalendarDate } from './dates.ts';
import { AgreementError, type AgreementErrorCode } from './errors.ts';

/**
 * The agreement schema. Every convention of SETTLEMENT-CONVENTIONS.md is a named option here with
 * its stated default (or, where the conventions state none, the default written beside it), and
 * the parsed `terms` object is printed on every statement as the options in force.
 */
function issue(ctx: z.RefinementCtx, code: AgreementErrorCode, message: string, path: (string | number)[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { code } });
}

// abort: the refinements below read the value with decimal.js, which throws an untyped error on "55%".
const Decimalish = z.string().regex(DECIMAL_PATTERN, { message: 'expected a decimal string like "1234.56"', abort: true });
const DateString = z.string().refine(isCalendarDate, 'expected a real calendar date YYYY-MM-DD');

/** A percentage as a decimal string, 0 to 100 inclusive ("70" is 70 %). */
export const Percent = z
  .string()
  .regex(DECIMAL_PATTERN, { message: 'expected a percentage as a decimal string like "55" (55 %), without a % sign', abort: true })
  .superRefine((value, ctx) => {
  const d = new Decimal(value);
  if (d.isNegative() || d.greaterThan(100)) issue(ctx, 'rate_out_of_range', `rate ${value} % is outside 0-100 %`);
});

/** A non-negative amount in the settlement currency (its digits are checked against the currency below). */
const Amount = Decimalish.refine((value) => !value.startsWith('-'), 'expected a non-negative amount');

const Weight = z.union([z.literal(1), z.literal(0), z.literal(-1)]);

/**
 * +1 adds the kind's magnitude to the base, -1 deducts it, 0 leaves it out. A magnitude is the
 * amount taken in the kind's natural direction (see NATURAL_SIGN in base.ts): a refund of -10.00
 * has magnitude 10.00, a refund reversal of +10.00 has magnitude -10.00.
 */
export const RevenueBase = z
  .object({
    sale: Weight.default(1),
    refund: Weight.default(-1),
    chargeback: Weight.default(-1),
    adjustment: Weight.default(1),
    promotion: Weight.default(0),
    fee: Weight.default(0),
    tax: Weight.default(0),
    payout: Weight.default(0),
    transfer: Weight.default(0),
  })
  .strict();
export type RevenueBase = z.infer<typeof RevenueBase>;

export const Tier = z.object({ from: Decimalish, to: Decimalish.nullable(), rate: Percent }).strict();
export type Tier = z.infer<typeof Tier>;

const ShareInput = z
  .object({
    /** Shorthand for one open tier from 0: a flat share. */
    rate: Percent.optional(),
    tiers: z.array(Tier).min(1).max(64).optional(),
    method: z.enum(['marginal', 'retroactive']).default('marginal'),
    measure: z.enum(['revenue', 'count']).default('revenue'),
    /** Tier count: refunds and chargebacks (kinds weighted -1) net out of the count, or not. Default chosen here: net. */
    countRefunds: z.enum(['net', 'gross']).default('net'),
    /**
     * Which kinds add +1 to a count tier: "weighted-plus-one" (every kind the revenue base weights
     * +1, sales and adjustments by default), or a list such as ["sale"] for contracts that count
     * sales only. Kinds weighted -1 still net out under countRefunds "net".
     */
    countedKinds: z.union([z.literal('weighted-plus-one'), z.array(TransactionKind).min(1).max(16)]).default('weighted-plus-one'),
    boundary: z.enum(['higher', 'lower']).default('higher'),
    period: z.enum(['period', 'contract-year']).default('period'),
    contractYearStart: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD').refine((v) => v !== '02-29' && isCalendarDate(`2001-${v}`), 'expected a day every year has').default('01-01'),
    /** A negative base under tiers: share at the first tier's rate (a claw-back), or zero. Default chosen here: first-tier-rate. */
    negativeBase: z.enum(['first-tier-rate', 'zero']).default('first-tier-rate'),
  })
  .strict();

function checkTiers(tiers: readonly Tier[], measure: 'revenue' | 'count', ctx: z.RefinementCtx): void {
  tiers.forEach((tier, index) => {
    const from = new Decimal(tier.from);
    const path = ['tiers', index];
    if (measure === 'count' && (!from.isInteger() || (tier.to !== null && !new Decimal(tier.to).isInteger()))) {
      issue(ctx, 'tiers_count_bound_not_integer', `tier ${index + 1} bounds must be whole counts when tiers are on the count`, path);
    }
    if (index === 0 && !from.isZero()) issue(ctx, 'tiers_not_from_zero', `the first tier must start at 0, not ${tier.from}`, [...path, 'from']);
    const previous = tiers[index - 1];
    if (previous !== undefined && previous.to !== null) {
      const cmp = from.comparedTo(previous.to);
      if (cmp < 0) issue(ctx, 'tiers_overlap', `tier ${index + 1} starts at ${tier.from}, inside tier ${index} (which ends at ${previous.to})`, [...path, 'from']);
      if (cmp > 0) issue(ctx, 'tiers_gap', `gap between tier ${index} (ends at ${previous.to}) and tier ${index + 1} (starts at ${tier.from})`, [...path, 'from']);
    }
    if (tier.to === null && index !== tiers.length - 1) issue(ctx, 'tiers_overlap', `tier ${index + 1} is open-ended but tier ${index + 2} follows it`, [...path, 'to']);
    if (tier.to !== null && !new Decimal(tier.to).greaterThan(from)) issue(ctx, 'tiers_empty_band', `tier ${index + 1} ends at ${tier.to}, not above its start ${tier.from}`, [...path, 'to']);
  });
  const last = tiers[tiers.length - 1];
  if (last !== undefined && last.to !== null) issue(ctx, 'tiers_not_open_ended', `the last tier must be open-ended (to: null), not end at ${last.to}`, ['tiers', tiers.length - 1, 'to']);
}

/** A share: always normalized to a list of tiers (a flat rate is one open tier). */
export const Share = ShareInput.superRefine((share, ctx) => {
  if (share.rate !== undefined && share.tiers !== undefined) issue(ctx, 'tiers_rate_and_tiers', 'give either rate (flat) or tiers, not both');
  if (share.rate === undefined && share.tiers === undefined) issue(ctx, 'tiers_missing', 'a share needs rate (flat) or tiers');
  if (share.tiers !== undefined) checkTiers(share.tiers, share.measure, ctx);
}).transform(({ rate, tiers, ...rest }) => ({ ...rest, tiers: tiers ?? [{ from: '0', to: null, rate: rate ?? '0' }] }));
export type Share = z.infer<typeof Share>;

export const Terms = z
  .object({
    revenueBase: RevenueBase.prefault({}),
    share: Share,
    productOverrides: z.array(z.object({ productId: z.string().min(1), share: Share }).strict()).default([]),
    platformFee: z
      .object({
        basis: z.enum(['none', 'gross', 'net']).default('none'),
        rate: Percent.default('0'),
        /** separate: deducted from the partner's share after the split; part-of-split: taken off the base before it. */
        split: z.enum(['separate', 'part-of-split']).default('separate'),
        /**
         * Where the fee stops at zero: per product group (a group with a negative basis pays no fee,
         * the others pay in full), or on the total (a negative group's fee offsets the others', and
         * only a negative total pays no fee). Default: product-group, the behaviour before the option.
         */
        floor: z.enum(['product-group', 'total']).default('product-group'),
      })
      .strict()
      .prefault({}),
    transactionFee: z.object({ amount: Amount.default('0'), kinds: z.array(TransactionKind).default(['sale']) }).strict().prefault({}),
    /** Default chosen here: a periodic fee is charged in empty periods too (the contract names a fee per period). */
    periodicFee: z.object({ amount: Amount.default('0'), chargeInEmptyPeriods: z.boolean().default(true) }).strict().prefault({}),
    /** VAT/GST on fees charged to the partner; an empty rate table means none. */
    vatOnFees: z.object({ treatment: z.enum(['added', 'included']).default('added'), ratesByJurisdiction: z.record(z.string(), Percent).default({}) }).strict().prefault({}),
    minimumGuarantee: z
      .object({ amount: Amount.default('0'), recoupable: z.boolean().default(false), applyInEmptyPeriods: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /** The advance balance itself travels in PartnerLedgerState; `amount` seeds it when no state is given. */
    advance: z
      .object({ amount: Amount.default('0'), recoupFrom: z.enum(['share', 'net-payable']).default('share'), maxRatePerPeriod: Percent.default('100') })
      .strict()
      .prefault({}),
    cap: z.object({ amount: Amount.nullable().default(null), apply: z.enum(['before-mg', 'after-mg']).default('after-mg') }).strict().prefault({}),
    negativeBalance: z.enum(['carry-forward', 'write-off']).default('carry-forward'),
    withholding: z
      .object({
        ratesByJurisdiction: z.record(z.string(), Percent).default({}),
        basis: z.enum(['gross-share', 'cash-paid']).default('cash-paid'),
        timing: z.enum(['after-carry-and-recoupment', 'before-carry-and-recoupment']).default('after-carry-and-recoupment'),
      })
      .strict()
      .prefault({}),
    fx: z
      .object({
        rateDate: z.enum(['transaction-date', 'period-end', 'payment-date', 'monthly-average']).default('transaction-date'),
        lookup: z.enum(['exact', 'latest-earlier']).default('exact'),
        lookbackDaysMax: z.number().int().min(0).max(31).default(0),
        /** Default chosen here: direct, so a cross rate is never derived unless the contract says so. */
        route: z.enum(['direct', 'via-base']).default('direct'),
        chargebackRate: z.enum(['own-date', 'original-sale']).default('own-date'),
        /**
         * A provider's pair table (date,base,quote,rate) may quote only the reverse of the pair a
         * transaction needs: "refuse" makes that a missing rate, "invert" uses 1/rate (shown as
         * inverted on the statement). Default chosen here: refuse, so no rate is silently inverted.
         * An ECB-style table quotes every currency against its base by definition; converting into
         * the base is how that table is read, and its derivation always says "inverted".
         */
        reverseRates: z.enum(['refuse', 'invert']).default('refuse'),
        /**
         * Which of a transaction's dates is "the transaction date" for rateDate transaction-date and
         * monthly-average: the event (occurrence), its booking date, or its value date; a source
         * without that date falls back to the event date. Default: event, the behaviour before the option.
         */
        transactionDate: z.enum(['event', 'booking', 'value']).default('event'),
      })
      .strict()
      .prefault({}),
    /** Default chosen here: open-period (a late transaction is booked by its booking date). */
    lateTransactions: z.enum(['open-period', 'restate']).default('open-period'),
    /**
     * Under "open-period", the date that assigns a transaction to a period: its booking date
     * (camt BookgDt, MT940 entry date, Stripe created, a profile's booking column), its value date
     * (ValDt, MT940 value date, Stripe available_on), or the event itself; a source without that
     * date falls back to the event date. "restate" always uses the event date. Default: booking.
     */
    periodDate: z.enum(['booking', 'value', 'event']).default('booking'),
    /**
     * scope "transaction": each transaction's converted amount is rounded, then each transaction's
     * share of it, and the statement sums those (royalty contracts); it needs flat shares and no
     * platform fee inside the split, since a tier or a fee taken off the base is not known per row.
     */
    rounding: z.object({ mode: z.enum(['half-even', 'half-up', 'down', 'up']).default('half-even'), scope: z.enum(['transaction', 'line', 'product-group', 'total']).default('line') }).strict().prefault({}),
    minimumPayout: Amount.default('0'),
  })
  .strict()
  .superRefine((terms, ctx) => {
    const seen = new Set<string>();
    terms.productOverrides.forEach((override, index) => {
      if (seen.has(override.productId)) issue(ctx, 'product_override_duplicate', `product ${override.productId} has two overrides`, ['productOverrides', index]);
      seen.add(override.productId);
    });
    if (terms.rounding.scope === 'transaction') {
      const shares: Array<[Share, (string | number)[]]> = [[terms.share, ['share']], ...terms.productOverrides.map((each, index): [Share, (string | number)[]] => [each.share, ['productOverrides', index, 'share']])];
      for (const [share, path] of shares) {
        if (share.tiers.length !== 1) issue(ctx, 'rounding_transaction_needs_flat_share', 'rounding per transaction needs a flat share (rate), not tiers: a tier is reached by the sum, not by one transaction', path);
      }
      if (terms.platformFee.basis !== 'none' && terms.platformFee.split === 'part-of-split') {
        issue(ctx, 'rounding_transaction_fee_in_split', 'rounding per transaction needs the platform fee separate from the split: a fee taken off the base is not known per transaction', ['platformFee', 'split']);
      }
    }
    if (terms.fx.lookup === 'exact' && terms.fx.lookbackDaysMax !== 0) issue(ctx, 'lookback_without_latest_earlier', 'lookbackDaysMax needs lookup "latest-earlier"', ['fx', 'lookbackDaysMax']);
  });
export type Terms = z.infer<typeof Terms>;

const AgreementVersionInput = z
  .object({
    agreementId: z.string().min(1),
    partnerId: z.string().min(1),
    version: z.number().int().min(1),
    effectiveFrom: DateString,
    /** Inclusive; null = open-ended. */
    effectiveTo: DateString.nullable().default(null),
    /** Drives VAT and withholding rates: ISO 3166 country, optionally with a subdivision ("CA-QC"). */
    partnerJurisdiction: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'expected a jurisdiction like "DE" or "CA-QC"'),
    settlementCurrency: z.string().refine(isCurrencyCode, 'expected an ISO 4217 currency code'),
    terms: Terms,
  })
  .strict();

export const AgreementVersion = AgreementVersionInput.superRefine((agreement, ctx) => {
  if (agreement.effectiveTo !== null && agreement.effectiveTo < agreement.effectiveFrom) {
    issue(ctx, 'effective_dates_inverted', `effectiveTo ${agreement.effectiveTo} is before effectiveFrom ${agreement.effectiveFrom}`, ['effectiveTo']);
  }
  const { terms } = agreement;
  // An unknown currency is already an issue (settlementCurrency's refine); its digits are unknown, so no precision check.
  const digits = isCurrencyCode(agreement.settlementCurrency) ? minorUnitsOf(agreement.settlementCurrency) : null;
  const amounts: Array<[string | null, (string | number)[]]> = [
    [terms.transactionFee.amount, ['terms', 'transactionFee', 'amount']],
    [terms.periodicFee.amount, ['terms', 'periodicFee', 'amount']],
    [terms.minimumGuarantee.amount, ['terms', 'minimumGuarantee', 'amount']],
    [terms.advance.amount, ['terms', 'advance', 'amount']],
    [terms.cap.amount, ['terms', 'cap', 'amount']],
    [terms.minimumPayout, ['terms', 'minimumPayout']],
  ];
  for (const [amount, path] of amounts) {
    if (digits !== null && amount !== null && new Decimal(amount).decimalPlaces() > digits) {
      issue(ctx, 'amount_precision', `${amount} has more decimals than ${agreement.settlementCurrency} allows (${digits})`, path);
    }
  }
  const vatRates = terms.vatOnFees.ratesByJurisdiction;
  if (Object.keys(vatRates).length > 0 && vatRates[agreement.partnerJurisdiction] === undefined) {
    issue(ctx, 'vat_rate_missing', `no VAT rate for jurisdiction ${agreement.partnerJurisdiction}`, ['terms', 'vatOnFees', 'ratesByJurisdiction']);
  }
  const whtRates = terms.withholding.ratesByJurisdiction;
  if (Object.keys(whtRates).length > 0 && whtRates[agreement.partnerJurisdiction] === undefined) {
    issue(ctx, 'withholding_rate_missing', `no withholding rate for jurisdiction ${agreement.partnerJurisdiction}`, ['terms', 'withholding', 'ratesByJurisdiction']);
  }
});
export type AgreementVersion = z.infer<typeof AgreementVersion>;
export type AgreementVersionInput = z.input<typeof AgreementVersion>;

function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}

function toAgreementError(error: z.ZodError, file: string | undefined): AgreementError {
  const first = error.issues[0];
  const params = first !== undefined && first.code === 'custom' ? (first.params as { code?: AgreementErrorCode } | undefined) : undefined;
  const code = params?.code ?? 'agreement_shape';
  const where = first === undefined ? '$' : `$${pathText(first.path)}`;
  const message = `${file === undefined ? '' : `${file}: `}${where}: ${first?.message ?? 'invalid agreement'}`;
  const issues = error.issues.map((each) => ({ path: `$${pathText(each.path)}`, message: each.message }));
  // The path as keys and indexes, so a caller holding the file's text can add the line.
  const path = (first?.path ?? []).filter((part): part is string | number => typeof part !== 'symbol');
  return new AgreementError(code, message, { ...(file === undefined ? {} : { file }), column: where }, { issues, path });
}

/**
 * Which version is in force. Versions of ONE agreement (same agreementId) are amendments: a later
 * version supersedes the earlier ones from its own effectiveFrom, so on a date the highest version
 * number whose range covers the date wins (a v2 with v1's open-ended dates replaces v1 entirely;
 * a v2 ending before v1 hands back to v1 after its end). DIFFERENT agreements of one partner must
 * not cover the same date: which contract applies would be a guess, so that is refused.
 */
function covers(version: Pick<AgreementVersion, 'effectiveFrom' | 'effectiveTo'>, date: string): boolean {
  return version.effectiveFrom <= date && (version.effectiveTo === null || date <= version.effectiveTo);
}

interface Coverage {
  readonly agreementId: string;
  readonly from: string;
  /** Inclusive; null = open-ended. */
  readonly to: string | null;
}

/** The dates an agreement covers (any of its versions), as disjoint ranges sorted by start. */
function coverageOf(agreementId: string, versions: readonly AgreementVersion[]): Coverage[] {
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
  const ranges: Coverage[] = [];
  for (const version of sorted) {
    const last = ranges.at(-1);
    // Ranges that overlap are one stretch of the agreement (ISO dates compare as text).
    if (last !== undefined && (last.to === null || last.to >= version.effectiveFrom)) {
      const to = last.to === null || version.effectiveTo === null ? null : last.to > version.effectiveTo ? last.to : version.effectiveTo;
      ranges[ranges.length - 1] = { ...last, to };
    } else {
      ranges.push({ agreementId, from: version.effectiveFrom, to: version.effectiveTo });
    }
  }
  return ranges;
}

/** Versions read from several files are checked together: no duplicate version, one partner per agreement, no two agreements of a partner in force on one date. */
export function checkAgreementVersions(versions: readonly AgreementVersion[], file?: string): void {
  const location = file === undefined ? {} : { file };
  const byAgreement = new Map<string, AgreementVersion[]>();
  const ids = new Set<string>();
  for (const version of versions) {
    const id = `${version.agreementId}#${version.version}`;
    if (ids.has(id)) throw new AgreementError('agreement_version_duplicate', `agreement ${version.agreementId} has version ${version.version} twice`, location, { agreementId: version.agreementId });
    ids.add(id);
    const list = byAgreement.get(version.agreementId) ?? [];
    const other = list.find((each) => each.partnerId !== version.partnerId);
    if (other !== undefined) {
      throw new AgreementError('agreement_partner_changes', `agreement ${version.agreementId}: v${other.version} is for partner ${other.partnerId}, v${version.version} for ${version.partnerId}; a new partner needs its own agreement`, location, { agreementId: version.agreementId });
    }
    byAgreement.set(version.agreementId, [...list, version]);
  }
  const byPartner = new Map<string, Coverage[]>();
  for (const [agreementId, list] of byAgreement) {
    const partnerId = list[0]?.partnerId ?? '';
    byPartner.set(partnerId, [...(byPartner.get(partnerId) ?? []), ...coverageOf(agreementId, list)]);
  }
  for (const [partnerId, ranges] of byPartner) {
    // One agreement's ranges are disjoint, so an overlap in start order is between two agreements.
    const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    let reach: Coverage | undefined;
    for (const current of sorted) {
      if (reach !== undefined && (reach.to === null || reach.to >= current.from)) {
        throw new AgreementError(
          'effective_dates_overlap',
          `partner ${partnerId}: agreement ${reach.agreementId} (${reach.from}..${reach.to ?? 'open'}) overlaps agreement ${current.agreementId} from ${current.from}; a change to one agreement is a new version of it`,
          location,
          { partnerId },
        );
      }
      if (reach === undefined || (reach.to !== null && (current.to === null || current.to > reach.to))) reach = current;
    }
  }
}

/** Parses and validates agreement versions; throws an AgreementError with a specific code on the first problem. */
export function parseAgreements(input: unknown, options: { readonly file?: string } = {}): AgreementVersion[] {
  const parsed = z.array(AgreementVersion).safeParse(input);
  if (!parsed.success) throw toAgreementError(parsed.error, options.file);
  checkAgreementVersions(parsed.data, options.file);
  return parsed.data;
}

/** The flat share rate of a product (its override, else the default share): used by rounding per transaction. */
export function flatRateOf(terms: Terms, productId: string | null): string {
  const share = (productId === null ? undefined : terms.productOverrides.find((each) => each.productId === productId)?.share) ?? terms.share;
  const only = share.tiers[0];
  assert(share.tiers.length === 1 && only !== undefined, 'rounding per transaction has flat shares (checked by the schema)', { productId });
  return only.rate;
}

/**
 * The version in force on `date` for a partner, or null: of the versions covering the date, the
 * highest version number (a later version supersedes earlier ones from its effectiveFrom; see
 * checkAgreementVersions for the rule and why two agreements never cover one date).
 */
export function versionOn(versions: readonly AgreementVersion[], partnerId: string, date: string): AgreementVersion | null {
  let found: AgreementVersion | null = null;
  for (const version of versions) {
    if (version.partnerId === partnerId && covers(version, date) && (found === null || version.version > found.version)) found = version;
  }
  return found;
}

export const KINDS = TRANSACTION_KINDS;
