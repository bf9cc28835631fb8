import Papa from 'papaparse';
import { decodeText, TEXT_ENCODINGS, type TextEncodingName } from '../../core/ingest/decode.ts';
import { CSV_DELIMITERS, CsvProfileSchema } from '../../core/importers/csv-profile.ts';
import { parseWithProfile } from '../../core/importers/csv.ts';
import { SettleDeskError } from '../../core/errors.ts';
import type { CsvPreview, FileInput, PreviewRow } from './protocol.ts';

/**
 * The mapping wizard's live preview: the first rows of a delimited file as cells (so columns can
 * be named), and, once the draft profile is valid, those same rows as core's CSV importer reads
 * them with it: each an entry or a rejection with its column and reason.
 */
const HEAD_BYTES_MAX = 256 * 1024;

/** The delimiter whose first rows split into the most cells, the same number on each row. */
function guessDelimiter(text: string): string {
  let best = { delimiter: ',', score: -1 };
  for (const delimiter of CSV_DELIMITERS) {
    const rows = (Papa.parse(text, { delimiter, preview: 10, skipEmptyLines: true }).data as string[][]).filter((row) => row.length > 1);
    const widths = rows.map((row) => row.length);
    const widest = Math.max(0, ...widths);
    const score = widths.filter((width) => width === widest).length * widest;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** The head of the text cut at a line end, so the preview never parses half a row (a quoted newline may still cut one). */
function headText(text: string, rowsMax: number): string {
  let at = 0;
  for (let lines = 0; lines <= rowsMax && at !== -1; lines++) at = text.indexOf('\n', at + 1);
  return at === -1 ? text : text.slice(0, at + 1);
}

function previewRows(headText: string, profile: unknown, fileName: string): { problems: string[]; refusal?: Readonly<Record<string, unknown>>; parsed: PreviewRow[] } {
  if (profile === null) return { problems: [], parsed: [] };
  const checked = CsvProfileSchema.safeParse(profile);
  if (!checked.success) return { problems: checked.error.issues.map((issue) => `${issue.path.join('.') || 'profile'}: ${issue.message}`), parsed: [] };
  try {
    const output = parseWithProfile(headText, { fileName, sha256: '', pseudonymize: (id) => id }, checked.data);
    const entries: PreviewRow[] = output.entries.map((entry) => ({
      line: entry.line,
      ok: true,
      date: entry.occurredAt,
      amount: entry.amount,
      currency: entry.currency,
      kind: entry.kind,
      reference: entry.references.externalId,
      description: entry.description,
    }));
    const rejected: PreviewRow[] = output.rejected.map((r) => ({ line: r.line, ok: false, column: r.column, code: r.code, reason: r.reason, says: r.says, params: r.params }));
    return { problems: [], parsed: [...entries, ...rejected].sort((a, b) => a.line - b.line) };
  } catch (error) {
    if (error instanceof SettleDeskError) return { problems: [error.message], refusal: error.details, parsed: [] };
    throw error;
  }
}

export function csvPreview(input: { readonly file: FileInput; readonly profile: unknown; readonly rowsMax: number }): CsvPreview {
  const named = typeof input.profile === 'object' && input.profile !== null && 'encoding' in input.profile ? input.profile.encoding : 'auto';
  const encoding = (TEXT_ENCODINGS as readonly unknown[]).includes(named) ? (named as TextEncodingName) : 'auto';
  const bytes = input.file.bytes.subarray(0, HEAD_BYTES_MAX);
  // A cut inside a multi-byte character is not an encoding error of the file: decode leniently for the preview.
  const text = bytes.length < input.file.bytes.length ? new TextDecoder('utf-8').decode(bytes) : decodeText(bytes, input.file.name, encoding).text;
  const cleaned = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const head = headText(cleaned, input.rowsMax + 1);
  const delimiter = guessDelimiter(head);
  const rows = (Papa.parse(head, { delimiter, skipEmptyLines: true }).data as string[][]).slice(0, input.rowsMax + 1);
  const widest = Math.max(0, ...rows.map((row) => row.length));
  const headerIndex = Math.max(0, rows.findIndex((row) => row.length === widest));
  const { problems, refusal, parsed } = previewRows(head, input.profile, input.file.name);
  return { delimiter, headerIndex, rows, profileProblems: problems, ...(refusal === undefined ? {} : { refusal }), parsed };
}
