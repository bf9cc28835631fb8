import { SettleDeskError } from '../core/errors.ts';
import { escapeControlCharacters } from '../core/export/control-chars.ts';

/**
 * Everything a command writes goes through here, so `--json` keeps stdout to one JSON document.
 * Human text has its control characters escaped (line breaks kept): a file name, id or reason from
 * a file cannot move the cursor, clear the screen, rewrite a line with CR or reorder it with bidi
 * overrides. JSON escapes them itself.
 */
export interface Output {
  readonly json: boolean;
  /** Human text on stdout (suppressed in --json mode). */
  line(text?: string): void;
  /** The one JSON document of --json mode. */
  document(value: unknown): void;
  /** Machine text written in pieces (a streamed JSON document, NDJSON lines); --json mode only. */
  stream(chunks: Iterable<string>): void;
  /** Warnings and progress: stderr. */
  note(text: string): void;
}

const STREAM_WRITE_CHARS = 1 << 16;

export function createOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    json,
    line: (text = '') => {
      if (!json) stdout.write(`${escapeControlCharacters(text, '\n')}\n`);
    },
    document: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    stream: (chunks) => {
      if (!json) return;
      // Gathered into writes of about STREAM_WRITE_CHARS: a write per id would cost more than the text.
      let pending: string[] = [];
      let size = 0;
      for (const chunk of chunks) {
        pending.push(chunk);
        size += chunk.length;
        if (size < STREAM_WRITE_CHARS) continue;
        stdout.write(pending.join(''));
        pending = [];
        size = 0;
      }
      if (pending.length > 0) stdout.write(pending.join(''));
    },
    note: (text) => {
      stderr.write(`${escapeControlCharacters(text, '\n')}\n`);
    },
  };
}

export function errorDocument(error: unknown): { error: Record<string, unknown> } {
  if (error instanceof SettleDeskError) return { error: error.toJSON() };
  return { error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
}

/** Aligned text table; numeric-looking columns are right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  // A cell is one line: a line break from a file is shown escaped like any control character.
  const cells = rows.map((row) => headers.map((_, index) => (row[index] === null || row[index] === undefined ? '-' : escapeControlCharacters(String(row[index])))));
  const widths = headers.map((header, index) => Math.max(header.length, ...cells.map((row) => row[index]?.length ?? 0)));
  const numeric = headers.map((_, index) => cells.length > 0 && cells.every((row) => /^-?[\d,.]+$|^-$/.test(row[index] ?? '')));
  const render = (row: readonly string[]) =>
    row
      .map((cell, index) => (numeric[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(headers), render(widths.map((width) => '-'.repeat(width))), ...cells.map(render)].join('\n');
}
