import type { TFunction } from 'i18next';
import { EngineError } from '../../../engine/client.ts';
import { groupsFailureEn } from './groups-failure-texts.ts';

const KNOWN = Object.keys(groupsFailureEn);

/** A failure of the matched groups grid in the language of `t` (GROUPS_FAILURE_NS) by its engine code; any other keeps its message. */
export function groupsFailureText(failure: Error, t: TFunction): string {
  return failure instanceof EngineError && KNOWN.includes(failure.code) ? t(failure.code) : failure.message;
}
