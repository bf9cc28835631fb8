import { SettleDeskError } from '../../../core/errors.ts';
import { EXCEPTION_STATUSES } from '../../../core/exceptions/model.ts';
import { REVIEW_NS } from '../grid/texts.ts';
import { FAILURES_NS, failuresEn, registerFailureTexts } from './failure-texts.ts';
import type { Said } from './use-said.ts';

const KNOWN: ReadonlySet<string> = new Set(Object.keys(failuresEn));
const STATUSES: ReadonlySet<string> = new Set(EXCEPTION_STATUSES);

registerFailureTexts();

/** The text (its key) and values a refusal is said with, from its code and details; null when a value is missing or not of its kind. */
function sayingOf(failure: SettleDeskError): { readonly key: string; readonly values: Record<string, string> } | null {
  const { details } = failure;
  if (failure.code === 'desk_not_found' && details.collection === 'import_batches') return typeof details.id === 'string' ? { key: 'batch_not_arrived', values: { id: details.id } } : null;
  if (failure.code !== 'exception_transition_illegal') return { key: failure.code, values: {} };
  const { from, to } = details;
  return typeof from === 'string' && typeof to === 'string' && STATUSES.has(from) && STATUSES.has(to) ? { key: failure.code, values: { from, to } } : null;
}

/**
 * A failed step as a said message (useSaid's key and values, their namespace among them, so any
 * `t` says it): a refusal the desk names by a known code in words (FAILURES_NS); any other by its
 * message in REVIEW_NS's 'common.failed'.
 */
export function failureSaid(failure: unknown): Said {
  if (failure instanceof SettleDeskError && KNOWN.has(failure.code)) {
    const saying = sayingOf(failure);
    if (saying !== null) return { key: saying.key, params: { ns: FAILURES_NS, ...saying.values } };
  }
  return { key: 'common.failed', params: { ns: REVIEW_NS, message: failure instanceof Error ? failure.message : String(failure) } };
}
