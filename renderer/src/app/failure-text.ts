import { SettleDeskError } from '../../../core/errors.ts';
import { REVIEW_NS } from '../grid/texts.ts';
import { FAILURES_NS, failuresEn, registerFailureTexts } from './failure-texts.ts';
import type { Said } from './use-said.ts';

const KNOWN: ReadonlySet<string> = new Set(Object.keys(failuresEn));
const STATUSES: ReadonlySet<string> = new Set(['open', 'investigating', 'resolved', 'waived']);

registerFailureTexts();

/** The values a refusal's text needs from its details; null when one is missing or not of its kind. */
function valuesOf(failure: SettleDeskError): Record<string, string> | null {
  if (failure.code !== 'exception_transition_illegal') return {};
  const { from, to } = failure.details;
  return typeof from === 'string' && typeof to === 'string' && STATUSES.has(from) && STATUSES.has(to) ? { from, to } : null;
}

/**
 * A failed step as a said message (useSaid's key and values, their namespace among them, so any
 * `t` says it): a refusal the desk names by a known code in words (FAILURES_NS); any other by its
 * message in REVIEW_NS's 'common.failed'.
 */
export function failureSaid(failure: unknown): Said {
  if (failure instanceof SettleDeskError && KNOWN.has(failure.code)) {
    const values = valuesOf(failure);
    if (values !== null) return { key: failure.code, params: { ns: FAILURES_NS, ...values } };
  }
  return { key: 'common.failed', params: { ns: REVIEW_NS, message: failure instanceof Error ? failure.message : String(failure) } };
}
