import { describe, expect, it } from 'vitest';
import { agreementOf, row } from '../../core/settlement/testkit.ts';
import { packBatch } from '../../core/sync/batch.ts';
import { toStoredBatch } from '../desk/transactions.ts';
import { StoredSettleAnswers, type StoredSettleResponse } from './settle-messages.ts';

// p sells 100.00 and 200.00 and refunds 50.00 in January; agreement A gives p 70 %.
const STORED = toStoredBatch(packBatch('imp.1', 0, [row('sale', '100.00', { date: '2026-01-10T10:00:00Z' }), row('sale', '200.00', { date: '2026-01-12T10:00:00Z' }), row('refund', '-50.00', { date: '2026-01-15T10:00:00Z' })]));

const RUN = { id: 7, kind: 'run', input: { runId: 'run.2026-01.r1', month: '2026-01', revision: 1, reference: { kind: 'given', agreements: agreementOf({ share: { rate: '70' } }), rates: { source: 'ECB', base: 'EUR', quotes: {} } }, statesIn: {}, exceptions: [] } };

/** What the worker posts for a run whose batches come in messages of `perMessage`. */
function request(batches: unknown[], perMessage = 10): unknown[] {
  const messages: unknown[] = [];
  for (let start = 0; start < batches.length; start += perMessage) messages.push({ id: 7, kind: 'batches', batches: batches.slice(start, start + perMessage) });
  return [...messages, RUN];
}

function answers(messages: unknown[]): StoredSettleResponse[] {
  const out: StoredSettleResponse[] = [];
  const worker = new StoredSettleAnswers((response) => out.push(response), () => 0);
  for (const message of messages) worker.answer(message);
  return out;
}

describe('the settlement worker messages', () => {
  it('runs over stored batches sent before the run: a progress event per batch, then the run and its statements', () => {
    const out = answers(request([STORED]));
    expect(out.map((response) => response.type)).toEqual(['progress', 'result']);
    const result = out[1];
    if (result?.type !== 'result') throw new Error('no result');
    // 70 % of 100.00 + 200.00 - 50.00 = 175.00
    expect(result.result.statements.map((doc) => [doc.partnerId, doc.payable])).toEqual([['p', '175.00']]);
    expect(result.result.run.inputBatchIds).toEqual(['imp.1:0']);
    expect(result.id).toBe(7);
    // The same batch sent three times, one per message: three batches of three rows, 3 + 3 + 3 = 9 rows settled; 3 x 175.00 = 525.00.
    const thrice = answers(request([STORED, { ...STORED }, { ...STORED }], 1));
    expect(thrice.map((response) => response.type)).toEqual(['progress', 'progress', 'progress', 'result']);
    const tripled = thrice[3];
    if (tripled?.type !== 'result') throw new Error('no result');
    expect(tripled.result.transactions).toBe(9);
    expect(tripled.result.statements.map((doc) => doc.payable)).toEqual(['525.00']);
  });

  it('refuses a request that is not a stored batch run before anything runs, and names a run that failed', () => {
    const { columnsJson: _text, ...withoutText } = STORED;
    const refused = answers(request([withoutText]));
    // The batch message is refused, and so is the run it belongs to: never settled without that batch.
    expect(refused).toEqual([
      { id: 7, type: 'error', code: 'settle_request_invalid', message: expect.stringContaining('batches.0.columnsJson') },
      { id: 7, type: 'error', code: 'settle_request_invalid', message: 'a message with batches of run run.2026-01.r1 was refused: the run is not settled without them' },
    ]);
    expect(answers([{ input: {} }])).toMatchObject([{ id: -1, type: 'error', code: 'settle_request_invalid' }]);
    // Eleven batches in one message: more than a message carries.
    expect(answers(request(Array.from({ length: 11 }, () => STORED), 11))).toMatchObject([{ id: 7, type: 'error', code: 'settle_request_invalid' }, { id: 7, type: 'error', code: 'settle_request_invalid' }]);
    // A batch whose header says 4 rows for columns of 3: the stored text and the header disagree.
    const failed = answers(request([{ ...STORED, rowCount: 4 }]));
    expect(failed).toEqual([{ id: 7, type: 'error', code: 'invariant_broken', message: 'a stored column has one cell per row' }]);
  });
});
