import { analyzeWorkspace } from './analyze.ts';
import { csvPreview } from './csv-preview.ts';
import { buildDemo, demoExtras } from './demo.ts';
import { importFiles, type Clock } from './import-files.ts';
import type { EngineHandlers } from './protocol.ts';
import { settle } from './settle.ts';

/** Every request kind the worker answers, by name (a missing or extra name is a type error). */
export function engineHandlers(clock: Clock): EngineHandlers {
  return {
    import: (input, progress) => importFiles(input, progress, clock),
    'csv-preview': (input) => csvPreview(input),
    demo: (input, progress) => buildDemo(input, progress, clock),
    settle: (input, progress) => settle(input, progress, clock),
    analyze: (input) => analyzeWorkspace(input.transactions, input.now, input.demo === null ? {} : demoExtras(input.demo.seed, input.demo.month)),
  };
}
