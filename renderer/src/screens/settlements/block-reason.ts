import type { TFunction } from 'i18next';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import { blockingExceptionOf } from '../../../engine/settle.ts';

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

/** Why the engine could not settle a partner, in the language of `t` (REVIEW_NS): the code in words, the code, and the engine's message (English: its details have no texts yet). */
export function unsettledWhy(exception: { readonly code: string; readonly message: string }, t: TFunction): string {
  return t('settlements.unsettledWhy', { what: t(`settlements.unsettled.${exception.code}`, { defaultValue: exception.code }), code: exception.code, message: exception.message });
}
