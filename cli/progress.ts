/** A progress bar with rows/s on stderr, shown only when stderr is a terminal (never in scripts or CI logs). */
export interface Progress {
  update(rows: number, bytes: number): void;
  done(): void;
}

const REDRAW_MS = 200;

export function createProgress(totalBytes: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = performance.now();
  let drawnAt = 0;
  let shown = false;
  return {
    update(rows, bytes) {
      const now = performance.now();
      if (now - drawnAt < REDRAW_MS) return;
      drawnAt = now;
      shown = true;
      const share = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 0;
      const width = 30;
      const filled = Math.round(share * width);
      const rate = Math.round(rows / Math.max((now - started) / 1000, 0.001));
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s`);
    },
    done() {
      if (shown) stream.write('\n');
    },
  };
}
