import { currencyCodes } from '../../../../core/money/iso4217.ts';
import { TRANSACTION_KINDS } from '../../../../core/transactions/schema.ts';

/**
 * Every field of the agreement editor, as data: the schema path it edits, how it is entered, and
 * its choices. The option lists are core/settlement/agreement.ts's enums written out (the test
 * parses every option through the schema and checks that every leaf of a parsed agreement has a
 * field here, so a new contract option cannot be left out of the editor silently).
 */
export type FieldKind =
  | { readonly kind: 'fixed' }
  | { readonly kind: 'text'; readonly placeholder?: string }
  | { readonly kind: 'date'; readonly nullable: boolean }
  | { readonly kind: 'percent' }
  | { readonly kind: 'amount'; readonly nullable: boolean }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'weight' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'currency' }
  | { readonly kind: 'kinds' }
  | { readonly kind: 'counted-kinds' }
  | { readonly kind: 'tiers' }
  | { readonly kind: 'rates-by-jurisdiction' }
  | { readonly kind: 'product-overrides' };

export interface FieldSpec {
  /** Names the label (fields.<id>) and the options (options.<id>.<value>) in the partners texts. */
  readonly id: string;
  /** Schema path, dotted; under a share it is relative to the share ("method"). */
  readonly path: string;
  readonly input: FieldKind;
}

export interface SectionSpec {
  readonly id: string;
  readonly fields: readonly FieldSpec[];
}

const enumOf = (...options: string[]): FieldKind => ({ kind: 'enum', options });
const AMOUNT: FieldKind = { kind: 'amount', nullable: false };

/** The fields of a share (the default share and each product override's), relative to the share. */
export const SHARE_FIELDS: readonly FieldSpec[] = [
  { id: 'tiers', path: 'tiers', input: { kind: 'tiers' } },
  { id: 'method', path: 'method', input: enumOf('marginal', 'retroactive') },
  { id: 'measure', path: 'measure', input: enumOf('revenue', 'count') },
  { id: 'countRefunds', path: 'countRefunds', input: enumOf('net', 'gross') },
  { id: 'countedKinds', path: 'countedKinds', input: { kind: 'counted-kinds' } },
  { id: 'boundary', path: 'boundary', input: enumOf('higher', 'lower') },
  { id: 'tierPeriod', path: 'period', input: enumOf('period', 'contract-year') },
  { id: 'contractYearStart', path: 'contractYearStart', input: { kind: 'text', placeholder: 'MM-DD' } },
  { id: 'negativeBase', path: 'negativeBase', input: enumOf('first-tier-rate', 'zero') },
];

export const KINDS: readonly string[] = TRANSACTION_KINDS;

/** The agreement's sections in editor order; "share" is rendered from SHARE_FIELDS at terms.share. */
export const SECTIONS: readonly SectionSpec[] = [
  {
    id: 'general',
    fields: [
      { id: 'agreementId', path: 'agreementId', input: { kind: 'fixed' } },
      { id: 'partnerId', path: 'partnerId', input: { kind: 'fixed' } },
      { id: 'version', path: 'version', input: { kind: 'fixed' } },
      { id: 'effectiveFrom', path: 'effectiveFrom', input: { kind: 'date', nullable: false } },
      { id: 'effectiveTo', path: 'effectiveTo', input: { kind: 'date', nullable: true } },
      { id: 'partnerJurisdiction', path: 'partnerJurisdiction', input: { kind: 'text', placeholder: 'DE, CA-QC' } },
      { id: 'settlementCurrency', path: 'settlementCurrency', input: { kind: 'currency' } },
    ],
  },
  { id: 'revenueBase', fields: KINDS.map((kind) => ({ id: `weight.${kind}`, path: `terms.revenueBase.${kind}`, input: { kind: 'weight' } })) },
  { id: 'productOverrides', fields: [{ id: 'productOverrides', path: 'terms.productOverrides', input: { kind: 'product-overrides' } }] },
  {
    id: 'platformFee',
    fields: [
      { id: 'platformFeeBasis', path: 'terms.platformFee.basis', input: enumOf('none', 'gross', 'net') },
      { id: 'platformFeeRate', path: 'terms.platformFee.rate', input: { kind: 'percent' } },
      { id: 'platformFeeSplit', path: 'terms.platformFee.split', input: enumOf('separate', 'part-of-split') },
      { id: 'platformFeeFloor', path: 'terms.platformFee.floor', input: enumOf('product-group', 'total') },
    ],
  },
  {
    id: 'fees',
    fields: [
      { id: 'transactionFeeAmount', path: 'terms.transactionFee.amount', input: AMOUNT },
      { id: 'transactionFeeKinds', path: 'terms.transactionFee.kinds', input: { kind: 'kinds' } },
      { id: 'periodicFeeAmount', path: 'terms.periodicFee.amount', input: AMOUNT },
      { id: 'periodicFeeEmpty', path: 'terms.periodicFee.chargeInEmptyPeriods', input: { kind: 'bool' } },
      { id: 'vatTreatment', path: 'terms.vatOnFees.treatment', input: enumOf('added', 'included') },
      { id: 'vatRates', path: 'terms.vatOnFees.ratesByJurisdiction', input: { kind: 'rates-by-jurisdiction' } },
    ],
  },
  {
    id: 'guarantees',
    fields: [
      { id: 'mgAmount', path: 'terms.minimumGuarantee.amount', input: AMOUNT },
      { id: 'mgRecoupable', path: 'terms.minimumGuarantee.recoupable', input: { kind: 'bool' } },
      { id: 'mgEmpty', path: 'terms.minimumGuarantee.applyInEmptyPeriods', input: { kind: 'bool' } },
      { id: 'advanceAmount', path: 'terms.advance.amount', input: AMOUNT },
      { id: 'advanceRecoupFrom', path: 'terms.advance.recoupFrom', input: enumOf('share', 'net-payable') },
      { id: 'advanceMaxRate', path: 'terms.advance.maxRatePerPeriod', input: { kind: 'percent' } },
      { id: 'capAmount', path: 'terms.cap.amount', input: { kind: 'amount', nullable: true } },
      { id: 'capApply', path: 'terms.cap.apply', input: enumOf('before-mg', 'after-mg') },
    ],
  },
  {
    id: 'balances',
    fields: [
      { id: 'negativeBalance', path: 'terms.negativeBalance', input: enumOf('carry-forward', 'write-off') },
      { id: 'minimumPayout', path: 'terms.minimumPayout', input: AMOUNT },
      { id: 'withholdingRates', path: 'terms.withholding.ratesByJurisdiction', input: { kind: 'rates-by-jurisdiction' } },
      { id: 'withholdingBasis', path: 'terms.withholding.basis', input: enumOf('gross-share', 'cash-paid') },
      { id: 'withholdingTiming', path: 'terms.withholding.timing', input: enumOf('after-carry-and-recoupment', 'before-carry-and-recoupment') },
    ],
  },
  {
    id: 'fx',
    fields: [
      { id: 'fxRateDate', path: 'terms.fx.rateDate', input: enumOf('transaction-date', 'period-end', 'payment-date', 'monthly-average') },
      { id: 'fxLookup', path: 'terms.fx.lookup', input: enumOf('exact', 'latest-earlier') },
      { id: 'fxLookbackDays', path: 'terms.fx.lookbackDaysMax', input: { kind: 'int', min: 0, max: 31 } },
      { id: 'fxRoute', path: 'terms.fx.route', input: enumOf('direct', 'via-base') },
      { id: 'fxChargebackRate', path: 'terms.fx.chargebackRate', input: enumOf('own-date', 'original-sale') },
      { id: 'fxReverseRates', path: 'terms.fx.reverseRates', input: enumOf('refuse', 'invert') },
      { id: 'fxTransactionDate', path: 'terms.fx.transactionDate', input: enumOf('event', 'booking', 'value') },
    ],
  },
  {
    id: 'periods',
    fields: [
      { id: 'lateTransactions', path: 'terms.lateTransactions', input: enumOf('open-period', 'restate') },
      { id: 'periodDate', path: 'terms.periodDate', input: enumOf('booking', 'value', 'event') },
      { id: 'roundingMode', path: 'terms.rounding.mode', input: enumOf('half-even', 'half-up', 'down', 'up') },
      { id: 'roundingScope', path: 'terms.rounding.scope', input: enumOf('transaction', 'line', 'product-group', 'total') },
    ],
  },
];

/** The default share's place in the sections (rendered after "general"). */
export const SHARE_PATH = 'terms.share';

/** Every field key the editor renders for a draft with no tiers' or overrides' rows expanded. */
export function editorFieldPaths(): string[] {
  return [...SECTIONS.flatMap((section) => section.fields.map((field) => field.path)), ...SHARE_FIELDS.map((field) => `${SHARE_PATH}.${field.path}`)];
}

let currencies: readonly string[] | null = null;

/** ISO 4217 codes from core's table (a select, so a made-up code cannot be typed). */
export function currencyOptions(): readonly string[] {
  currencies ??= [...currencyCodes()].sort();
  return currencies;
}

/** What a field key names, for the error summary: the field, and the tier, override or table entry inside it. */
export interface KeyDescription {
  readonly spec: FieldSpec | null;
  readonly overrideIndex: number | null;
  readonly tier: number | null;
  readonly tierPart: string | null;
  readonly entry: string | null;
}

export function describeKey(key: string): KeyDescription {
  const override = /^terms\.productOverrides\.(\d+)\.(?:share\.)?(.*)$/.exec(key);
  const overrideIndex = override === null ? null : Number(override[1]);
  const shareRelative = override !== null ? (override[2] ?? '') : key.startsWith(`${SHARE_PATH}.`) ? key.slice(SHARE_PATH.length + 1) : null;
  if (shareRelative !== null) {
    const tier = /^tiers\.(\d+)(?:\.(\w+))?$/.exec(shareRelative);
    if (tier !== null) return { spec: SHARE_FIELDS[0] ?? null, overrideIndex, tier: Number(tier[1]) + 1, tierPart: tier[2] ?? null, entry: null };
    return { spec: SHARE_FIELDS.find((field) => field.path === shareRelative) ?? null, overrideIndex, tier: null, tierPart: null, entry: null };
  }
  const fields = SECTIONS.flatMap((section) => section.fields);
  const exact = fields.find((field) => field.path === key);
  if (exact !== undefined) return { spec: exact, overrideIndex: null, tier: null, tierPart: null, entry: null };
  const parent = fields.find((field) => key.startsWith(`${field.path}.`));
  return { spec: parent ?? null, overrideIndex: null, tier: null, tierPart: null, entry: parent === undefined ? null : key.slice(parent.path.length + 1) };
}
