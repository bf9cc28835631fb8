/// <reference lib="webworker" />
import { StoredSettleAnswers } from './settle-messages.ts';

/**
 * A settlement run over the desk's stored batches, in its own Web Worker (settle-client.ts):
 * decoding a month and settling it never runs on the main thread, and a run does not wait behind
 * an import in the engine worker.
 */
declare const self: DedicatedWorkerGlobalScope;

const answers = new StoredSettleAnswers((response) => self.postMessage(response), () => performance.now());

self.onmessage = (event: MessageEvent<unknown>) => answers.answer(event.data);
