import type { SettleProgress } from './protocol.ts';
import { EngineError } from './client.ts';
import type { SettleOutput } from './settle.ts';
import { nextTask } from '../desk/next-task.ts';
import { BATCHES_PER_MESSAGE, StoredSettleResponse, type StoredSettleInput } from './settle-messages.ts';

/**
 * The main thread's side of the settlement worker: posts the desk's stored batches
 * (desk.loadStoredBatches(): 100 texts for a month) ten to a message, each in a task of its own,
 * and gets the run and its statements back, with a progress event per batch.
 */
export class SettleWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { readonly resolve: (output: SettleOutput) => void; readonly reject: (error: Error) => void; readonly onProgress: ((progress: SettleProgress) => void) | undefined }>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<unknown>) => this.receive(event.data);
    worker.onerror = (event) => this.failAll(new EngineError('engine_crashed', event.message));
  }

  async settle(input: StoredSettleInput, onProgress?: (progress: SettleProgress) => void): Promise<SettleOutput> {
    const id = this.nextId++;
    const answered = new Promise<SettleOutput>((resolve, reject) => this.pending.set(id, { resolve, reject, onProgress }));
    const { batches, ...run } = input;
    for (let start = 0; start < batches.length; start += BATCHES_PER_MESSAGE) {
      this.worker.postMessage({ id, kind: 'batches', batches: batches.slice(start, start + BATCHES_PER_MESSAGE) });
      await nextTask();
    }
    this.worker.postMessage({ id, kind: 'run', input: run });
    return await answered;
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll(new EngineError('engine_stopped', 'the settlement worker was stopped'));
  }

  private receive(data: unknown): void {
    const parsed = StoredSettleResponse.safeParse(data);
    if (!parsed.success) return this.failAll(new EngineError('engine_response_invalid', parsed.error.message));
    const message = parsed.data;
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    if (message.type === 'progress') return pending.onProgress?.(message.progress);
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new EngineError(message.code, message.message));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** A settlement worker in its own module worker (Vite bundles it from this URL). */
export function startSettleWorker(): SettleWorkerClient {
  return new SettleWorkerClient(new Worker(new URL('./settle-worker.ts', import.meta.url), { type: 'module', name: 'settledesk-settle' }));
}
