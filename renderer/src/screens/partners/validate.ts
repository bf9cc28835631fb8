import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { isCurrencyCode, minorUnitsOf } from '../../../../core/money/iso4217.ts';
import { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { AGREEMENT_ERROR_CODES, AgreementError, type AgreementErrorCode } from '../../../../core/settlement/errors.ts';
import { keyOf, valueAt, type Draft, type FieldKey } from './draft.ts';

/**
 * The draft checked by core's own agreement schema, each issue placed at the field it is about:
 * the zod issue path is the field key. A rule core names (rate_out_of_range, amount_precision,
 * tiers_gap, ...) keeps its code; a shape problem gets a code from what the field holds (a percent,
 * an amount, a date), so the screen can say it in the analyst's language. Decimal strings are
 * judged only by the schema (its decimal pattern and decimal.js), never by parseFloat.
 */
export type FieldErrorCode =
  | AgreementErrorCode
  | 'percent_format'
  | 'decimal_format'
  | 'amount_negative'
  | 'date_invalid'
  | 'month_day_invalid'
  | 'jurisdiction_format'
  | 'currency_unknown'
  | 'required'
  | 'list_empty'
  | 'too_many'
  | 'invalid';

export interface FieldError {
  readonly code: FieldErrorCode;
  /** Interpolation values for the translated message (the value typed, the currency and its digits, the tier). */
  readonly values: Readonly<Record<string, string>>;
  /** core's own English message, kept for the title attribute and logs. */
  readonly detail: string;
}

export type FieldErrors = ReadonlyMap<FieldKey, readonly FieldError[]>;

export type Validation = { readonly ok: true; readonly agreement: AgreementVersion; readonly errors: FieldErrors } | { readonly ok: false; readonly agreement: null; readonly errors: FieldErrors };

const CORE_CODES: ReadonlySet<string> = new Set(AGREEMENT_ERROR_CODES);
const PERCENT_LEAVES: ReadonlySet<string> = new Set(['rate', 'maxRatePerPeriod']);
const DATE_LEAVES: ReadonlySet<string> = new Set(['effectiveFrom', 'effectiveTo']);

function leafOf(path: readonly PropertyKey[]): string {
  const last = path.at(-1);
  return typeof last === 'string' ? last : '';
}

function isRateTable(path: readonly PropertyKey[]): boolean {
  return path.includes('ratesByJurisdiction');
}

/** The code of an issue core's refinements did not name. */
function shapeCode(issue: z.core.$ZodIssue, value: unknown): FieldErrorCode {
  const leaf = leafOf(issue.path);
  if (leaf === 'settlementCurrency') return 'currency_unknown';
  if (leaf === 'partnerJurisdiction') return typeof value === 'string' && value.length > 0 ? 'jurisdiction_format' : 'required';
  if (leaf === 'contractYearStart') return 'month_day_invalid';
  if (DATE_LEAVES.has(leaf)) return 'date_invalid';
  if (issue.code === 'too_small') return issue.origin === 'array' ? 'list_empty' : 'required';
  if (issue.code === 'too_big') return 'too_many';
  if (issue.code === 'invalid_format' || issue.code === 'custom') {
    if (PERCENT_LEAVES.has(leaf) || isRateTable(issue.path)) return 'percent_format';
    if (typeof value === 'string' && value.startsWith('-') && issue.code === 'custom') return 'amount_negative';
    return 'decimal_format';
  }
  if (issue.code === 'invalid_type') return 'required';
  return 'invalid';
}

function codeOf(issue: z.core.$ZodIssue, value: unknown): FieldErrorCode {
  if (issue.code === 'custom') {
    const named = (issue.params as { code?: unknown } | undefined)?.code;
    if (typeof named === 'string' && CORE_CODES.has(named)) return named as AgreementErrorCode;
  }
  return shapeCode(issue, value);
}

function valuesOf(draft: Draft, path: readonly PropertyKey[], value: unknown): Record<string, string> {
  const currency = typeof draft.settlementCurrency === 'string' ? draft.settlementCurrency : '';
  const tierIndex = path.indexOf('tiers');
  const tier = tierIndex >= 0 ? path[tierIndex + 1] : undefined;
  return {
    value: typeof value === 'string' || typeof value === 'number' ? String(value) : '',
    currency,
    digits: isCurrencyCode(currency) ? String(minorUnitsOf(currency)) : '',
    jurisdiction: typeof draft.partnerJurisdiction === 'string' ? draft.partnerJurisdiction : '',
    tier: typeof tier === 'number' ? String(tier + 1) : '',
  };
}

function add(errors: Map<FieldKey, FieldError[]>, key: FieldKey, error: FieldError): void {
  errors.set(key, [...(errors.get(key) ?? []), error]);
}

export function validateDraft(draft: Draft): Validation {
  const errors = new Map<FieldKey, FieldError[]>();
  const parsed = AgreementVersion.safeParse(draft);
  if (parsed.success) return { ok: true, agreement: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const key = keyOf(path);
    const value = valueAt(draft, key);
    add(errors, key, { code: codeOf(issue, value), values: valuesOf(draft, path, value), detail: issue.message });
  }
  return { ok: false, agreement: null, errors };
}

/** Errors at this key and under it (a tier row shows its cells' errors too when asked). */
export function errorsUnder(errors: FieldErrors, key: FieldKey): FieldError[] {
  return [...errors.entries()].filter(([at]) => at === key || at.startsWith(`${key}.`)).flatMap(([, list]) => list);
}

/** The refusals of core's checkAgreementVersions on save: versions checked together, so no field to put them at. */
const SAVE_REFUSALS: ReadonlySet<string> = new Set<AgreementErrorCode>(['agreement_version_duplicate', 'agreement_partner_changes', 'effective_dates_overlap']);

/** Why a save failed, in the language of `t` (PARTNERS_NS): a version clash by its code; any other failure by its message. */
export function saveFailureText(failure: unknown, t: TFunction): string {
  if (failure instanceof AgreementError && SAVE_REFUSALS.has(failure.code)) return t(`errors.${failure.code}`);
  return failure instanceof Error ? failure.message : String(failure);
}
