import { assert } from '../assert.ts';
import { FileImportError } from '../ingest/errors.ts';
import type { ImportIssue } from '../ingest/result.ts';
import { daysInMonth } from '../calendar.ts';

/**
 * Physical lines of a line-oriented bank file (MT940, BAI2), numbered from 1 so that every
 * error and rejection can point at the line a person sees in an editor.
 */
export interface TextLine {
  /** 1-based line number in the file. */
  readonly number: number;
  readonly text: string;
}

/** No real statement line comes near this; a longer one is corruption or hostile input. */
export const LINE_LENGTH_MAX = 4096;
/** Bounds the work one file can cause (a month of a busy account is well under a million lines). */
export const LINE_COUNT_MAX = 5_000_000;

/** A raw text shortened for reports: rejections and errors quote the input, never all of it. */
export function shorten(text: string, lengthMax = 200): string {
  return text.length <= lengthMax ? text : `${text.slice(0, lengthMax)}…`;
}

/**
 * Splits on CRLF, LF or a lone CR (old Mac exports), drops a stray BOM, and refuses absurdly
 * long lines with a typed error instead of letting one line take the parser's time.
 */
export function splitLines(text: string, fileName: string): TextLine[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines: TextLine[] = [];
  let start = 0;
  let number = 1;
  while (start <= body.length) {
    if (number > LINE_COUNT_MAX) {
      throw new FileImportError('file_too_large', `${fileName}: more than ${LINE_COUNT_MAX} lines`, { file: fileName, line: number }, { says: 'too_many_lines', linesMax: String(LINE_COUNT_MAX) });
    }
    let end = start;
    while (end < body.length && body[end] !== '\n' && body[end] !== '\r') end++;
    if (end - start > LINE_LENGTH_MAX) {
      const said = { says: 'line_too_long', line: String(number), charsMax: String(LINE_LENGTH_MAX) };
      throw new FileImportError('field_too_long', `${fileName}: line ${number} is longer than ${LINE_LENGTH_MAX} characters`, { file: fileName, line: number, column: LINE_LENGTH_MAX + 1 }, said);
    }
    lines.push({ number, text: body.slice(start, end) });
    if (end >= body.length) break;
    start = body[end] === '\r' && body[end + 1] === '\n' ? end + 2 : end + 1;
    number++;
  }
  return lines;
}

/**
 * Two-digit years in bank formats (MT940 YYMMDD, BAI2 YYMMDD): 00-79 are 2000-2079 and 80-99
 * are 1980-1999, the window SWIFT and BAI users apply in practice.
 */
function fullYear(twoDigits: number): number {
  return twoDigits < 80 ? 2000 + twoDigits : 1900 + twoDigits;
}

/** YYYY-MM-DD of a real calendar date, or null (month 13, February 30, ...). */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || !Number.isInteger(month) || !Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A YYMMDD field as a calendar date, or null when it is not six digits naming a real day. */
export function dateFromYymmdd(text: string): string | null {
  if (!/^\d{6}$/.test(text)) return null;
  return calendarDate(fullYear(Number(text.slice(0, 2))), Number(text.slice(2, 4)), Number(text.slice(4, 6)));
}

/** Lines a rule's warning lists; the rest are counted (a file with a stray space on every line makes one issue, not a million). */
const RULE_LINES_LISTED_MAX = 10;

/** A format rule a file broke: its code and values (for another language) and its English. */
export interface BrokenRule {
  readonly says: string;
  readonly english: string;
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * Rules of a format that a file broke where the money could still be read without guessing: each
 * rule becomes one 'format_rule_broken' ImportIssue naming the rule and the lines that broke it.
 */
export class BrokenRules {
  private readonly rules = new Map<string, { rule: BrokenRule; lines: number[]; count: number }>();

  constructor(private readonly fileName: string) {}

  note(rule: BrokenRule, line: number): void {
    const seen = this.rules.get(rule.english) ?? { rule, lines: [], count: 0 };
    if (seen.lines.includes(line)) return;
    if (seen.lines.length < RULE_LINES_LISTED_MAX) seen.lines.push(line);
    seen.count++;
    this.rules.set(rule.english, seen);
  }

  issues(): ImportIssue[] {
    return [...this.rules.values()].map(({ rule: { says, english: rule, params }, lines, count }) => {
      assert(lines.length > 0 && lines.length <= count, 'a noted rule lists at least one of its lines');
      lines.sort((left, right) => left - right);
      const more = count > lines.length ? ` and ${count - lines.length} more` : '';
      const where = `line${count > 1 ? 's' : ''} ${lines.join(', ')}${more}`;
      const said = { ...params, lines: lines.join(', '), more: count > lines.length ? String(count - lines.length) : '' };
      return { code: 'format_rule_broken', message: `${this.fileName}: ${where}: ${rule}; imported because every amount, sign and date could still be read`, line: lines[0] ?? null, says, params: said };
    });
  }
}
