import { describe, expect, it } from 'vitest';
import { agreementOf, row } from '../../core/settlement/testkit.ts';
import { packBatch } from '../../core/sync/batch.ts';
import { toStoredBatch } from '../desk/transactions.ts';
import { answerStoredSettle, type StoredSettleResponse } from './settle-messages.ts';

// p sells 100.00 and 200.00 and refunds 50.00 in January; agreement A gives p 70 %.
const STORED = toStoredBatch(packBatch('imp.1', 0, [row('sale', '100.00', { date: '2026-01-10T10:00:00Z' }), row('sale', '200.00', { date: '2026-01-12T10:00:00Z' }), row('refund', '-50.00', { date: '2026-01-15T10:00:00Z' })]));

function request(batches: unknown[]): unknown {
  return { id: 7, input: { runId: 'run.2026-01.r1', month: '2026-01', revision: 1, batches, reference: { kind: 'given', agreements: agreementOf({ share: { rate: '70' } }), rates: { source: 'ECB', base: 'EUR', quotes: {} } }, statesIn: {}, exceptions: [] } };
}

function answers(data: unknown): StoredSettleResponse[] {
  const out: StoredSettleResponse[] = [];
  answerStoredSettle(data, (response) => out.push(response), () => 0);
  return out;
}

describe('the settlement worker messages', () => {
  it('runs over stored batches: a progress event per batch, then the run and its statements', () => {
    const out = answers(request([STORED]));
    expect(out.map((response) => response.type)).toEqual(['progress', 'result']);
    const result = out[1];
    if (result?.type !== 'result') throw new Error('no result');
    // 70 % of 100.00 + 200.00 - 50.00 = 175.00
    expect(result.result.statements.map((doc) => [doc.partnerId, doc.payable])).toEqual([['p', '175.00']]);
    expect(result.result.run.inputBatchIds).toEqual(['imp.1:0']);
    expect(result.id).toBe(7);
  });

  it('refuses a request that is not a stored batch run before anything runs, and names a run that failed', () => {
    const { columnsJson: _text, ...withoutText } = STORED;
    const refused = answers(request([withoutText]));
    expect(refused).toEqual([{ id: 7, type: 'error', code: 'settle_request_invalid', message: expect.stringContaining('input.batches.0.columnsJson') }]);
    expect(answers({ input: {} })).toMatchObject([{ id: -1, type: 'error', code: 'settle_request_invalid' }]);
    // A batch whose header says 4 rows for columns of 3: the stored text and the header disagree.
    const failed = answers(request([{ ...STORED, rowCount: 4 }]));
    expect(failed).toEqual([{ id: 7, type: 'error', code: 'invariant_broken', message: 'a stored column has one cell per row' }]);
  });
});
