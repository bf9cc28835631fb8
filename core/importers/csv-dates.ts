/**
 * Dates and times as CSV exports write them, read character by character into calendar dates
 * (`YYYY-MM-DD`) and ISO 8601 instants with the source's offset. Hand-written: date libraries
 * either guess formats or parse through `Date` in the machine's local zone, and both silently
 * move a transaction across a month end. Time-zone offsets of IANA zones come from `Intl`,
 * cached per hour of wall time because a million rows share a few thousand hours.
 */
import { digitsAt } from './row-values.ts';
import { daysInMonth } from '../calendar.ts';

export const DATE_FORMATS = ['YYYY-MM-DD', 'YYYY/MM/DD', 'YYYYMMDD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD-MM-YYYY', 'ISO-8601'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Whether a time of day may or must follow the date (after a space or a "T"). */
export const TIME_PRESENCE = ['none', 'optional', 'required'] as const;
export type TimePresence = (typeof TIME_PRESENCE)[number];

export interface ParsedDateTime {
  /** Calendar date as written by the source. */
  readonly date: string;
  /** `HH:mm:ss` or `HH:mm:ss.fff`, or null for a date-only cell. */
  readonly time: string | null;
  /** An offset written in the cell itself (ISO-8601 only): "Z" or "+01:00". */
  readonly offset: string | null;
}

interface Layout {
  readonly length: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Positions and characters of the separators. */
  readonly separators: ReadonlyArray<readonly [number, number]>;
}

const LAYOUTS: Readonly<Record<Exclude<DateFormat, 'ISO-8601'>, Layout>> = {
  'YYYY-MM-DD': { length: 10, year: 0, month: 5, day: 8, separators: [[4, 45], [7, 45]] },
  'YYYY/MM/DD': { length: 10, year: 0, month: 5, day: 8, separators: [[4, 47], [7, 47]] },
  YYYYMMDD: { length: 8, year: 0, month: 4, day: 6, separators: [] },
  'DD.MM.YYYY': { length: 10, year: 6, month: 3, day: 0, separators: [[2, 46], [5, 46]] },
  'DD/MM/YYYY': { length: 10, year: 6, month: 3, day: 0, separators: [[2, 47], [5, 47]] },
  'MM/DD/YYYY': { length: 10, year: 6, month: 0, day: 3, separators: [[2, 47], [5, 47]] },
  'DD-MM-YYYY': { length: 10, year: 6, month: 3, day: 0, separators: [[2, 45], [5, 45]] },
};

const DIGIT_0 = 48;
function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** A real calendar day in years 1000-9999, as `YYYY-MM-DD`; null otherwise. */
function calendarDate(year: number, month: number, day: number): string | null {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** Reads `HH:mm`, `HH:mm:ss` or `HH:mm:ss.f…` starting at `start`; returns the canonical time and where it ended. */
function readTime(text: string, start: number): { time: string; end: number } | null {
  const hour = digitsAt(text, start, 2);
  const minute = digitsAt(text, start + 3, 2);
  if (hour < 0 || minute < 0 || text.charCodeAt(start + 2) !== 58 || hour > 23 || minute > 59) return null;
  let end = start + 5;
  let second = 0;
  if (text.charCodeAt(end) === 58) {
    second = digitsAt(text, end + 1, 2);
    if (second < 0 || second > 59) return null;
    end += 3;
  }
  let fraction = '';
  if (text.charCodeAt(end) === 46) {
    let stop = end + 1;
    while (stop < text.length && stop - end <= 9 && text.charCodeAt(stop) >= DIGIT_0 && text.charCodeAt(stop) <= DIGIT_0 + 9) stop++;
    if (stop === end + 1) return null;
    fraction = text.slice(end, stop);
    end = stop;
  }
  return { time: `${pad2(hour)}:${pad2(minute)}:${pad2(second)}${fraction}`, end };
}

/** Reads "Z", "+01:00", "+0100" or "+01" at `start` (ISO-8601 cells). */
function readOffset(text: string, start: number): { offset: string; end: number } | null {
  const code = text.charCodeAt(start);
  if (code === 90) return { offset: 'Z', end: start + 1 };
  if (code !== 43 && code !== 45) return null;
  const hours = digitsAt(text, start + 1, 2);
  if (hours < 0 || hours > 14) return null;
  let cursor = start + 3;
  if (text.charCodeAt(cursor) === 58) cursor++;
  const minutes = cursor < text.length ? digitsAt(text, cursor, 2) : 0;
  if (minutes < 0 || minutes > 59) return null;
  const end = cursor < text.length ? cursor + 2 : cursor;
  return { offset: `${code === 43 ? '+' : '-'}${pad2(hours)}:${pad2(minutes)}`, end };
}

function readIsoDate(text: string): { year: number; month: number; day: number } | null {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  return { year: digitsAt(text, 0, 4), month: digitsAt(text, 5, 2), day: digitsAt(text, 8, 2) };
}

/**
 * Parses one cell. Returns null when it does not match the format exactly (the caller rejects
 * the row with `date_invalid`, naming the expected format).
 */
export function parseDateTime(raw: string, format: DateFormat, time: TimePresence): ParsedDateTime | null {
  const text = raw.trim();
  let parts: { year: number; month: number; day: number } | null;
  let dateLength: number;
  if (format === 'ISO-8601') {
    parts = readIsoDate(text);
    dateLength = 10;
  } else {
    const layout = LAYOUTS[format];
    dateLength = layout.length;
    parts = { year: digitsAt(text, layout.year, 4), month: digitsAt(text, layout.month, 2), day: digitsAt(text, layout.day, 2) };
    for (const [position, code] of layout.separators) if (text.charCodeAt(position) !== code) parts = null;
  }
  if (parts === null || text.length < dateLength) return null;
  const date = calendarDate(parts.year, parts.month, parts.day);
  if (date === null) return null;
  if (text.length === dateLength) return time === 'required' ? null : { date, time: null, offset: null };
  if (time === 'none') return null;
  const separator = text.charCodeAt(dateLength);
  if (separator !== 32 && separator !== 84) return null;
  let start = dateLength + 1;
  while (text.charCodeAt(start) === 32) start++;
  const clock = readTime(text, start);
  if (clock === null) return null;
  if (clock.end === text.length) return { date, time: clock.time, offset: null };
  if (format !== 'ISO-8601') return null;
  const zone = readOffset(text, clock.end);
  if (zone === null || zone.end !== text.length) return null;
  return { date, time: clock.time, offset: zone.offset };
}

/**
 * Fixed offsets of the zone abbreviations PSP exports print (Adyen's and PayPal's TimeZone
 * columns). Ambiguous abbreviations (IST, CST in China vs America) are deliberately absent:
 * name the zone or offset in the profile instead.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  UTC: 'Z',
  GMT: 'Z',
  Z: 'Z',
  WET: '+00:00',
  WEST: '+01:00',
  BST: '+01:00',
  CET: '+01:00',
  CEST: '+02:00',
  MET: '+01:00',
  MEST: '+02:00',
  EET: '+02:00',
  EEST: '+03:00',
  MSK: '+03:00',
  SGT: '+08:00',
  HKT: '+08:00',
  JST: '+09:00',
  KST: '+09:00',
  AEST: '+10:00',
  AEDT: '+11:00',
  NZST: '+12:00',
  NZDT: '+13:00',
  HST: '-10:00',
  AKST: '-09:00',
  AKDT: '-08:00',
  PST: '-08:00',
  PDT: '-07:00',
  MST: '-07:00',
  MDT: '-06:00',
  CST: '-06:00',
  CDT: '-05:00',
  EST: '-05:00',
  EDT: '-04:00',
};

/** Turns a wall-clock date and time in the source's zone into the offset to print. */
export type ZoneResolver = (date: string, time: string) => string;

const HOUR_CACHE_ENTRIES_MAX = 50_000;

function ianaResolver(zone: string): ZoneResolver | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return null;
  }
  // Offset in minutes at a UTC instant (milliseconds are time, not money: Number is exact here).
  const offsetAt = (utcMs: number): number => {
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(utcMs))) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    const asUtc = Date.UTC(fields.year ?? 0, (fields.month ?? 1) - 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0);
    return Math.round((asUtc - utcMs) / 60_000);
  };
  const cache = new Map<string, string>();
  return (date, time) => {
    const key = `${date}T${time.slice(0, 2)}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const wallMs = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), Number(time.slice(0, 2)));
    // Offset at the wall time read as UTC is a first guess; re-reading at the corrected instant settles it.
    const minutes = offsetAt(wallMs - offsetAt(wallMs) * 60_000);
    const sign = minutes < 0 ? '-' : '+';
    const absolute = Math.abs(minutes);
    const offset = absolute === 0 ? 'Z' : `${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
    if (cache.size >= HOUR_CACHE_ENTRIES_MAX) cache.clear();
    cache.set(key, offset);
    return offset;
  };
}

/**
 * A resolver for a zone named as a fixed offset ("+09:00", "-0500", "UTC"), an abbreviation a
 * PSP prints ("CET", "PDT") or an IANA name ("Europe/Berlin"); null when it is none of these.
 */
export function zoneResolver(zone: string): ZoneResolver | null {
  const text = zone.trim();
  const fixed = ABBREVIATIONS[text.toUpperCase()];
  if (fixed !== undefined) return () => fixed;
  const offset = readOffset(text, 0);
  if (offset !== null && offset.end === text.length) {
    const printed = offset.offset === '+00:00' || offset.offset === '-00:00' ? 'Z' : offset.offset;
    return () => printed;
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(text)) return null;
  return ianaResolver(text);
}

/** `occurredAt` as the schema wants it: a date alone, or the wall time with its offset. */
export function occurredAtOf(parsed: ParsedDateTime, resolver: ZoneResolver | null): string | null {
  if (parsed.time === null) return parsed.date;
  const offset = parsed.offset ?? (resolver === null ? null : resolver(parsed.date, parsed.time));
  return offset === null ? null : `${parsed.date}T${parsed.time}${offset}`;
}
