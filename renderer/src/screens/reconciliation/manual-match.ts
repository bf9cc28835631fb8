import { groupedUnmatchedKey, type UnmatchedSide } from '../../../../core/exceptions/from-reconcile.ts';
import { exceptionId } from '../../../../core/exceptions/model.ts';
import { money, negate, subtract, sum } from '../../../../core/money/index.ts';
import type { CanonicalTransaction } from '../../../../core/transactions/schema.ts';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { AUDIT_VALUE_CHARS_MAX, COMMENT_TEXT_CHARS_MAX } from '../../../../core/sync/documents.ts';

/**
 * Matching by hand between the PSP lines the bank never showed and the bank lines nothing
 * explained. PSP lines are compared with the bank's sign (a payout leaves the PSP balance as a
 * negative line and arrives at the bank as a credit), as core's PSP <-> bank leg does. A manual
 * match resolves the items' unmatched exceptions with the analyst's reason: each resolution is an
 * audit event on the desk, and it replicates like any other edit.
 */
export const MANUAL_MATCH_PREFIX = 'manual match';

/**
 * Items one manual match holds at most on a side: a person's judgement over a payout batch, not a
 * bulk action (the ids are written in full in the reason; a comment holds 10,000 characters). The
 * unmatched items grids select all they show only up to this many.
 */
export const MANUAL_MATCH_MAX_ITEMS = 100;

/** Whether "select all" may select every item a side shows after its filters: some, and no more than a manual match holds. */
export function canSelectAll(shown: number): boolean {
  return shown > 0 && shown <= MANUAL_MATCH_MAX_ITEMS;
}

export type ManualMatchCheck =
  | { readonly ok: true; readonly currency: string; readonly pspTotal: string; readonly bankTotal: string; readonly difference: string }
  | { readonly ok: false; readonly code: 'needs_both_sides' | 'mixed_currency' | 'too_many_items' };

export function checkManualMatch(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): ManualMatchCheck {
  if (psp.length === 0 || bank.length === 0) return { ok: false, code: 'needs_both_sides' };
  if (psp.length > MANUAL_MATCH_MAX_ITEMS || bank.length > MANUAL_MATCH_MAX_ITEMS) return { ok: false, code: 'too_many_items' };
  const currencies = new Set([...psp, ...bank].map((tx) => tx.currency));
  if (currencies.size !== 1) return { ok: false, code: 'mixed_currency' };
  const currency = [...currencies][0] as string;
  const pspTotal = negate(sum(psp.map((tx) => money(tx.amount, currency)), currency));
  const bankTotal = sum(bank.map((tx) => money(tx.amount, currency)), currency);
  return { ok: true, currency, pspTotal: pspTotal.amount, bankTotal: bankTotal.amount, difference: subtract(bankTotal, pspTotal).amount };
}

/** The exceptions reconciliation raised for these items (core/exceptions/from-reconcile.ts keys). */
export function unmatchedExceptionIds(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): string[] {
  return [...psp.map((tx) => exceptionId('unmatched', ['pspUnsettled', tx.id])), ...bank.map((tx) => exceptionId('unmatched', ['bank', tx.id]))];
}

/**
 * The grouped exceptions the items are in when their day had too many unmatched rows to raise one
 * each: there the match is said as a comment on the group (an audit event); the group stays open
 * for its other rows.
 */
export function groupedExceptionIds(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): string[] {
  const idOf = (side: UnmatchedSide, tx: CanonicalTransaction) => exceptionId('unmatched', groupedUnmatchedKey({ side, account: tx.account, currency: tx.currency, date: tx.occurredAt.slice(0, 10) }));
  return [...new Set([...psp.map((tx) => idOf('pspUnsettled', tx)), ...bank.map((tx) => idOf('bank', tx))])];
}

/** The analyst's words kept in the reason; the ids are never cut. */
const REASON_MAX = 1000;

/** Room kept in each part for its ' (part 12 of 34)'. */
const PART_MARK_ROOM = 32;

/**
 * The reason written on each resolved exception and as the comment on a grouped one: who it was
 * matched with (ids as JSON strings: an id may hold ',' or ']'), and why. The comment is how the
 * desk knows which rows of a grouped day were matched by hand (handMatchedOf reads it back).
 */
export function manualMatchReason(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[], reason: string): string {
  return `${MANUAL_MATCH_PREFIX} psp=${JSON.stringify(psp.map((tx) => tx.id))} bank=${JSON.stringify(bank.map((tx) => tx.id))}: ${reason.trim().slice(0, REASON_MAX)}`;
}

/** One text of a match and the ids it names. */
interface MatchPart {
  readonly text: string;
  readonly ids: ReadonlySet<string>;
}

/**
 * The match written as texts of at most `max` characters each: one text (manualMatchReason's)
 * when it fits, else parts that each name some of the ids with the analyst's words and say which
 * part they are; together they name every id (handMatchedOf reads each). null when one id with
 * the words cannot fit in `max`.
 */
function matchParts(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[], reason: string, max: number): MatchPart[] | null {
  const whole = manualMatchReason(psp, bank, reason);
  if (whole.length <= max) return [{ text: whole, ids: new Set([...psp, ...bank].map((tx) => tx.id)) }];
  const words = reason.trim().slice(0, REASON_MAX);
  // '<prefix> psp=[] bank=[]: <words>' and the part mark around the ids; each id adds its JSON, and a comma after the first of its side.
  const frame = `${MANUAL_MATCH_PREFIX} psp=[] bank=[]: ${words}`.length + PART_MARK_ROOM;
  const parts: { psp: string[]; bank: string[] }[] = [];
  let part = { psp: [] as string[], bank: [] as string[] };
  let length = frame;
  for (const [side, id] of [...psp.map((tx) => ['psp', tx.id] as const), ...bank.map((tx) => ['bank', tx.id] as const)]) {
    const json = JSON.stringify(id).length;
    if (frame + json > max) return null;
    if (length + json + (part[side].length === 0 ? 0 : 1) > max) {
      parts.push(part);
      part = { psp: [], bank: [] };
      length = frame;
    }
    length += json + (part[side].length === 0 ? 0 : 1);
    part[side].push(id);
  }
  parts.push(part);
  return parts.map(({ psp: left, bank: right }, at) => ({
    text: `${MANUAL_MATCH_PREFIX} psp=${JSON.stringify(left)} bank=${JSON.stringify(right)}: ${words} (part ${at + 1} of ${parts.length})`,
    ids: new Set([...left, ...right]),
  }));
}

/** The match as texts of at most `max` characters (matchParts), or null when an id cannot fit. */
export function manualMatchTexts(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[], reason: string, max: number): string[] | null {
  return matchParts(psp, bank, reason, max)?.map((part) => part.text) ?? null;
}

/** What a manual match writes: each item's own unmatched exception resolved, and the match as comments on the grouped exceptions its items are in. */
export interface ManualMatchWrites {
  readonly resolutions: readonly { readonly id: string; readonly reason: string }[];
  readonly comments: readonly { readonly id: string; readonly text: string }[];
}

/**
 * The writes of a manual match on the exceptions the desk has (`known`), every text within its
 * document's limit, worked out before anything is written: the whole match as comment parts on
 * each grouped exception, and each resolution's reason the part that names its item. null when an
 * id is too long for any text (nothing is then written; the screen says so).
 */
export function manualMatchWrites(psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[], reason: string, known: ReadonlySet<string>): ManualMatchWrites | null {
  const comments = matchParts(psp, bank, reason, COMMENT_TEXT_CHARS_MAX);
  const reasons = matchParts(psp, bank, reason, AUDIT_VALUE_CHARS_MAX);
  if (comments === null || reasons === null) return null;
  const reasonOf = (txId: string) => reasons.find((part) => part.ids.has(txId))?.text ?? '';
  const items = [...psp, ...bank];
  const own = unmatchedExceptionIds(psp, bank).map((id, at) => ({ id, txId: items[at]?.id ?? '' }));
  return {
    resolutions: own.filter(({ id }) => known.has(id)).map(({ txId, id }) => ({ id, reason: reasonOf(txId) })),
    comments: groupedExceptionIds(psp, bank)
      .filter((id) => known.has(id))
      .flatMap((id) => comments.map((part) => ({ id, text: part.text }))),
  };
}

/** Writes a manual match's planned writes (manualMatchWrites) in order: the resolutions, then the grouped exceptions' comments. */
export async function writeManualMatch(desk: Pick<ReviewDesk, 'transitionException' | 'addComment'>, writes: ManualMatchWrites): Promise<void> {
  for (const { id, reason } of writes.resolutions) await desk.transitionException(id, { to: 'resolved', reason });
  for (const { id, text } of writes.comments) await desk.addComment({ kind: 'exception', id }, text);
}

/** A JSON array of strings at `start` of `text`: its items and where it ends, or null. */
function jsonIdsAt(text: string, start: number): { readonly ids: string[]; readonly end: number } | null {
  if (text[start] !== '[') return null;
  let inString = false;
  for (let at = start + 1; at < text.length; at++) {
    const char = text[at];
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === ']') {
      try {
        const ids: unknown = JSON.parse(text.slice(start, at + 1));
        return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? { ids, end: at + 1 } : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The ids a manual match's reason names (manualMatchReason), or null for any other text. Reasons
 * written before the ids were JSON (`psp=[a,b] bank=[c]`) are read by their commas.
 */
export function handMatchedOf(text: string): { readonly psp: readonly string[]; readonly bank: readonly string[] } | null {
  const head = `${MANUAL_MATCH_PREFIX} psp=`;
  if (!text.startsWith(head)) return null;
  const psp = jsonIdsAt(text, head.length);
  if (psp !== null) {
    const bankHead = ' bank=';
    if (text.slice(psp.end, psp.end + bankHead.length) !== bankHead) return null;
    const bank = jsonIdsAt(text, psp.end + bankHead.length);
    return bank === null ? null : { psp: psp.ids, bank: bank.ids };
  }
  const legacy = /^\[([^\]]*)\] bank=\[([^\]]*)\]:/.exec(text.slice(head.length));
  const split = (ids: string) => ids.split(',').filter((id) => id !== '');
  return legacy === null ? null : { psp: split(legacy[1] ?? ''), bank: split(legacy[2] ?? '') };
}
