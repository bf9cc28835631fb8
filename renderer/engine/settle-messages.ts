import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { ExceptionStatus, Severity } from '../../core/exceptions/model.ts';
import type { AgreementVersion } from '../../core/settlement/agreement.ts';
import { BatchSource, BATCH_ROWS_MAX } from '../../core/sync/batch.ts';
import { DocId, Hash } from '../../core/sync/primitives.ts';
import { settle, type SettleOutput } from './settle.ts';

/**
 * The messages of the settlement worker (settle-worker.ts): a run over the desk's stored batches
 * (StoredBatch, one text of columns each), so the main thread posts a month as 100 texts and
 * never decodes or copies 22 million cells. Requests are checked in the worker, responses on the
 * main thread, both with zod.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Month = z.string().regex(/^\d{4}-\d{2}$/);

const StoredBatchMessage = z.strictObject({
  id: DocId,
  importId: DocId,
  chunkIndex: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative().max(BATCH_ROWS_MAX),
  source: BatchSource,
  contentHash: Hash,
  columnsJson: z.string(),
});

const RunRates = z.strictObject({ source: z.string().max(200), base: z.string().length(3), quotes: z.record(CalendarDate, z.record(z.string().length(3), z.string().regex(DECIMAL))) });

export const StoredSettleRequest = z.strictObject({
  id: z.number().int().nonnegative(),
  input: z.strictObject({
    runId: z.string().min(1).max(200),
    month: Month,
    revision: z.number().int().min(1),
    batches: z.array(StoredBatchMessage).max(100_000),
    reference: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('demo'), seed: z.number().int().min(0).max(2 ** 31), month: Month }),
      z.strictObject({ kind: z.literal('given'), agreements: z.array(z.custom<AgreementVersion>((value) => typeof value === 'object' && value !== null && 'agreementId' in value)).max(10_000), rates: RunRates }),
    ]),
    statesIn: z.record(z.string(), z.any()),
    exceptions: z.array(z.strictObject({ id: z.string(), partnerId: z.string().nullable(), severity: Severity, status: ExceptionStatus, period: z.string().nullable(), title: z.string() })),
  }),
});
export type StoredSettleRequest = z.infer<typeof StoredSettleRequest>;
export type StoredSettleInput = StoredSettleRequest['input'];

const Count = z.number().int().nonnegative();

export const StoredSettleResponse = z.discriminatedUnion('type', [
  z.strictObject({ id: z.number().int(), type: z.literal('progress'), progress: z.strictObject({ batchesDone: Count, batchesTotal: Count, rows: Count, rowsPerSecond: Count }) }),
  z.strictObject({ id: z.number().int(), type: z.literal('result'), result: z.custom<SettleOutput>((value) => typeof value === 'object' && value !== null && 'run' in value && 'statements' in value, 'expected a settlement run') }),
  z.strictObject({ id: z.number().int(), type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type StoredSettleResponse = z.infer<typeof StoredSettleResponse>;

/** The worker's answer to one message: progress events, then one result or one error (a bad request is refused, never run). */
export function answerStoredSettle(data: unknown, post: (response: StoredSettleResponse) => void, clock: () => number): void {
  const parsed = StoredSettleRequest.safeParse(data);
  const id = typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number' ? data.id : -1;
  if (!parsed.success) {
    post({ id, type: 'error', code: 'settle_request_invalid', message: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    return;
  }
  try {
    post({ id, type: 'result', result: settle(parsed.data.input, (progress) => post({ id, type: 'progress', progress }), clock) });
  } catch (error) {
    post({ id, type: 'error', code: error instanceof SettleDeskError ? error.code : 'settle_failed', message: (error as Error).message });
  }
}
