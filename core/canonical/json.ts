import { SettleDeskError } from '../errors.ts';
import { sha256Hex } from '../hash/sha256.ts';

/**
 * Canonical JSON in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
 * no whitespace, strings escaped as ECMAScript JSON.stringify does. Narrower than JCS on purpose:
 * numbers must be safe integers (counts, versions), because money travels as decimal strings and a
 * float reaching a hash is a bug we want to hear about. Written by hand: the few lines of JCS we
 * need do not justify a dependency, and the integer-only rule is ours.
 */
export class CanonicalJsonError extends SettleDeskError {
  constructor(code: 'canonical_json_number' | 'canonical_json_type' | 'canonical_json_depth', message: string, path: string) {
    super(code, message, { column: path }, { path });
    this.name = 'CanonicalJsonError';
  }
}

export const CANONICAL_DEPTH_MAX = 64;

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isFlatJsonArray(items: readonly unknown[]): boolean {
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number' && Number.isSafeInteger(item)) continue;
    return false;
  }
  return true;
}

function write(value: unknown, path: string, depth: number, out: string[]): void {
  if (depth > CANONICAL_DEPTH_MAX) throw new CanonicalJsonError('canonical_json_depth', `value nested deeper than ${CANONICAL_DEPTH_MAX} at ${path}`, path);
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonError('canonical_json_number', `number ${String(value)} at ${path} is not a safe integer: money must be a decimal string`, path);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError('canonical_json_type', `a ${typeof value} at ${path} has no JSON form`, path);
  }
  if (Array.isArray(value)) {
    if (isFlatJsonArray(value)) {
      // Strings, null, booleans and safe integers: JSON.stringify writes exactly the canonical text, far faster (batch columns).
      out.push(JSON.stringify(value));
      return;
    }
    out.push('[');
    value.forEach((item: unknown, index) => {
      if (index > 0) out.push(',');
      if (item === undefined) throw new CanonicalJsonError('canonical_json_type', `undefined array item at ${path}[${index}]`, `${path}[${index}]`);
      write(item, `${path}[${index}]`, depth + 1, out);
    });
    out.push(']');
    return;
  }
  if (!isPlainObject(value)) throw new CanonicalJsonError('canonical_json_type', `only plain objects have a canonical form (at ${path})`, path);
  const record = value as Record<string, unknown>;
  // Undefined properties are left out, as JSON.stringify does, so optional fields hash the same whether absent or undefined.
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort(compareKeys);
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], `${path}.${key}`, depth + 1, out);
  });
  out.push('}');
}

/** The canonical JSON text of a JSON-like value. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '$', 0, out);
  return out.join('');
}

/** SHA-256 hex of the canonical JSON text (UTF-8). */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
