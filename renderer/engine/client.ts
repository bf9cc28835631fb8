import { EngineResponseSchema, type EngineInput, type EngineKind, type EngineProgress, type EngineResult } from './protocol.ts';
import { RowParts } from './row-parts.ts';

/** An engine failure as the worker reported it: a stable code first, then the message. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'EngineError';
  }
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Each kind reports its own progress shape (protocol.ts EngineProgress), checked by the response schema. */
  readonly onProgress: ((progress: unknown) => void) | undefined;
  readonly kind: EngineKind;
  /** Transactions and packed batches that arrived in parts before the result. */
  readonly parts: RowParts;
}

/** The main thread's side of the engine worker: one promise per request, progress by callback. */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<unknown>) => this.receive(event.data);
    worker.onerror = (event) => this.failAll(new EngineError('engine_crashed', event.message));
  }

  call<K extends EngineKind>(kind: K, input: EngineInput<K>, onProgress?: (progress: EngineProgress<K>) => void): Promise<EngineResult<K>> {
    const id = this.nextId++;
    return new Promise<EngineResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress: onProgress as ((progress: unknown) => void) | undefined, kind, parts: new RowParts() });
      this.worker.postMessage({ id, kind, input });
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll(new EngineError('engine_stopped', 'the engine was stopped'));
  }

  private receive(data: unknown): void {
    const parsed = EngineResponseSchema.safeParse(data);
    if (!parsed.success) return this.failAll(new EngineError('engine_response_invalid', parsed.error.message));
    const message = parsed.data;
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    if (message.type === 'progress' || message.type === 'settle-progress') return pending.onProgress?.(message.progress);
    if (message.type === 'rows') return pending.parts.add(message.file, { rows: message.rows });
    if (message.type === 'batches') return pending.parts.add(message.file, { batches: message.batches });
    if (message.type === 'exceptions') return pending.parts.add(0, { exceptions: message.exceptions });
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(pending.parts.restore(pending.kind, message.result));
    else pending.reject(new EngineError(message.code, message.message));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** The desk's engine, in its own module worker (Vite bundles it from this URL). */
export function startEngine(): EngineClient {
  return new EngineClient(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'settledesk-engine' }));
}
