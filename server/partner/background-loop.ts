/** How a background loop beside the requests waits and reports: injected, so tests run it on a fake clock. */
export interface BackgroundLoopOptions {
  readonly intervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onError: (error: unknown) => void;
}

/**
 * Runs `round` then sleeps, until stop(); a failed round is reported and the loop goes on (a bad
 * row or a down receiver never ends the server's background work). stop() waits for the current round.
 */
export function startBackgroundLoop(round: () => Promise<unknown>, options: BackgroundLoopOptions): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await round();
      } catch (error) {
        options.onError(error);
      }
      if (running) await options.sleep(options.intervalMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
