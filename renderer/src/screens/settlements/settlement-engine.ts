import { startEngine, type EngineClient } from '../../../engine/client.ts';

/**
 * The worker settlement runs go to: started on the first run and kept for the page, so the demo
 * month's agreements and rates are generated once per worker. The shell's own engine is not
 * reachable from a screen (WorkspaceData does not expose it), and a run must never take the
 * main thread.
 */
let engine: EngineClient | null = null;

export function settlementEngine(): EngineClient {
  engine ??= startEngine();
  return engine;
}
