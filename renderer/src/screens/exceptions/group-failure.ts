import { EngineError } from '../../../engine/client.ts';
import { failureSaid } from '../../app/failure-text.ts';
import type { Said } from '../../app/use-said.ts';
import { EXCEPTION_GROUP_NS, exceptionGroupEn } from './group-texts.ts';

const ENGINE_CODES: ReadonlySet<string> = new Set(Object.keys(exceptionGroupEn.failure));

/**
 * Why a grouped exception's rows could not be shown, as a said message: the engine's failures by
 * their code in the panel's words (EXCEPTION_GROUP_NS), any other through the desk's failure texts
 * (failureSaid), so a Korean screen never shows the engine's English message for a known code.
 */
export function groupRowsFailureSaid(failure: unknown): Said {
  if (failure instanceof EngineError && ENGINE_CODES.has(failure.code)) return { key: `failure.${failure.code}`, params: { ns: EXCEPTION_GROUP_NS } };
  return failureSaid(failure);
}
