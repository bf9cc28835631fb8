/// <reference lib="webworker" />
import { SettleDeskError } from '../../core/errors.ts';
import { engineHandlers } from './handlers.ts';
import { sendRowsInParts } from './row-parts.ts';
import { EngineRequestSchema, type EngineRequest, type EngineResponse, type ImportProgress, type SettleProgress } from './protocol.ts';

/**
 * The engine Web Worker: imports, previews, the demo month, the dashboard's analysis and settlement runs run
 * here, so the desk's main thread only renders. It also keeps the workspace's transactions (row-store.ts) and
 * answers the Transactions grid's blocks. Every request is validated before it runs.
 */
declare const self: DedicatedWorkerGlobalScope;

const handlers = engineHandlers(() => performance.now());

function post(response: EngineResponse): void {
  self.postMessage(response);
}

function run(request: EngineRequest): unknown {
  const progress = (value: ImportProgress) => post({ id: request.id, type: 'progress', progress: value });
  switch (request.kind) {
    case 'import':
      return handlers.import(request.input, progress);
    case 'csv-preview':
      return handlers['csv-preview'](request.input);
    case 'demo':
      return handlers.demo(request.input, progress);
    case 'analyze':
      return handlers.analyze(request.input);
    case 'settle':
      return handlers.settle(request.input, (value: SettleProgress) => post({ id: request.id, type: 'settle-progress', progress: value }));
    case 'review':
      return handlers.review({});
    case 'rows-by-id':
      return handlers['rows-by-id'](request.input);
    case 'agreement-preview':
      return handlers['agreement-preview'](request.input);
    case 'rows-behind':
      return handlers['rows-behind'](request.input);
    case 'unmatched-rows':
      return handlers['unmatched-rows'](request.input);
    case 'match-groups':
      return handlers['match-groups'](request.input);
    case 'unmatched-items':
      return handlers['unmatched-items'](request.input);
    case 'suggestions':
      return handlers.suggestions(request.input);
    case 'hand-matched':
      return handlers['hand-matched'](request.input);
    case 'unmatched-totals':
      return handlers['unmatched-totals']({});
    case 'rows-reset':
      return handlers['rows-reset']({});
    case 'rows-load':
      return handlers['rows-load'](request.input);
    case 'rows-query':
      return handlers['rows-query'](request.input);
    default:
      // A kind the protocol accepts without a case here would answer undefined: a type error instead.
      return request satisfies never;
  }
}

function fail(id: number, error: unknown): void {
  const code = error instanceof SettleDeskError ? error.code : 'engine_failed';
  post({ id, type: 'error', code, message: (error as Error).message });
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = EngineRequestSchema.safeParse(event.data);
  const id = typeof event.data === 'object' && event.data !== null && 'id' in event.data && typeof event.data.id === 'number' ? event.data.id : -1;
  if (!parsed.success) {
    post({ id, type: 'error', code: 'engine_request_invalid', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    return;
  }
  // Imports, analyses and row queries yield between steps (packing, row-queries.ts): each answer comes when it is done.
  new Promise<unknown>((resolve) => resolve(run(parsed.data))).then(
    (result) => post({ id, type: 'result', result: sendRowsInParts(parsed.data.kind, result, (file, part) => post('rows' in part ? { id, type: 'rows', file, rows: [...part.rows] } : 'batches' in part ? { id, type: 'batches', file, batches: [...part.batches] } : { id, type: 'exceptions', exceptions: [...part.exceptions] })) }),
    (error: unknown) => fail(id, error),
  );
};
