/// <reference lib="webworker" />
import { SettleDeskError } from '../../core/errors.ts';
import { engineHandlers } from './handlers.ts';
import { sendRowsInParts } from './row-parts.ts';
import { EngineRequestSchema, type EngineRequest, type EngineResponse, type ImportProgress, type SettleProgress } from './protocol.ts';

/**
 * The engine Web Worker: imports, previews, the demo month, the dashboard's analysis and settlement runs run
 * here, so the desk's main thread only renders. Every request is validated before it runs.
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
  }
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = EngineRequestSchema.safeParse(event.data);
  const id = typeof event.data === 'object' && event.data !== null && 'id' in event.data && typeof event.data.id === 'number' ? event.data.id : -1;
  if (!parsed.success) {
    post({ id, type: 'error', code: 'engine_request_invalid', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    return;
  }
  try {
    post({ id, type: 'result', result: sendRowsInParts(parsed.data.kind, run(parsed.data), (file, rows) => post({ id, type: 'rows', file, rows: [...rows] })) });
  } catch (error) {
    const code = error instanceof SettleDeskError ? error.code : 'engine_failed';
    post({ id, type: 'error', code, message: (error as Error).message });
  }
};
