/// <reference lib="webworker" />
import { generateDemoMonth } from '../../../../core/demo/generate.ts';
import { readAgreements } from '../../../../core/demo/insight-inputs.ts';
import { SettleDeskError } from '../../../../core/errors.ts';
import { parseEcbRates, rateTable } from '../../../../core/settlement/fx.ts';
import { PartnersRequest, type PartnersResponse, type PartnersResults, type RatesData } from './partners-worker-protocol.ts';

/** The Partners screen's worker: the demo contract files (see partners-worker-protocol.ts). */
declare const self: DedicatedWorkerGlobalScope;

function reference(seed: number, month: string): PartnersResults['reference'] {
  const generated = generateDemoMonth({ seed, month, small: true });
  const fx = generated.files.find((file) => file.path.startsWith('fx/'));
  const table = fx === undefined ? rateTable({}, 'ECB', 'EUR') : parseEcbRates(fx.text, { file: fx.path }).table;
  const quotes = Object.fromEntries([...table.quotes.entries()].map(([date, row]) => [date, Object.fromEntries(row.entries())]));
  const rates: RatesData = { source: table.source, base: table.base, quotes };
  return { agreements: readAgreements(generated.files), rates };
}

function handle(request: PartnersRequest): unknown {
  return reference(request.input.seed, request.input.month);
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const id = typeof event.data === 'object' && event.data !== null && 'id' in event.data && typeof event.data.id === 'number' ? event.data.id : -1;
  const post = (response: PartnersResponse) => self.postMessage(response);
  const parsed = PartnersRequest.safeParse(event.data);
  if (!parsed.success) {
    post({ id, ok: false, code: 'partners_request_invalid', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    return;
  }
  try {
    post({ id, ok: true, result: handle(parsed.data) });
  } catch (error) {
    post({ id, ok: false, code: error instanceof SettleDeskError ? error.code : 'partners_failed', message: error instanceof Error ? error.message : String(error) });
  }
};
