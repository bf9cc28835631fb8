import { assert } from '../assert.ts';
import { Decimal } from '../money/decimal.ts';
import { minorUnitsOf } from '../money/iso4217.ts';
import type { TransactionKind } from '../transactions/schema.ts';
import type { AgreementVersion, Share, Terms } from './agreement.ts';
import type { LineAggregate, PartnerAggregate, Period } from './base.ts';
import { paysCash, settleBalance } from './carry.ts';
import { contractYearStartOf } from './dates.ts';
import { SettlementError } from './errors.ts';
import { chargedFees, totalFees } from './fees.ts';
import { applyGuarantees, recoupAdvance } from './guarantees.ts';
import { percentOf, rounder, ZERO, type Rounder } from './round.ts';
import type { PartnerLedgerState } from './state.ts';
import { vatOnFees, withholding } from './tax.ts';
import { tieredShare, type TierResult } from './tiers.ts';

/**
 * The statement model: everything a partner is owed for a period and why. Every amount is a
 * decimal string in the settlement currency (exact when the rounding scope leaves it exact),
 * every line says which transactions, rule, tier, rate and rounding produced it. Statements are
 * plain JSON data, so canonical JSON and its SHA-256 identify them (see hash.ts).
 */
export const STATEMENT_SCHEMA = 'settledesk.statement/1';

/** A line as aggregated (product, currency, counts, kinds; `fx`: one entry per rate used, with the weighted base it converted), then rounded. */
export interface StatementLine extends Pick<LineAggregate, 'productId' | 'currency' | 'transactionCount' | 'lateCount' | 'kinds' | 'fx'> {
  readonly baseExact: string;
  readonly base: string;
  readonly rounding: string;
}

export interface StatementBand {
  readonly from: string;
  readonly to: string | null;
  readonly rate: string;
  readonly measure: string;
  readonly share: string;
}

export interface StatementGroup {
  /** "default", or "product:<id>" for a product with its own share. */
  readonly key: string;
  readonly lines: readonly StatementLine[];
  readonly base: string;
  /** Shown when a platform fee is on gross: the base over kinds weighted +1. */
  readonly gross: string | null;
  readonly platformFee: string;
  readonly splitBase: string;
  readonly measure: { readonly kind: 'revenue' | 'count'; readonly before: string; readonly period: string };
  readonly rule: string;
  readonly bands: readonly StatementBand[];
  readonly share: string;
  /** Only under rounding per transaction: the sums of rounded amounts minus the unrounded ones (base, share). */
  readonly roundingResidue?: { readonly base: string; readonly share: string };
}

export type AdjustmentCode =
  | 'mg_top_up'
  | 'mg_recouped'
  | 'cap'
  | 'platform_fee'
  | 'transaction_fee'
  | 'periodic_fee'
  | 'vat_on_fees'
  | 'advance_recouped'
  | 'carry_in'
  | 'withholding'
  | 'carry_out'
  | 'written_off';

export interface Adjustment {
  readonly code: AdjustmentCode;
  /** Signed effect on what the partner receives this period. */
  readonly amount: string;
  readonly explanation: string;
}

export interface StatementTotals {
  readonly grossBase: string;
  readonly shareEarned: string;
  readonly platformSplit: string;
  readonly platformFeeInSplit: string;
  readonly mgTopUp: string;
  readonly mgRecouped: string;
  readonly capReduction: string;
  readonly shareOwed: string;
  readonly feesCharged: string;
  readonly feesNet: string;
  readonly vatOnFees: string;
  readonly advanceRecouped: string;
  readonly carryIn: string;
  readonly withholdingTax: string;
  readonly carryOut: string;
  readonly writtenOff: string;
  readonly payable: string;
  /** What the platform keeps: split, less top-ups, plus recoupments and cap, less write-offs. */
  readonly platformRetained: string;
}

export interface Statement {
  readonly schema: typeof STATEMENT_SCHEMA;
  readonly partnerId: string;
  readonly agreement: { readonly agreementId: string; readonly version: number; readonly effectiveFrom: string; readonly effectiveTo: string | null; readonly partnerJurisdiction: string };
  readonly period: Period;
  readonly revision: number;
  readonly paymentDate: string | null;
  readonly settlementCurrency: string;
  readonly currencyDigits: number;
  /** The options in force: the agreement's terms with every default filled in. */
  readonly options: Terms;
  readonly transactionCount: number;
  readonly groups: readonly StatementGroup[];
  readonly adjustments: readonly Adjustment[];
  readonly totals: StatementTotals;
  /** grossBase + carryIn = payable + carryOut + platformRetained + fees (net) + taxes, written out. */
  readonly conservation: string;
  /**
   * Only under rounding per transaction: what rounding each transaction added to the base and the
   * share, against the unrounded totals (rounded sum - unrounded sum; absent under other scopes).
   */
  readonly roundingResidue?: { readonly base: string; readonly share: string; readonly baseUnrounded: string; readonly shareUnrounded: string };
  readonly stateIn: PartnerLedgerState;
  readonly stateOut: PartnerLedgerState;
}

export interface StatementContext {
  readonly agreement: AgreementVersion;
  readonly period: Period;
  readonly revision: number;
  readonly paymentDate: string | null;
  readonly state: PartnerLedgerState;
}

interface GroupResult {
  readonly group: StatementGroup;
  readonly base: Decimal;
  readonly share: Decimal;
  readonly fee: Decimal;
  readonly measureAfter: Decimal;
  readonly residue: { readonly base: Decimal; readonly share: Decimal } | null;
}

const DEFAULT_GROUP = 'default';

function groupKeyOf(line: LineAggregate, overridden: ReadonlySet<string>): string {
  return line.productId !== null && overridden.has(line.productId) ? `product:${line.productId}` : DEFAULT_GROUP;
}

function shareOf(terms: Terms, key: string): Share {
  if (key === DEFAULT_GROUP) return terms.share;
  const override = terms.productOverrides.find((each) => `product:${each.productId}` === key);
  assert(override !== undefined, 'a product group has its override', { key });
  return override.share;
}

function statementLine(line: LineAggregate, round: Rounder): { line: StatementLine; base: Decimal; gross: Decimal } {
  const exact = new Decimal(line.base);
  const perTransaction = line.perTransaction;
  const base = perTransaction === undefined ? round.at('line', exact) : new Decimal(perTransaction.base);
  const gross = round.at('line', new Decimal(line.gross ?? 0));
  const rounding =
    perTransaction !== undefined
      ? `each transaction's conversion rounded ${round.mode}: sum ${round.text(base)} against ${line.base} unrounded`
      : base.equals(exact)
        ? 'exact'
        : `${line.base} rounded ${round.mode} to ${round.text(base)}`;
  return { line: { productId: line.productId, currency: line.currency, transactionCount: line.transactionCount, lateCount: line.lateCount, kinds: line.kinds, fx: line.fx, baseExact: line.base, base: round.text(base), rounding }, base, gross };
}

/** A kind adds to a count tier when the share's countedKinds names it (or, by default, when the base weights it +1). */
function countsUp(share: Share, kind: TransactionKind, weight: number): boolean {
  return share.countedKinds === 'weighted-plus-one' ? weight > 0 : share.countedKinds.includes(kind);
}

export function countMeasure(lines: readonly LineAggregate[], share: Share): Decimal {
  let count = 0;
  for (const line of lines) {
    for (const kind of line.kinds) {
      if (countsUp(share, kind.kind, kind.weight)) count += kind.count;
      else if (kind.weight < 0 && share.countRefunds === 'net') count -= kind.count;
    }
  }
  return new Decimal(count);
}

/**
 * How a group's platform fee is floored: "group" stops each group's fee at zero; "none" lets a
 * group's fee go negative (the total floor, when the total basis is positive); "zero" charges no
 * fee (the total floor, when the total basis is zero or negative).
 */
type FeeFloor = 'group' | 'none' | 'zero';

function feeBasisOf(terms: Terms, base: Decimal, gross: Decimal): Decimal {
  return terms.platformFee.basis === 'gross' ? gross : terms.platformFee.basis === 'net' ? base : ZERO;
}

function groupFee(terms: Terms, feeBasis: Decimal, floor: FeeFloor, round: Rounder): Decimal {
  if (floor === 'zero' || (floor === 'group' && !feeBasis.greaterThan(0))) return ZERO;
  return round.at('group', percentOf(feeBasis, terms.platformFee.rate));
}

function groupBases(lines: readonly LineAggregate[], round: Rounder): { built: ReturnType<typeof statementLine>[]; base: Decimal; gross: Decimal } {
  const built = lines.map((line) => statementLine(line, round));
  const base = round.at('group', built.reduce((total, each) => total.plus(each.base), ZERO));
  const gross = round.at('group', built.reduce((total, each) => total.plus(each.gross), ZERO));
  return { built, base, gross };
}

function buildGroup(key: string, lines: readonly LineAggregate[], ctx: StatementContext, round: Rounder, yearStart: string | null, floor: FeeFloor): GroupResult {
  const terms = ctx.agreement.terms;
  const share = shareOf(terms, key);
  const { built, base, gross } = groupBases(lines, round);
  const fee = terms.platformFee;
  const platformFee = groupFee(terms, feeBasisOf(terms, base, gross), floor, round);
  const splitBase = fee.split === 'part-of-split' ? base.minus(platformFee) : base;
  const measureThis = share.measure === 'revenue' ? splitBase : countMeasure(lines, share);
  const accumulated = share.period === 'contract-year' && ctx.state.tierAccumulation !== null && ctx.state.tierAccumulation.contractYearStart === yearStart ? ctx.state.tierAccumulation.groups[key] : undefined;
  const measureBefore = accumulated === undefined ? ZERO : new Decimal(accumulated.measure);
  const perTransaction = terms.rounding.scope === 'transaction' ? perTransactionShare(lines, share, base) : null;
  const tiers = perTransaction?.tiers ?? tieredShare({ share, splitBase, measureThis, measureBefore });
  const bands = tiers.bands.map((band) => ({ ...band, share: round.at('line', band.share) }));
  const groupShare = round.at('group', bands.reduce((total, band) => total.plus(band.share), ZERO));
  const residue = perTransaction === null ? null : { base: base.minus(perTransaction.exactBase), share: groupShare.minus(perTransaction.exactShare) };
  const group: StatementGroup = {
    key,
    lines: built.map((each) => each.line),
    base: round.text(base),
    gross: fee.basis === 'gross' ? round.text(gross) : null,
    platformFee: round.text(platformFee),
    splitBase: round.text(splitBase),
    measure: { kind: share.measure, before: measureBefore.toFixed(), period: measureThis.toFixed() },
    rule: tiers.rule,
    bands: bands.map((band) => ({ from: band.from, to: band.to, rate: band.rate, measure: band.measure, share: round.text(band.share) })),
    share: round.text(groupShare),
    ...(residue === null ? {} : { roundingResidue: { base: residue.base.toFixed(), share: residue.share.toFixed() } }),
  };
  return { group, base, share: groupShare, fee: platformFee, measureAfter: measureBefore.plus(measureThis), residue };
}

/**
 * Rounding per transaction: the group's share is the sum of each transaction's rounded share (a
 * flat rate; the schema refuses tiers), zero when the base is negative and the share says so. The
 * unrounded base and share are returned too, for the residue the statement shows.
 */
function perTransactionShare(lines: readonly LineAggregate[], share: Share, base: Decimal): { tiers: TierResult; exactBase: Decimal; exactShare: Decimal } {
  const tier = share.tiers[0];
  assert(tier !== undefined && share.tiers.length === 1, 'rounding per transaction has a flat share');
  const exactBase = lines.reduce((total, line) => total.plus(line.base), ZERO);
  const zero = base.isNegative() && share.negativeBase === 'zero';
  const sum = zero ? ZERO : lines.reduce((total, line) => total.plus(line.perTransaction?.share ?? 0), ZERO);
  const exactShare = zero ? ZERO : percentOf(exactBase, tier.rate);
  const rule = zero ? 'negative base: zero share' : `flat ${tier.rate} %, each transaction's share rounded, then summed`;
  return { tiers: { rule, bands: [{ from: tier.from, to: tier.to, rate: zero ? '0' : tier.rate, measure: base.toFixed(), share: sum }] }, exactBase, exactShare };
}

function contractYear(ctx: StatementContext): string | null {
  const shares = [ctx.agreement.terms.share, ...ctx.agreement.terms.productOverrides.map((each) => each.share)].filter((share) => share.period === 'contract-year');
  const first = shares[0];
  if (first === undefined) return null;
  const start = contractYearStartOf(ctx.period.start, first.contractYearStart);
  for (const share of shares) {
    const each = contractYearStartOf(ctx.period.start, share.contractYearStart);
    if (each !== start || contractYearStartOf(ctx.period.end, share.contractYearStart) !== start) {
      throw new SettlementError('period_spans_contract_year', `period ${ctx.period.start}..${ctx.period.end} crosses a contract year start (${share.contractYearStart}) or mixes contract years`, {
        period: { start: ctx.period.start, end: ctx.period.end },
        contractYearStart: share.contractYearStart,
      });
    }
  }
  return start;
}

function groupsOf(aggregate: PartnerAggregate, ctx: StatementContext, round: Rounder, yearStart: string | null): GroupResult[] {
  const overridden = new Set(ctx.agreement.terms.productOverrides.map((each) => each.productId));
  const byKey = new Map<string, LineAggregate[]>();
  for (const line of aggregate.lines) {
    const key = groupKeyOf(line, overridden);
    byKey.set(key, [...(byKey.get(key) ?? []), line]);
  }
  const keys = [...byKey.keys()].sort();
  const floor = feeFloorOf(ctx.agreement.terms, [...byKey.values()], round);
  return keys.map((key) => buildGroup(key, byKey.get(key) ?? [], ctx, round, yearStart, floor));
}

/** The total floor looks at every group's fee basis first: a positive total charges each group's (possibly negative) fee, else none. */
function feeFloorOf(terms: Terms, groups: readonly (readonly LineAggregate[])[], round: Rounder): FeeFloor {
  if (terms.platformFee.floor === 'product-group') return 'group';
  const total = groups.reduce((sum, lines) => {
    const { base, gross } = groupBases(lines, round);
    return sum.plus(feeBasisOf(terms, base, gross));
  }, ZERO);
  return total.greaterThan(0) ? 'none' : 'zero';
}

function kindCountsOf(aggregate: PartnerAggregate): Map<TransactionKind, number> {
  const counts = new Map<TransactionKind, number>();
  for (const line of aggregate.lines) for (const kind of line.kinds) counts.set(kind.kind, (counts.get(kind.kind) ?? 0) + kind.count);
  return counts;
}

function checkState(ctx: StatementContext): void {
  const { state, agreement } = ctx;
  const balances = [state.carryForward, state.advanceBalance, state.mgRecoupableBalance].some((amount) => !new Decimal(amount).isZero());
  if (state.currency !== agreement.settlementCurrency && balances) {
    throw new SettlementError('state_currency_mismatch', `partner ${state.partnerId}: balances carried in ${state.currency} but the agreement settles in ${agreement.settlementCurrency}`, { carriedCurrency: state.currency, settlementCurrency: agreement.settlementCurrency });
  }
}

function roundingResidueOf(groups: readonly GroupResult[]): Pick<Statement, 'roundingResidue'> {
  const residues = groups.flatMap((each) => (each.residue === null ? [] : [each.residue]));
  if (residues.length === 0) return {};
  const base = residues.reduce((total, each) => total.plus(each.base), ZERO);
  const share = residues.reduce((total, each) => total.plus(each.share), ZERO);
  const baseRounded = groups.reduce((total, each) => total.plus(each.base), ZERO);
  const shareRounded = groups.reduce((total, each) => total.plus(each.share), ZERO);
  return { roundingResidue: { base: base.toFixed(), share: share.toFixed(), baseUnrounded: baseRounded.minus(base).toFixed(), shareUnrounded: shareRounded.minus(share).toFixed() } };
}

/** Builds one partner's statement for a period from its aggregates and ledger state. Pure. */
export function buildStatement(aggregate: PartnerAggregate, ctx: StatementContext): Statement {
  checkState(ctx);
  const { agreement } = ctx;
  const terms = agreement.terms;
  const currency = agreement.settlementCurrency;
  const digits = minorUnitsOf(currency);
  const round = rounder(terms.rounding, digits);
  const yearStart = contractYear(ctx);
  const groups = groupsOf(aggregate, ctx, round, yearStart);
  const empty = aggregate.transactionCount === 0;
  const grossBase = round.at('total', groups.reduce((total, each) => total.plus(each.base), ZERO));
  const shareEarned = round.at('total', groups.reduce((total, each) => total.plus(each.share), ZERO));
  const platformFeeTotal = round.at('total', groups.reduce((total, each) => total.plus(each.fee), ZERO));
  const feeInSplit = terms.platformFee.split === 'part-of-split' ? platformFeeTotal : ZERO;
  const feeSeparate = terms.platformFee.split === 'separate' ? platformFeeTotal : ZERO;
  const platformSplit = grossBase.minus(feeInSplit).minus(shareEarned);

  const guarantees = applyGuarantees(shareEarned, terms, empty, new Decimal(ctx.state.mgRecoupableBalance));
  const feeLines = chargedFees(terms, feeSeparate, kindCountsOf(aggregate), empty).map((line) => ({ ...line, amount: round.money(line.amount) }));
  const vat = vatOnFees(agreement, totalFees(feeLines), round);
  const netBeforeCarry = guarantees.share.minus(vat.charged);
  const carryIn = new Decimal(ctx.state.carryForward);
  const advanceIn = new Decimal(ctx.state.advanceBalance);
  const advanceBasis = terms.advance.recoupFrom === 'share' ? guarantees.share : netBeforeCarry.plus(carryIn);
  const advanceRecouped = recoupAdvance(terms, advanceBasis, advanceIn, round);
  const owed = netBeforeCarry.minus(advanceRecouped).plus(carryIn);
  const grossShareTax = terms.withholding.basis === 'gross-share';
  const wht = withholding(agreement, { share: guarantees.share, netBeforeCarry, advanceRecouped, carryIn, paysCash: grossShareTax || paysCash(terms, owed) }, round);
  const balance = owed.minus(wht.tax);
  const carry = settleBalance(terms, balance, owed);

  const platformRetained = platformSplit.minus(guarantees.mgTopUp).plus(guarantees.mgRecouped).plus(guarantees.capReduction).plus(advanceRecouped).minus(carry.writtenOff);
  const feesNet = feeInSplit.plus(vat.feesNet);
  const taxes = vat.vat.plus(wht.tax);
  const left = grossBase.plus(carryIn);
  const right = carry.payable.plus(carry.carryOut).plus(platformRetained).plus(feesNet).plus(taxes);
  assert(left.equals(right), 'statement conserves the gross base', { left: left.toFixed(), right: right.toFixed(), partnerId: aggregate.partnerId });
  assert(!carry.payable.isNegative(), 'payable is never negative', { payable: carry.payable.toFixed() });

  const adjustments: Adjustment[] = [];
  const push = (code: AdjustmentCode, amount: Decimal, explanation: string | null): void => {
    if (!amount.isZero()) adjustments.push({ code, amount: round.text(amount), explanation: explanation ?? code });
  };
  push('mg_top_up', guarantees.mgTopUp, guarantees.mgNote);
  push('mg_recouped', guarantees.mgRecouped.negated(), guarantees.mgNote);
  push('cap', guarantees.capReduction.negated(), guarantees.capNote);
  for (const line of feeLines) push(line.code, line.amount.negated(), `${line.explanation}${vat.rate !== null && terms.vatOnFees.treatment === 'included' ? ` (VAT ${vat.rate} % included)` : ''}`);
  if (terms.vatOnFees.treatment === 'added') push('vat_on_fees', vat.vat.negated(), vat.explanation);
  push('advance_recouped', advanceRecouped.negated(), `advance recouped from ${terms.advance.recoupFrom}, at most ${terms.advance.maxRatePerPeriod} % of ${round.text(advanceBasis)}, ${round.text(advanceIn)} outstanding`);
  push('carry_in', carryIn, `balance carried in from the previous period`);
  push('withholding', wht.tax.negated(), wht.explanation);
  push('carry_out', carry.carryOut.negated(), carry.explanation);
  push('written_off', carry.writtenOff, carry.explanation);

  const t = (value: Decimal): string => round.text(value);
  const totals: StatementTotals = {
    grossBase: t(grossBase),
    shareEarned: t(shareEarned),
    platformSplit: t(platformSplit),
    platformFeeInSplit: t(feeInSplit),
    mgTopUp: t(guarantees.mgTopUp),
    mgRecouped: t(guarantees.mgRecouped),
    capReduction: t(guarantees.capReduction),
    shareOwed: t(guarantees.share),
    feesCharged: t(vat.charged),
    feesNet: t(feesNet),
    vatOnFees: t(vat.vat),
    advanceRecouped: t(advanceRecouped),
    carryIn: t(carryIn),
    withholdingTax: t(wht.tax),
    carryOut: t(carry.carryOut),
    writtenOff: t(carry.writtenOff),
    payable: t(carry.payable),
    platformRetained: t(platformRetained),
  };
  const accumulation = yearStart === null ? null : { contractYearStart: yearStart, groups: mergeAccumulation(ctx.state, yearStart, groups) };
  const stateOut: PartnerLedgerState = {
    partnerId: aggregate.partnerId,
    currency,
    carryForward: t(carry.carryOut),
    advanceBalance: t(advanceIn.minus(advanceRecouped)),
    mgRecoupableBalance: t(guarantees.mgBalanceOut),
    tierAccumulation: accumulation,
    lastPeriodEnd: ctx.period.end,
  };
  return {
    schema: STATEMENT_SCHEMA,
    partnerId: aggregate.partnerId,
    agreement: { agreementId: agreement.agreementId, version: agreement.version, effectiveFrom: agreement.effectiveFrom, effectiveTo: agreement.effectiveTo, partnerJurisdiction: agreement.partnerJurisdiction },
    period: ctx.period,
    revision: ctx.revision,
    paymentDate: ctx.paymentDate,
    settlementCurrency: currency,
    currencyDigits: digits,
    options: terms,
    transactionCount: aggregate.transactionCount,
    groups: groups.map((each) => each.group),
    adjustments,
    totals,
    conservation: `${t(grossBase)} + ${t(carryIn)} = ${t(carry.payable)} + ${t(carry.carryOut)} + ${t(platformRetained)} + ${t(feesNet)} + ${t(taxes)}`,
    ...roundingResidueOf(groups),
    stateIn: ctx.state,
    stateOut,
  };
}

function mergeAccumulation(state: PartnerLedgerState, yearStart: string, groups: readonly GroupResult[]): Record<string, { measure: string }> {
  const previous = state.tierAccumulation !== null && state.tierAccumulation.contractYearStart === yearStart ? state.tierAccumulation.groups : {};
  const merged: Record<string, { measure: string }> = { ...previous };
  for (const each of groups) merged[each.group.key] = { measure: each.measureAfter.toFixed() };
  return merged;
}
