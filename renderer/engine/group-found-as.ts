import type { MatchGroup } from '../../core/reconcile/index.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';

/**
 * What finds a matched group in the PSP's and the bank's own records, where the grid showed
 * core's internal id ('psp-bank:tx#02185baa…'), which neither of them knows. Each side reads
 * `format first–last-date reference`, with `+n` for the side's other members:
 * 'stripe 2026-03-16 po_PlFG… ↔ mt940 2026-03-17 USD202603000015'. Dates are ISO as the files
 * write them (the text is sorted and filtered on in the worker, one text for every locale).
 */

/** A row's own reference: the PSP's id (payout, batch), the bank's (account servicer, end to end), else its file and line. */
export function recordReference(tx: CanonicalTransaction): string {
  const { externalId, bankReference, endToEndId } = tx.references;
  return externalId ?? bankReference ?? endToEndId ?? `${tx.source.fileName}:${tx.source.line}`;
}

function sideText(ids: readonly string[], byId: ReadonlyMap<string, CanonicalTransaction>): string {
  const members = ids.flatMap((id) => {
    const tx = byId.get(id);
    return tx === undefined ? [] : [tx];
  });
  if (members.length === 0) return '';
  const days = members.map((tx) => tx.occurredAt.slice(0, 10));
  // The earliest member's reference, ties by the reference itself: the same group always reads the same.
  let first = 0;
  for (let i = 1; i < members.length; i++) {
    if (days[i]! < days[first]! || (days[i] === days[first] && recordReference(members[i]!) < recordReference(members[first]!))) first = i;
  }
  const last = days.reduce((latest, day) => (day > latest ? day : latest));
  const formats = [...new Set(members.map((tx) => tx.source.format))].join('+');
  const span = last === days[first] ? days[first]! : `${days[first]!}–${last}`;
  const more = members.length > 1 ? ` +${members.length - 1}` : '';
  return `${formats} ${span} ${recordReference(members[first]!)}${more}`;
}

/** The group as the PSP (left) and bank (right) records find it; a side without known members is left empty. */
export function groupFoundAs(group: Pick<MatchGroup, 'leftIds' | 'rightIds'>, byId: ReadonlyMap<string, CanonicalTransaction>): string {
  return `${sideText(group.leftIds, byId)} ↔ ${sideText(group.rightIds, byId)}`.trim();
}
