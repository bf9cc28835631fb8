import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { ExceptionStatus, Severity } from '../../core/exceptions/model.ts';
import type { AgreementVersion } from '../../core/settlement/agreement.ts';
import { BatchSource, BATCH_ROWS_MAX } from '../../core/sync/batch.ts';
import { DocId, Hash } from '../../core/sync/primitives.ts';
import type { StoredBatch } from '../desk/transactions.ts';
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

const RunInput = z.strictObject({
  runId: z.string().min(1).max(200),
  month: Month,
  revision: z.number().int().min(1),
  reference: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('demo'), seed: z.number().int().min(0).max(2 ** 31), month: Month }),
    z.strictObject({ kind: z.literal('given'), agreements: z.array(z.custom<AgreementVersion>((value) => typeof value === 'object' && value !== null && 'agreementId' in value)).max(10_000), rates: RunRates }),
  ]),
  statesIn: z.record(z.string(), z.any()),
  exceptions: z.array(z.strictObject({ id: z.string(), partnerId: z.string().nullable(), severity: Severity, status: ExceptionStatus, period: z.string().nullable(), title: z.string() })),
});

/** Batches go first, a few per message (each message is a main-thread task to post: a month's ~43 MB at once was one of ~160 ms under load), then the run itself. */
export const BATCHES_PER_MESSAGE = 10;

export const StoredSettleRequest = z.discriminatedUnion('kind', [
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('batches'), batches: z.array(StoredBatchMessage).max(BATCHES_PER_MESSAGE) }),
  z.strictObject({ id: z.number().int().nonnegative(), kind: z.literal('run'), input: RunInput }),
]);
export type StoredSettleRequest = z.infer<typeof StoredSettleRequest>;
/** A run as the main thread asks for it: the run's fields and its batches, in the order the run records them. */
export type StoredSettleInput = z.infer<typeof RunInput> & { readonly batches: readonly StoredBatch[] };

const Count = z.number().int().nonnegative();

export const StoredSettleResponse = z.discriminatedUnion('type', [
  z.strictObject({ id: z.number().int(), type: z.literal('progress'), progress: z.strictObject({ batchesDone: Count, batchesTotal: Count, rows: Count, rowsPerSecond: Count }) }),
  z.strictObject({ id: z.number().int(), type: z.literal('result'), result: z.custom<SettleOutput>((value) => typeof value === 'object' && value !== null && 'run' in value && 'statements' in value, 'expected a settlement run') }),
  z.strictObject({ id: z.number().int(), type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type StoredSettleResponse = z.infer<typeof StoredSettleResponse>;

/** The worker's side: gathers each run's batches, then answers the run with progress events and one result or one error (a bad message is refused, never run). */
export class StoredSettleAnswers {
  private readonly batches = new Map<number, StoredBatch[]>();
  /** Runs one of whose messages was refused: their run is refused too, never settled over the batches that did arrive. */
  private readonly refused = new Set<number>();

  constructor(
    private readonly post: (response: StoredSettleResponse) => void,
    private readonly clock: () => number,
  ) {}

  answer(data: unknown): void {
    const parsed = StoredSettleRequest.safeParse(data);
    const id = typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number' ? data.id : -1;
    if (!parsed.success) {
      this.batches.delete(id);
      this.refused.add(id);
      this.post({ id, type: 'error', code: 'settle_request_invalid', message: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
      return;
    }
    if (parsed.data.kind === 'batches') {
      const gathered = this.batches.get(id) ?? [];
      for (const batch of parsed.data.batches) gathered.push(batch);
      this.batches.set(id, gathered);
      return;
    }
    const batches = this.batches.get(id) ?? [];
    this.batches.delete(id);
    if (this.refused.delete(id)) {
      this.post({ id, type: 'error', code: 'settle_request_invalid', message: `a message with batches of run ${parsed.data.input.runId} was refused: the run is not settled without them` });
      return;
    }
    try {
      this.post({ id, type: 'result', result: settle({ ...parsed.data.input, batches }, (progress) => this.post({ id, type: 'progress', progress }), this.clock) });
    } catch (error) {
      this.post({ id, type: 'error', code: error instanceof SettleDeskError ? error.code : 'settle_failed', message: (error as Error).message });
    }
  }
}
