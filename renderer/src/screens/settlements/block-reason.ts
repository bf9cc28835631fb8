import type { TFunction } from 'i18next';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import { blockingExceptionOf, type UnsettledPartner } from '../../../engine/settle.ts';

/**
 * A stored block reason in the language of `t` (REVIEW_NS): the exception it names, titled by
 * `title` (exceptionTitle) from the desk's record of it. The stored English when the reason has
 * another shape or the desk no longer holds that exception.
 */
export function blockReason(reason: string, exceptions: ReadonlyMap<string, ExceptionDoc>, t: TFunction, title: (doc: ExceptionDoc) => string): string {
  const id = blockingExceptionOf(reason);
  const doc = id === null ? undefined : exceptions.get(id);
  return doc === undefined ? reason : t('settlements.blockedByException', { id, title: title(doc) });
}

/** What a run needs to say an unsettled partner's facts: its period, dates as the desk writes them, and the settlement-run texts. */
export interface UnsettledContext {
  readonly period: { readonly start: string; readonly end: string };
  readonly date: (iso: string) => string;
  /** A day of the year ("03-15", a contract-year start) as the desk writes it. */
  readonly monthDay: (value: string) => string;
  /** Bound to SETTLEMENT_NS. */
  readonly ts: TFunction;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The engine's message said from its facts (core's SettlementError details, the partner and the run's period); null where the facts are not all there. */
function unsettledDetail({ partnerId, code, details }: UnsettledPartner, { period, date, monthDay, ts }: UnsettledContext): string | null {
  const partner = partnerId;
  switch (code) {
    case 'agreement_missing':
    case 'agreement_changes_mid_period':
      return ts(`unsettledDetail.${code}`, { partner, start: date(period.start), end: date(period.end) });
    case 'fx_payment_date_missing':
      return ts(`unsettledDetail.${code}`, { partner });
    case 'fx_rate_missing':
      // The one exception listing a partner's missing rates carries their count; a single missing quote does not.
      return typeof details.count === 'number' ? ts(`unsettledDetail.${code}`, { partner, count: details.count }) : null;
    case 'blocked_by_earlier_period': {
      const blocked = details.blockedPeriod as { start?: unknown; end?: unknown } | undefined;
      const start = text(blocked?.start);
      const end = text(blocked?.end);
      const blockedCode = text(details.blockedCode);
      return start === null || end === null || blockedCode === null ? null : ts(`unsettledDetail.${code}`, { partner, start: date(start), end: date(end), code: blockedCode });
    }
    case 'period_spans_contract_year': {
      const spanned = details.period as { start?: unknown; end?: unknown } | undefined;
      const start = text(spanned?.start);
      const end = text(spanned?.end);
      const contractYearStart = text(details.contractYearStart);
      return start === null || end === null || contractYearStart === null ? null : ts(`unsettledDetail.${code}`, { partner, start: date(start), end: date(end), contractYearStart: monthDay(contractYearStart) });
    }
    case 'state_currency_mismatch': {
      const carried = text(details.carriedCurrency);
      const settlement = text(details.settlementCurrency);
      return carried === null || settlement === null ? null : ts(`unsettledDetail.${code}`, { partner, carried, settlement });
    }
    case 'transaction_amount_precision':
    case 'fx_original_sale_missing': {
      const id = text(details.transactionId);
      return id === null ? null : ts(`unsettledDetail.${code}`, { id });
    }
    default:
      return null;
  }
}

/**
 * Why the engine could not settle a partner, in the language of `t` (REVIEW_NS): the code in
 * words, the code, and what the engine said, from its facts where they are known; else the
 * engine's English message (a code said nowhere here, or its facts missing).
 */
export function unsettledWhy(exception: UnsettledPartner, t: TFunction, context: UnsettledContext): string {
  const message = unsettledDetail(exception, context) ?? exception.message;
  return t('settlements.unsettledWhy', { what: t(`settlements.unsettled.${exception.code}`, { defaultValue: exception.code }), code: exception.code, message });
}
