import { describe, expect, it } from 'vitest';
import { createException } from '../../../../core/exceptions/model.ts';
import type { CommentDoc, ExceptionDoc } from '../../../../core/sync/documents.ts';
import { handMatchedIds } from './hand-matched.ts';

const AT = '2026-04-01T00:00:00Z';

function unmatched(key: string[], sourceIds: string[], details: Record<string, string> = {}): ExceptionDoc {
  const record = createException({ type: 'unmatched', key, severity: 'low', title: 't', amountAtRisk: null, partnerId: null, period: null, sourceRefs: sourceIds.map((id) => ({ kind: 'transaction' as const, id, line: null })), details }, AT);
  return { ...record, updatedBy: 'ana', conflicts: [] };
}

function resolved(doc: ExceptionDoc, reason: string): ExceptionDoc {
  return { ...doc, status: 'resolved', history: [...doc.history, { at: AT, from: doc.status, to: 'resolved', by: 'ana', reason, auto: false }] };
}

const comment = (id: string, text: string): CommentDoc => ({ id: `c-${text.length}`, subject: { kind: 'exception', id }, author: 'ana', text, at: AT });

describe('which rows the desk says were matched by hand', () => {
  it('takes the rows of exceptions a manual match resolved and the ids the grouped days\' manual-match comments name', () => {
    const own = resolved(unmatched(['bank', 'b1'], ['b1']), 'manual match psp=["p1"] bank=["b1"]: same payout');
    const waived = resolved(unmatched(['bank', 'b2'], ['b2']), 'not ours');
    const open = unmatched(['bank', 'b3'], ['b3']);
    const group = unmatched(['group', 'bank', 'NL91', 'EUR', '2026-03-04'], [], { grouped: 'day' });
    const comments = [comment(group.id, 'manual match psp=["p7","p8"] bank=["g1,odd"]: batched'), comment(group.id, 'asked the bank')];
    // b1 by its own exception (p1 has no exception of its own here: only what the desk says counts), p7, p8 and g1,odd by the group's comment; b2 was waived, b3 is open.
    expect(handMatchedIds([own, waived, open, group], comments)).toEqual(['b1', 'g1,odd', 'p7', 'p8']);
  });
});
