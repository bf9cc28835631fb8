import type { PartnersRequestInput, PartnersResponse, PartnersResults } from './partners-worker-protocol.ts';

type Kind = keyof PartnersResults;
type InputOf<K extends Kind> = Extract<PartnersRequestInput, { kind: K }>['input'];

/** A failure the Partners worker reported: its code, then the message. */
export class PartnersWorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'PartnersWorkerError';
  }
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

function started(): Worker {
  if (worker !== null) return worker;
  const created = new Worker(new URL('./partners.worker.ts', import.meta.url), { type: 'module', name: 'settledesk-partners' });
  created.onmessage = (event: MessageEvent<PartnersResponse>) => {
    const answer = event.data;
    const waiting = pending.get(answer.id);
    if (waiting === undefined) return;
    pending.delete(answer.id);
    if (answer.ok) waiting.resolve(answer.result);
    else waiting.reject(new PartnersWorkerError(answer.code, answer.message));
  };
  created.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new PartnersWorkerError('partners_worker_crashed', event.message));
    pending.clear();
  };
  worker = created;
  return created;
}

/** One request to the Partners worker (started on first use, kept for the page). */
export function callPartnersWorker<K extends Kind>(kind: K, input: InputOf<K>): Promise<PartnersResults[K]> {
  const id = nextId++;
  return new Promise<PartnersResults[K]>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    started().postMessage({ id, kind, input });
  });
}
