import type { TFunction } from 'i18next';
import { EngineError } from '../../../engine/client.ts';
import { groupsFailureEn } from './groups-failure-texts.ts';

const KNOWN = Object.keys(groupsFailureEn);
const ITEM_CODES: readonly string[] = ['review_filter_unsupported', 'review_sort_unsupported'];

/** A failure of the matched groups grid in the language of `t` (GROUPS_FAILURE_NS) by its engine code; any other keeps its message. */
export function groupsFailureText(failure: Error, t: TFunction): string {
  return failure instanceof EngineError && KNOWN.includes(failure.code) ? t(failure.code) : failure.message;
}

/** A failure of an unmatched items grid: a refused sort or filter in the language of `t` (UNMATCHED_NS); any other keeps its message. */
export function itemsFailureText(failure: Error, t: TFunction): string {
  return failure instanceof EngineError && ITEM_CODES.includes(failure.code) ? t(failure.code) : failure.message;
}
